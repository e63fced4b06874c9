"""The free measurements of the plan (issue 18): one row each with its name (double-click to
rename it), type, pre-op and planned value and note (a note's text is edited the same way);
selecting a row selects the measurement on the film; Delete removes it. The drawing tools are on
the Measure palette and keys; the panel stays narrow so the film keeps its width.

Nothing here edits the plan: renames and deletions go out as signals, the window applies them
through the controller (one undo step each).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from alignment_planner.annotations.values import AnnotationValue

COLUMNS = ("Name", "Type", "Pre-op", "Planned", "Note")
NAME, TYPE, PRE, POST, NOTE = range(5)


def _cell(value: AnnotationValue) -> str:
    return value.text() if value.unit is not None else ""


class AnnotationsPanel(QWidget):
    renamed = Signal(int, str)
    """Row, new label (blank: back to the type and number)."""
    noted = Signal(int, str)
    """Row, new text of a text or arrow note."""
    delete_requested = Signal(int)
    selected = Signal(int)

    def __init__(self, keys: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QTableWidget.EditTrigger.DoubleClicked | QTableWidget.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.delete_button = QPushButton("Delete measurement")
        self.delete_button.clicked.connect(self._delete)
        self.empty = QLabel(
            f"Nothing drawn yet: pick a tool on the Measure palette (or press {keys}), then click on"
            " the film."
        )
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addWidget(self.delete_button)
        self._filling = False
        self._shown: tuple[tuple[str, ...], ...] = ()

    def show_values(
        self, drawn: tuple[tuple[AnnotationValue, AnnotationValue], ...], simulated: bool
    ) -> None:
        rows = tuple(
            (before.name, before.type, _cell(before), _cell(after) if simulated else "",
             before.note or "" if before.unit is None else
             "; ".join(n for n in (before.reason, after.spans_text if simulated else None) if n))
            for before, after in drawn
        )
        self.empty.setVisible(not rows)
        self.delete_button.setEnabled(bool(rows))
        if rows == self._shown:
            return  # a landmark drag: nothing here changed
        before, self._shown = self._shown, rows
        self._filling = True
        selected = self.current_row()
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            previous = before[row] if row < len(before) else None
            if previous == cells:
                continue  # dragging one measurement's point changes its row alone
            same_type = previous is not None and previous[TYPE] == cells[TYPE]
            for column, text in enumerate(cells):
                item = self.table.item(row, column)
                if item is None or not same_type:  # flags and alignment follow the row's type
                    if item is None:
                        item = QTableWidgetItem()
                        self.table.setItem(row, column, item)
                    editable = column == NAME or (column == NOTE and cells[TYPE] in ("text", "arrow"))
                    flags = item.flags() | Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags if editable else flags & ~Qt.ItemFlag.ItemIsEditable)
                    if column in (PRE, POST):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if previous is None or previous[column] != text:
                    item.setText(text)
        if selected is not None and selected < len(rows):
            self.table.selectRow(selected)
        self._filling = False

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int | None) -> None:
        self._filling = True
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
        self._filling = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        if item.column() == NAME:
            self.renamed.emit(item.row(), item.text())
        elif item.column() == NOTE:
            self.noted.emit(item.row(), item.text())

    def _selection_changed(self) -> None:
        row = self.current_row()
        if not self._filling and row is not None:
            self.selected.emit(row)

    def _delete(self) -> None:
        row = self.current_row()
        if row is not None:
            self.delete_requested.emit(row)
