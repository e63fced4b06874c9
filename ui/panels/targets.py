"""Every target preset's verdict, pre-op and planned, side by side (issue 5 §3), the spread of
the PI-based ideal lordosis formulas for this patient, and the settings of the judgement: the
preset that colours the measurement table and the per-point error behind the ± bands."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.output.formatting import fixed
from alignment_planner.output.reader_text import for_reader
from alignment_planner.output.rows import ClassificationStages, GradeRow, gap_text
from alignment_planner.targets.overcorrection import is_overcorrection
from alignment_planner.targets.presets import Preset, Verdict, builtin_presets, preset_by_id
from alignment_planner.targets.verdict_text import verdict_words
from ui.panels.measurements import STATUS_COLOURS, STATUS_INK, status_colour
from ui.panels.wrapped_tree import WrappedTree

STATUS_TEXT = {"within": "✓ within", "borderline": "~ borderline", "outside": "✗ outside", "unknown": "—"}
OVER_MARK = " (over)"
"""Beside a verdict below its band's lower edge: over-corrected (as Suggest marks a value)."""
CLASSIFICATION_GROUP = "Classification (published grades)"
"""The group under the presets: SRS-Schwab, GAP, Roussouly and Ames grades, pre-op and planned,
from the row builder the ``measure`` table and the PDF print (over-correction marked beside a
one-sided grade)."""


