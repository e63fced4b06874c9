"""Live measurement table: every registry parameter with value, unit, normal range and, when it
cannot be measured, why. Cells are updated in place on each change (no rebuild per drag).

A QTableWidget on purpose: its cells live in C++, so painting the table is cheap, and only the
cells whose text changed are touched. (A Python table model was tried: every cell of every paint
calls back into Python, about 6 ms for this table, and a repaint of the canvas flushes the
table's pending paint with it.)"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.calibration.spacing import Calibration
from alignment_planner.measurements import PARAMETERS, Value
from alignment_planner.output.reader_text import for_reader
from alignment_planner.output.rows import (
    UNSURE_MARK,
    UNSURE_NOTE,
    Stage,
    band_of,
    measurement_row,
    unsure_edge,
    unsure_words,
)
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.catalogue import describe, osteotomy_reading_order, reading_order
from alignment_planner.targets.overcorrection import is_overcorrection
from alignment_planner.targets.presets import Status, Verdict
from alignment_planner.targets.verdict_text import verdict_line
from ui.panels.column_fit import fit_column
from ui.panels.verdict_palette import JUDGEMENT_FILLS, ink_for

COLUMNS = ("Parameter", "Pre-op", "Planned", "Δ", "± 95 %", "Unit", "Normal", "Note")
PRE, POST, DELTA, BAND, UNIT, NORMAL, NOTE = range(1, 8)
MUTED = QColor(140, 140, 140)
STATUS_COLOURS = {key: JUDGEMENT_FILLS[key] for key in ("within", "borderline", "outside")}
DARK_STATUS_COLOURS = STATUS_COLOURS  # one set for both themes (ui/panels/verdict_palette.py)
STATUS_INK = ink_for(STATUS_COLOURS["within"])  # the ink of every status fill (tested ≥ 4.5:1)


# What a row was last built from: pre-op and planned values, and (simulated, calibration,
# compensation label), which change its texts too.
RowInputs = tuple[Value, Value, tuple[bool, Calibration, str]]
# What a value cell was last judged with: (status, threshold, reason, over-corrected) of each verdict.
VerdictSignature = tuple[tuple[Status, str, str | None, bool], ...]


def status_colour(widget: QWidget, status: str) -> QColor:
    """A verdict's colour: deep enough for ``STATUS_INK`` text in the dark and the light theme
    alike (a theme switch then needs no repaint of every verdict)."""
    del widget
    return DARK_STATUS_COLOURS[status]


def _set_ink(item: QTableWidgetItem, colour: QColor | None) -> None:
    """``colour``, or no colour of its own: the text then follows the theme's palette, so a
    switch to the light theme with a plan open does not leave the dark theme's near-white text on
    a white table (second review N0)."""
    item.setData(Qt.ItemDataRole.ForegroundRole, None if colour is None else QBrush(colour))


@dataclass(slots=True, eq=False)
class _Cell:
    """One table cell with what it shows, as last set: Qt is called only when this changes (a
    drag changes a few values, and every Qt call costs; issue 3's drag budget is 4 ms)."""

    item: QTableWidgetItem
    text: str = ""
    note: str | None = None  # the tooltip that goes with the value; None until a value is shown
    muted: bool = False
    tooltip: str | None = None  # as set with verdicts or bands added; None: the note alone
    status: Status | None = None  # the verdict the cell is coloured with
    judged: VerdictSignature | None = None  # the verdicts ``tooltip`` and ``status`` came from


@dataclass(slots=True, eq=False)
class _Row:
    """One parameter's cells (by column) and the inputs its texts were last built from."""

    cells: tuple[_Cell, ...]
    inputs: RowInputs | None = None


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
        # Alternating rows separate the values; grid lines would cost a pixel a column, and the
        # columns are as wide as their contents (nothing elided) beside a film of 60 % of 1366 px.
        self.table.setShowGrid(False)
        self.table.setFrameShape(QTableWidget.Shape.NoFrame)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        self._rows: dict[str, _Row] = {}
        self._values: dict[tuple[str, Stage], float | None] = {}  # (key, stage) → value shown
        for row, parameter in enumerate(PARAMETERS):
            items = []
            for column in range(len(COLUMNS)):
                item = QTableWidgetItem()
                if column in (PRE, POST, DELTA, BAND):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
                items.append(item)
            self._rows[parameter.key] = _Row(tuple(_Cell(item) for item in items))
            name = items[0]
            # The short reader name ("PI−LL") keeps the table narrow enough to sit beside a large
            # film; the full name and definition are a hover away.
            name.setText(parameter.label)
            name.setToolTip(for_reader(f"{parameter.name}\n{parameter.definition}"))
            items[UNIT].setText(parameter.symbol)
            normal = for_reader(parameter.normal or "")
            items[NORMAL].setText(normal.split(" (")[0])
            items[NORMAL].setToolTip(normal)
        # Widths are set once, not re-fitted per change: ResizeToContents re-measures every row on
        # each setText, which alone cost ~0.2 ms per changed cell during a drag.
        # The note ("not measurable: …") is in each value's tooltip; its own column would push
        # the normal ranges out of a panel that leaves the film most of the window.
        self.table.setColumnHidden(NOTE, True)
        band_header = self.table.horizontalHeaderItem(BAND)
        if band_header is not None:  # the header says what "?" means (issue 15 §3)
            band_header.setToolTip(f"95 % band of the value from landmark placement error.\n{UNSURE_NOTE}")
        header.setStretchLastSection(False)
        for column in (0, UNIT, NORMAL):  # fixed texts: as wide as the widest of them
            fit_column(self.table, column)
        for column in (PRE, POST, DELTA):  # live values: as wide as the widest there can be
            fit_column(self.table, column, ("−999.9", "+999.9"))
        fit_column(self.table, BAND, ("±99.9? → ±99.9?",))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.calibration)
        layout.addWidget(self.table)
        self.footer = QLabel()  # the plan's procedures, cranial to caudal (issue 21 §4)
        self.footer.setWordWrap(True)
        self.footer.setObjectName("procedures-footer")
        layout.addWidget(self.footer)

    def set_film_label(self, label: str) -> None:
        """Name the value column after the film measured (a follow-up's "1 year (2027-03-15)"
        rather than "Pre-op")."""
        self.table.setHorizontalHeaderItem(PRE, QTableWidgetItem(label))
        fit_column(self.table, PRE, ("−999.9", "+999.9"))

    def show_procedures(self, plan: Plan) -> None:
        """The footer: osteotomies and other procedures, each list cranial to caudal."""
        calibrated = plan.calibration.calibrated
        cuts = [plan.osteotomies[i].summary for i in osteotomy_reading_order(plan.osteotomies)]
        others = [describe(plan.procedures[i], calibrated=calibrated) for i in reading_order(plan.procedures)]
        lines = []
        if cuts:
            lines.append("Osteotomies: " + "; ".join(cuts))
        if others:
            lines.append("Procedures: " + "; ".join(others))
        self.footer.setText("\n".join(lines))
        self.footer.setVisible(bool(lines))

    def text(self, key: str, column: int) -> str:
        """What a cell shows (tests read the panel as a user would)."""
        return self._rows[key].cells[column].item.text()

    def tooltip(self, key: str, column: int) -> str:
        return self._rows[key].cells[column].item.toolTip()

    def value_text(self, key: str, stage: str = "preop") -> str:
        """What the table shows for ``key`` (tests read the panel as a user would)."""
        return self.text(key, PRE if stage == "preop" else POST)

    def status_of(self, key: str, stage: str = "preop") -> str | None:
        """The target verdict a value cell is coloured with (tests read it as a user sees it)."""
        return self._rows[key].cells[PRE if stage == "preop" else POST].status

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
            self._values[parameter.key, "preop"] = pre.value
            self._values[parameter.key, "postop"] = post.value
            row = self._rows[parameter.key]
            inputs = (pre, post, context)
            if row.inputs == inputs:
                continue  # an angle drag leaves the pelvic values (and many others) as they were
            row.inputs = inputs
            values = measurement_row(analysis, parameter)  # the same row the CLI table and PDF print
            reason = values.missing_reason
            note = f"not measurable: {reason}" if reason else ""
            if parameter.is_length and pre.value is not None:
                note = f"scale: {analysis.calibration.source_text}"
            muted = pre.value is None
            texts = (values.preop_text, values.planned_text, values.delta_text)
            assumption = f"planned with: {analysis.compensation_label}" if simulated else ""
            for column, text in enumerate(texts, start=PRE):
                tooltip = "\n".join(t for t in (note, assumption if column > PRE else "") if t)
                self._set(row.cells[column], text, tooltip, muted, column != NOTE)
            self._set(row.cells[NOTE], note, note, False, False)

    def _set(self, cell: _Cell, text: str, note: str, muted: bool, shows_value: bool) -> None:
        """Touch a cell only when what it shows changes."""
        if cell.text == text and cell.note == note and cell.muted == muted:
            return
        cell.text, cell.note, cell.muted = text, note, muted
        cell.item.setText(text)
        cell.item.setToolTip(note)
        cell.tooltip = None  # the verdicts are added to the new note when next judged
        if shows_value:
            _set_ink(cell.item, MUTED if muted else None)

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
            cells = self._rows[key].cells
            for column, verdicts in ((PRE, preop), (POST, postop)):
                self._judge(cells[column], verdicts.get(key, []))
            cell = cells[BAND]
            if uncertainty is None:  # stale while a drag goes on: an empty column, cheaply
                if cell.text:
                    cell.text = ""
                    cell.item.setText("")
                continue
            stages: tuple[tuple[Stage, dict[str, list[Verdict]]], ...] = (
                (("preop", preop), ("postop", postop)) if simulated else (("preop", preop),)
            )
            texts, notes = [], []
            unsure = False
            for stage, verdicts in stages:
                which = "planned" if stage == "postop" else "pre-op"
                # The row builder's band: "±2.4", "+12.3/−8.1" (a ratio, sampled) or "undefined".
                band_cell = band_of(uncertainty, key, stage, self._values.get((key, stage)))
                texts.append(band_cell.text)
                if band_cell.note is not None:
                    notes.append(f"{which} {parameter.label}: {band_cell.note}")
                band = band_cell.half
                found = unsure_edge(verdicts.get(key, []), band)  # the core's one rule (CLI, PDF too)
                if found is not None and band is not None:
                    texts[-1] += UNSURE_MARK
                    notes.append(unsure_words(stage, parameter, band, found))
                    unsure = True
            text = " → ".join(texts) if any(t != "—" for t in texts) else ""
            scope = "pre-op → planned values" if simulated else "pre-op value"
            legend = UNSURE_NOTE if unsure else ""
            source = f"95 % band of the {scope}, from {for_reader(uncertainty.method)}"
            tip = "\n".join(t for t in (*notes, source, legend) if t)
            if cell.text != text:
                wrapped = "/" in cell.text or "/" in text  # an asymmetric band: two lines' worth
                cell.text = text
                cell.item.setText(text)
                if wrapped:  # the row grows to show it whole (rare: ratios only), then shrinks back
                    self.table.resizeRowToContents(cell.item.row())
            if cell.tooltip != tip:
                cell.tooltip = tip
                cell.item.setToolTip(tip)

    def _judge(self, cell: _Cell, verdicts: list[Verdict]) -> None:
        signature = tuple((v.status, v.threshold, v.reason, is_overcorrection(v)) for v in verdicts)
        if cell.judged == signature and cell.tooltip is not None:
            return  # a drag rarely changes a verdict: nothing to redo (drag budget, issue 3)
        cell.judged = signature
        known = [v for v in verdicts if v.status != "unknown"]
        status = known[0].status if known else None
        if cell.status != status:
            cell.status = status
            cell.item.setBackground(status_colour(self, status) if status else QBrush())
            _set_ink(cell.item, STATUS_INK if status else None)
        lines = [verdict_line(v) for v in verdicts]  # the wording Suggest's values use too
        tooltip = "\n\n".join(t for t in (cell.note or "", "\n".join(lines)) if t)
        if cell.tooltip != tooltip:  # a drag changes few of them
            cell.tooltip = tooltip
            cell.item.setToolTip(tooltip)
