"""Live measurement table: every registry parameter with value, unit, normal range and, when it
cannot be measured, why. Cells are updated in place on each change (no rebuild per drag)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from alignment_planner.analysis import Analysis
from alignment_planner.formatting import fixed
from alignment_planner.measurements import PARAMETERS, Value

COLUMNS = ("Parameter", "Pre-op", "Planned", "Δ", "Unit", "Normal", "Note")
MUTED = QColor(140, 140, 140)


def _fmt(value: Value) -> str:
    return "—" if value.value is None else fixed(value.value)


class MeasurementsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calibration = QLabel()
        self.calibration.setWordWrap(True)
        self.table = QTableWidget(len(PARAMETERS), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        self._cells: dict[tuple[str, int], QTableWidgetItem] = {}
        self._shown: dict[tuple[str, int], tuple[str, bool]] = {}  # text and muted, as last set
        for row, parameter in enumerate(PARAMETERS):
            for column in range(len(COLUMNS)):
                item = QTableWidgetItem()
                if column in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
                self._cells[(parameter.key, column)] = item
            name = self._cells[(parameter.key, 0)]
            name.setText(f"{parameter.key}  {parameter.name}")
            name.setToolTip(f"{parameter.definition}\nclinical.md {parameter.section}")
            self._cells[(parameter.key, 4)].setText(parameter.symbol)
            self._cells[(parameter.key, 5)].setText(parameter.normal or "")
            self._cells[(parameter.key, 5)].setToolTip(parameter.normal or "")
        # Widths are set once, not re-fitted per change: ResizeToContents re-measures every row on
        # each setText, which alone cost ~0.2 ms per changed cell during a drag.
        self.table.resizeColumnsToContents()
        widest_value = self.fontMetrics().horizontalAdvance("−9999.9") + 16
        for column in (1, 2, 3):
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), widest_value))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calibration)
        layout.addWidget(self.table)

    def value_text(self, key: str, stage: str = "preop") -> str:
        """What the table shows for ``key`` (tests read the panel as a user would)."""
        return self._cells[(key, 1 if stage == "preop" else 2)].text()

    def show_analysis(self, analysis: Analysis) -> None:
        text = f"Scale: {analysis.calibration.describe()}"
        if analysis.simulated:
            text += f"\nPlanned values assume: {analysis.compensation_label}"
        self.calibration.setText(text)
        simulated = analysis.simulated
        if self.table.isColumnHidden(2) == simulated:
            self.table.setColumnHidden(2, not simulated)
            self.table.setColumnHidden(3, not simulated)
        for parameter in PARAMETERS:
            pre = analysis.preop.values[parameter.key]
            post = analysis.postop.values[parameter.key]
            delta = post.value - pre.value if pre.value is not None and post.value is not None else None
            reason = pre.reason or (post.reason if simulated else None)
            note = f"not measurable: {reason}" if reason else ""
            if parameter.is_length and pre.value is not None:
                note = f"scale: {analysis.calibration.source}"
            muted = pre.value is None
            texts = (_fmt(pre), _fmt(post), "" if delta is None else fixed(delta, signed=True))
            assumption = f"planned with: {analysis.compensation_label}" if simulated else ""
            for column, text in enumerate(texts, start=1):
                tooltip = "\n".join(t for t in (note, assumption if column > 1 else "") if t)
                self._set(parameter.key, column, text, tooltip, muted)
            self._set(parameter.key, 6, note, note, False)

    def _set(self, key: str, column: int, text: str, tooltip: str, muted: bool) -> None:
        """Touch a cell only when what it shows changes: a drag changes a few values, and every
        Qt call here costs (issue 3's drag budget is 4 ms for everything)."""
        if self._shown.get((key, column)) == (text + "\0" + tooltip, muted):
            return
        self._shown[(key, column)] = (text + "\0" + tooltip, muted)
        cell = self._cells[(key, column)]
        cell.setText(text)
        cell.setToolTip(tooltip)
        if column != 6:
            cell.setForeground(MUTED if muted else self.palette().text().color())
