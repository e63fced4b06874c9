"""Live measurement table: every registry parameter with value, unit, normal range and, when it
cannot be measured, why. Cells are updated in place on each change (no rebuild per drag).

A QTableWidget on purpose: its cells live in C++, so painting the table is cheap, and only the
cells whose text changed are touched. (A Python table model was tried: every cell of every paint
calls back into Python, about 6 ms for this table, and a repaint of the canvas flushes the
table's pending paint with it.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.measurements import PARAMETERS, Value
from alignment_planner.output.formatting import fixed
from alignment_planner.targets.presets import Verdict, straddled

COLUMNS = ("Parameter", "Pre-op", "Planned", "Δ", "± 95 %", "Unit", "Normal", "Note")
PRE, POST, DELTA, BAND, UNIT, NORMAL, NOTE = range(1, 8)
MUTED = QColor(140, 140, 140)
STATUS_COLOURS = {
    "within": QColor(198, 239, 206),
    "borderline": QColor(255, 229, 153),
    "outside": QColor(255, 183, 183),
}
STATUS_WORDS = {"within": "within target", "borderline": "borderline", "outside": "outside target"}


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
        self._rows: dict[str, object] = {}  # per parameter: the values and context last shown
        self._status: dict[tuple[str, int], str | None] = {}  # the verdict a cell is coloured with
        self._tips: dict[tuple[str, int], str] = {}  # value-cell tooltips with their verdicts
        self._judged: dict[tuple[str, int], tuple[object, ...]] = {}  # verdicts last shown per cell
        for row, parameter in enumerate(PARAMETERS):
            for column in range(len(COLUMNS)):
                item = QTableWidgetItem()
                if column in (PRE, POST, DELTA, BAND):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
                self._cells[(parameter.key, column)] = item
            name = self._cells[(parameter.key, 0)]
            name.setText(f"{parameter.key}  {parameter.name}")
            name.setToolTip(f"{parameter.definition}\nclinical.md {parameter.section}")
            self._cells[(parameter.key, UNIT)].setText(parameter.symbol)
            self._cells[(parameter.key, NORMAL)].setText(parameter.normal or "")
            self._cells[(parameter.key, NORMAL)].setToolTip(parameter.normal or "")
        # Widths are set once, not re-fitted per change: ResizeToContents re-measures every row on
        # each setText, which alone cost ~0.2 ms per changed cell during a drag.
        self.table.resizeColumnsToContents()
        widest_value = self.fontMetrics().horizontalAdvance("−9999.9") + 16
        self.table.setColumnWidth(BAND, self.fontMetrics().horizontalAdvance("±99.9? → ±99.9?") + 16)
        for column in (PRE, POST, DELTA):
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), widest_value))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calibration)
        layout.addWidget(self.table)

    def text(self, key: str, column: int) -> str:
        """What a cell shows (tests read the panel as a user would)."""
        return self._cells[(key, column)].text()

    def tooltip(self, key: str, column: int) -> str:
        return self._cells[(key, column)].toolTip()

    def value_text(self, key: str, stage: str = "preop") -> str:
        """What the table shows for ``key`` (tests read the panel as a user would)."""
        return self._cells[(key, PRE if stage == "preop" else POST)].text()

    def status_of(self, key: str, stage: str = "preop") -> str | None:
        """The target verdict a value cell is coloured with (tests read it as a user sees it)."""
        return self._status.get((key, PRE if stage == "preop" else POST))

    def show_analysis(self, analysis: Analysis) -> None:
        text = f"Scale: {analysis.calibration.describe()}"
        if analysis.simulated:
            text += f"\nPlanned values assume: {analysis.compensation_label}"
        self.calibration.setText(text)
        simulated = analysis.simulated
        if self.table.isColumnHidden(POST) == simulated:
            self.table.setColumnHidden(POST, not simulated)
            self.table.setColumnHidden(DELTA, not simulated)
        context = (simulated, analysis.calibration, analysis.compensation_label)
        for parameter in PARAMETERS:
            pre = analysis.preop.values[parameter.key]
            post = analysis.postop.values[parameter.key]
            row = (pre, post, context)
            if self._rows.get(parameter.key) == row:
                continue  # an angle drag leaves the pelvic values (and many others) as they were
            self._rows[parameter.key] = row
            delta = post.value - pre.value if pre.value is not None and post.value is not None else None
            reason = pre.reason or (post.reason if simulated else None)
            note = f"not measurable: {reason}" if reason else ""
            if parameter.is_length and pre.value is not None:
                note = f"scale: {analysis.calibration.source}"
            muted = pre.value is None
            texts = (_fmt(pre), _fmt(post), "" if delta is None else fixed(delta, signed=True))
            assumption = f"planned with: {analysis.compensation_label}" if simulated else ""
            for column, text in enumerate(texts, start=PRE):
                tooltip = "\n".join(t for t in (note, assumption if column > PRE else "") if t)
                self._set(parameter.key, column, text, tooltip, muted)
            self._set(parameter.key, NOTE, note, note, False)

    def _set(self, key: str, column: int, text: str, tooltip: str, muted: bool) -> None:
        """Touch a cell only when what it shows changes: a drag changes a few values, and every
        Qt call here costs (issue 3's drag budget is 4 ms for everything)."""
        if self._shown.get((key, column)) == (text + "\0" + tooltip, muted):
            return
        self._shown[(key, column)] = (text + "\0" + tooltip, muted)
        cell = self._cells[(key, column)]
        cell.setText(text)
        cell.setToolTip(tooltip)
        self._tips.pop((key, column), None)
        if column != NOTE:
            cell.setForeground(MUTED if muted else self.palette().text().color())

    def show_judgement(
        self,
        preop: dict[str, list[Verdict]],
        postop: dict[str, list[Verdict]],
        uncertainty: Uncertainty | None,
        simulated: bool,
    ) -> None:
        """Colour each value by the chosen preset and fill the ± column (issue 5 §3, §4)."""
        for parameter in PARAMETERS:
            key = parameter.key
            for column, verdicts in ((PRE, preop), (POST, postop)):
                self._judge(key, column, verdicts.get(key, []))
            if uncertainty is None:  # stale while a drag goes on: an empty column, cheaply
                if self._cells[(key, BAND)].text():
                    self._cells[(key, BAND)].setText("")
                continue
            stages = (("preop", preop), ("postop", postop)) if simulated else (("preop", preop),)
            texts, notes = [], []
            for stage, verdicts in stages:
                band = uncertainty.band(key, stage)
                texts.append("—" if band is None else f"±{fixed(band)}")
                for verdict in verdicts.get(key, []):
                    edge = straddled(verdict, band)
                    if edge is not None and band is not None and verdict.value is not None:
                        texts[-1] += "?"
                        which = "planned" if stage == "postop" else "pre-op"
                        notes.append(
                            f"{which} {key} {verdict.value:.1f} ± {band:.1f}{parameter.symbol}: could be "
                            f"either side of {edge:g}{parameter.symbol} ({verdict.target.label})"
                        )
                        break
            text = " → ".join(texts) if any(t != "—" for t in texts) else ""
            scope = "pre-op → planned values" if simulated else "pre-op value"
            tip = "\n".join([*notes, f"95 % band of the {scope}, from {uncertainty.method}"])
            cell = self._cells[(key, BAND)]
            if cell.text() != text:
                cell.setText(text)
            if self._tips.get((key, BAND)) != tip:
                self._tips[(key, BAND)] = tip
                cell.setToolTip(tip)

    def _judge(self, key: str, column: int, verdicts: list[Verdict]) -> None:
        signature = tuple((v.status, v.threshold, v.reason) for v in verdicts)
        if self._judged.get((key, column)) == signature and (key, column) in self._tips:
            return  # a drag rarely changes a verdict: nothing to redo (drag budget, issue 3)
        self._judged[(key, column)] = signature
        cell = self._cells[(key, column)]
        known = [v for v in verdicts if v.status != "unknown"]
        status = known[0].status if known else None
        if self._status.get((key, column)) != status:
            self._status[(key, column)] = status
            cell.setBackground(STATUS_COLOURS[status] if status else QBrush())
        lines = [
            f"{STATUS_WORDS.get(v.status, 'not judged')} ({v.target.label}): {v.threshold or v.reason}"
            for v in verdicts
        ]
        base = self._shown.get((key, column), ("\0", False))[0].split("\0", 1)[1]
        tooltip = "\n\n".join(t for t in (base, "\n".join(lines)) if t)
        if self._tips.get((key, column)) != tooltip:  # a drag changes few of them
            self._tips[(key, column)] = tooltip
            cell.setToolTip(tooltip)
