"""Live measurement table: every registry parameter with value, unit, normal range and, when it
cannot be measured, why. Cells are updated in place on each change (no rebuild per drag)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

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
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._cells: dict[tuple[str, int], QTableWidgetItem] = {}
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
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calibration)
        layout.addWidget(self.table)

    def value_text(self, key: str, stage: str = "preop") -> str:
        """What the table shows for ``key`` (tests read the panel as a user would)."""
        return self._cells[(key, 1 if stage == "preop" else 2)].text()

    def show_analysis(self, analysis: Analysis) -> None:
        self.calibration.setText(f"Scale: {analysis.calibration.describe()}")
        simulated = analysis.simulated
        self.table.setColumnHidden(2, not simulated)
        self.table.setColumnHidden(3, not simulated)
        for parameter in PARAMETERS:
            pre = analysis.preop.values[parameter.key]
            post = analysis.postop.values[parameter.key]
            cells = [self._cells[(parameter.key, c)] for c in range(len(COLUMNS))]
            cells[1].setText(_fmt(pre))
            cells[2].setText(_fmt(post))
            delta = post.value - pre.value if pre.value is not None and post.value is not None else None
            cells[3].setText("" if delta is None else fixed(delta, signed=True))
            reason = pre.reason or (post.reason if simulated else None)
            note = f"not measurable: {reason}" if reason else ""
            if parameter.is_length and pre.value is not None:
                note = f"scale: {analysis.calibration.source}"
            cells[6].setText(note)
            cells[6].setToolTip(note)
            colour = MUTED if pre.value is None else self.palette().text().color()
            for cell in cells[1:4]:
                cell.setForeground(colour)
                cell.setToolTip(note)