class TargetsPanel(QWidget):
    preset_changed = Signal(str)
    point_sd_changed = Signal(float)

    def __init__(self, preset_id: str, point_sd_mm: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset_box = QComboBox()
        for preset in builtin_presets():
            self.preset_box.addItem(preset.name, preset.id)
        index = self.preset_box.findData(preset_id)
        self.preset_box.setCurrentIndex(max(index, 0))
        self.preset_box.currentIndexChanged.connect(lambda _i: self.preset_changed.emit(self.preset_id))
        self.preset_box.currentIndexChanged.connect(lambda _i: self._show_caveat())
        # Preset names are long ("… success thresholds"); the closed box must not widen the panel
        # column past its share of a 1366 px screen (the list shows them whole).
        self.preset_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_box.setMinimumContentsLength(22)
        self.preset_box.setToolTip("The target preset that colours the measurement table")
        self.sd_spin = QDoubleSpinBox()
        self.sd_spin.setRange(0.0, 10.0)
        self.sd_spin.setSingleStep(0.5)
        self.sd_spin.setDecimals(1)
        self.sd_spin.setSuffix(" mm")
        self.sd_spin.setSpecialValueText("fitted model")  # at 0: clinical.md §5.4
        self.sd_spin.setValue(point_sd_mm)
        self.sd_spin.setToolTip(
            "Landmark placement error behind the ± bands. 'fitted model': per landmark class, along "
            "and across each endplate, fitted to the published SEMs. A "
            "value: the same isotropic error (1 SD, each axis) on every point."
        )
        self.sd_spin.valueChanged.connect(self.point_sd_changed.emit)
        self.ideal_ll = QLabel()
        self.ideal_ll.setWordWrap(True)
        self.caveat = QLabel()  # the chosen preset's unconfirmed values, said where it is chosen
        self.caveat.setWordWrap(True)
        self.caveat.setObjectName("preset-caveat")
        self.caveat.setStyleSheet("background: #4a3b10; color: #ffe08a; padding: 4px")
        # Read whole at 1366 px: preset names span the row, long labels and values wrap.
        self.tree = WrappedTree(["Target", "Pre-op", "Planned"])
        form = QFormLayout()
        form.addRow("Colour the table by", self.preset_box)
        form.addRow("Landmark error", self.sd_spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.caveat)
        layout.addWidget(self.ideal_ll)
        layout.addWidget(self.tree, 1)
        self._show_caveat()

    def _show_caveat(self) -> None:
        """A preset whose values are not all confirmed against their source says so in view,
        not only in a tooltip: its "outside" may call a normal spine abnormal."""
        preset = self.preset
        unconfirmed = [t for t in preset.targets if not t.confirmed]
        if not unconfirmed:
            self.caveat.hide()
            return
        keys = ", ".join(dict.fromkeys(t.label for t in unconfirmed))
        self.caveat.setText(
            f"⚠ {preset.name}: {len(unconfirmed)} of {len(preset.targets)} thresholds are unconfirmed "
            f"(not yet checked against the source: {keys}). Treat its within/outside colours as "
            "provisional; they can call a normal spine outside."
        )
        self.caveat.setToolTip(for_reader(preset.note))
        self.caveat.show()

    @property
    def point_sd_mm(self) -> float | None:
        """The isotropic per-point SD, or ``None`` for the fitted error model."""
        value = self.sd_spin.value()
        return value if value > 0.0 else None

    @property
    def preset_id(self) -> str:
        return str(self.preset_box.currentData())

    @property
    def preset(self) -> Preset:
        return preset_by_id(self.preset_id)

    def show_verdicts(
        self,
        verdicts: list[tuple[Preset, tuple[Verdict, ...], tuple[Verdict, ...]]],
        simulated: bool,
        classification: ClassificationStages | None = None,
    ) -> None:
        self.tree.setColumnHidden(2, not simulated)  # the columns are sized again by adopt()
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        expanded = {self.tree.whole(item, 0) for item in items if item is not None and item.isExpanded()}
        self.tree.clear()
        for preset, pre, post in verdicts:
            top = QTreeWidgetItem([preset.name])
            top.setToolTip(0, for_reader(f"{preset.citation}\n{preset.note}").strip())
            self.tree.addTopLevelItem(top)
            for before, after in zip(pre, post, strict=True):
                label = before.target.label if before.target.label != before.target.key else before.target.key
                row = QTreeWidgetItem([label, _text(before), _text(after)])
                for column, verdict in ((1, before), (2, after)):
                    if verdict.status in STATUS_COLOURS:
                        row.setBackground(column, QBrush(status_colour(self, verdict.status)))
                        row.setForeground(column, QBrush(STATUS_INK))
                    rule = verdict.threshold or (verdict.reason or "")
                    over = is_overcorrection(verdict)
                    row.setToolTip(column, f"{verdict_words(verdict)}: {rule}" if over else rule)
                unconfirmed = "" if before.target.confirmed else " (unconfirmed)"
                row.setText(0, label + unconfirmed)
                row.setToolTip(0, f"{label}{unconfirmed}\n{for_reader(before.target.source)}")
                top.addChild(row)
            top.setExpanded(preset.name in expanded or not expanded)
        if classification is not None:
            self._show_classification(classification, expanded)
        self.tree.adopt()
        self._show_ideal_ll(verdicts)

    def _show_classification(self, c: ClassificationStages, expanded: set[str]) -> None:
        top = QTreeWidgetItem([CLASSIFICATION_GROUP])
        top.setToolTip(0, "Published grades of the values, pre-op and planned; over-correction "
                          "(below a two-sided target band) is marked beside a one-sided grade")
        self.tree.addTopLevelItem(top)
        for row in c.schwab_rows():
            top.addChild(self._grade_item(f"SRS-Schwab {row.label}", row, "SRS-Schwab"))
        gap = []
        for stage in c.stages:
            text = gap_text(stage.gap.total, stage.gap.category)
            why = "needs the patient's age" if stage.gap.age is None else "inputs missing"
            gap.append(text if text is not None else f"— ({why})")
        top.addChild(QTreeWidgetItem(["GAP score", *gap]))
        roussouly = QTreeWidgetItem(["Roussouly type", *(r or "—" for r in c.roussouly())])
        roussouly.setToolTip(0, "Advisory: readers agree moderately (inter-rater κ 0.37–0.43)")
        top.addChild(roussouly)
        for row in c.ames_rows():
            top.addChild(self._grade_item(f"Ames {row.label}", row, "Cervical (Ames-ISSG)"))
        top.setExpanded(CLASSIFICATION_GROUP in expanded or not expanded)

    def _grade_item(self, label: str, row: GradeRow, band_preset: str) -> QTreeWidgetItem:
        """A grade per stage; a stage whose value is over-corrected says so in its cell, in the
        "outside" colour: the one-sided grade alone (0) would read as aligned."""
        item = QTreeWidgetItem([label, *(row.cell(i) for i in range(len(row.grades)))])
        for stage, over in enumerate(row.overcorrected):
            if over is None:
                continue
            item.setBackground(stage + 1, QBrush(status_colour(self, "outside")))
            item.setForeground(stage + 1, QBrush(STATUS_INK))
            item.setToolTip(
                stage + 1,
                f"Graded {row.grades[stage]} by the published one-sided modifier, but {over} lies below "
                f"the lower edge of the {band_preset} target band: over-corrected",
            )
        return item

    def _show_ideal_ll(self, verdicts: list[tuple[Preset, tuple[Verdict, ...], tuple[Verdict, ...]]]) -> None:
        ideals = [
            (v.target.label, v.ideal)
            for preset, pre, _post in verdicts
            if preset.id == "ideal-ll"
            for v in pre
            if v.ideal is not None
        ]
        if not ideals:
            self.ideal_ll.setText("Ideal lordosis: needs PI (and the patient's age for Hasegawa)")
            return
        values = [ideal for _label, ideal in ideals]
        self.ideal_ll.setText(
            f"Ideal LL for this PI: {fixed(min(values))}–{fixed(max(values))}° across {len(values)} "
            "formulas (they disagree; none is the ideal)"
        )
        self.ideal_ll.setToolTip("\n".join(f"{label}: {fixed(value)}°" for label, value in ideals))


def _text(verdict: Verdict) -> str:
    if verdict.value is None:
        return f"— ({verdict.reason})" if verdict.reason else "—"
    over = OVER_MARK if is_overcorrection(verdict) else ""
    return f"{fixed(verdict.value)}  {STATUS_TEXT[verdict.status]}{over}"
