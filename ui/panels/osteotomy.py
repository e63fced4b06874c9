"""The osteotomy tool: add cuts by type and level, set each angle with a slider or a spin box,
solve an angle for a target, search corrections for several goals, choose the pelvic
compensation. Fusion and the other procedures are in the Procedures box (procedures.py). Every
change goes through the controller (one undo step per gesture); this panel only reflects the plan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSlider,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.anatomy.levels import DISCS, LEVELS
from alignment_planner.errors import ProcedureError
from alignment_planner.output.reader_text import for_reader
from alignment_planner.plan.model import Compensation, Osteotomy, Plan, same_but_annotations
from alignment_planner.planning.search import ALREADY_MET, Goal, Option, preop_meets_every_goal, search
from alignment_planner.procedures.compensation import (
    COMPENSATION_MODELS,
    DEFAULT_IDEAL_PT_FORMULA,
    IDEAL_PT_FORMULAS,
)
from alignment_planner.procedures.points_needed import missing_steps
from alignment_planner.procedures.registry import DEFAULT_PROCEDURE, PROCEDURE_TYPES
from alignment_planner.procedures.site_pick import level_at
from alignment_planner.scene.ghosts import with_ghosts
from ui.document.controller import PlanController
from ui.panels.goals import GoalsEditor, SuggestionTable
from ui.panels.parameter_box import ParameterBox

SLIDER_STEPS_PER_DEGREE = 10
SOLVE_KEYS = ("SVA", "TPA", "GT", "PI_LL", "LL", "L1PA", "CPA", "T1S", "PT")
DEFAULT_GOALS = "PI_LL<10, TPA<14, SVA<40"
DEFAULT_LEVEL = {"disc": "L4-L5", "vertebra": "L3"}


CUT_LIST_MAX_ROWS = 6


class OsteotomyPanel(QWidget):
    selection_changed = Signal(int)
    dragging = Signal(bool)  # an angle slider drag starts (True) or ends (False)
    preset_goals_wanted = Signal()  # the user asks for the chosen target preset as goals
    points_needed = Signal(object, tuple)  # an Osteotomy, and the wizard steps it still needs

    def __init__(self, controller: PlanController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._updating = False
        self._shown_for: tuple[Plan, Analysis] | None = None  # what the list was last refreshed for
        self._boxes_show: tuple[int, str, str] | None = None  # the cut the Type/Level boxes show
        self._slider_serial = 0
        self.options: list[Option] = []

        # Adding a cut.
        self.type_box = QComboBox()
        for kind in PROCEDURE_TYPES.values():
            self.type_box.addItem(f"{kind.key} — {kind.name}", kind.key)
        self.level_box = QComboBox()
        self.add_button = QPushButton("Add")
        self.pick_button = QPushButton("Click on image…")
        self.pick_button.setCheckable(True)
        self.pick_button.setToolTip(
            "Then click the vertebra (or the disc) on the pre-op image to add the cut there"
        )
        self.type_box.currentIndexChanged.connect(lambda _i: self._fill_levels())
        self.add_button.clicked.connect(self.add_selected_type)
        add_row = QHBoxLayout()
        add_row.addWidget(self.level_box, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.pick_button)

        # The plan's cuts and the selected one's angle.
        self.cuts = QListWidget()
        self.cuts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cuts.currentRowChanged.connect(self._row_changed)
        self._fit_cut_list()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(-20 * SLIDER_STEPS_PER_DEGREE, 70 * SLIDER_STEPS_PER_DEGREE)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-20.0, 70.0)
        self.spin.setDecimals(1)
        self.spin.setSingleStep(0.5)
        self.spin.setSuffix("°")
        self.slider.sliderPressed.connect(self._slider_pressed)
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderReleased.connect(self._slider_released)
        self.spin.valueChanged.connect(self._spin_changed)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove)
        self.reset_hinge_button = QPushButton("Default hinge")
        self.reset_hinge_button.setToolTip("Return the hinge to the type's default position")
        self.reset_hinge_button.clicked.connect(self._reset_hinge)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        angle_row = QHBoxLayout()
        angle_row.addWidget(self.slider, 1)
        angle_row.addWidget(self.spin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_hinge_button)
        buttons.addWidget(self.remove_button)

        # Solving the selected cut's angle for one target.
        self.solve_key = ParameterBox(SOLVE_KEYS)  # the reader name shown, the key as data
        self.solve_value = QDoubleSpinBox()
        self.solve_value.setRange(-500.0, 500.0)
        self.solve_value.setDecimals(1)
        self.solve_button = QPushButton("Solve angle")
        self.solve_button.clicked.connect(self._solve)
        solve_row = QHBoxLayout()
        solve_row.addWidget(self.solve_key)
        solve_row.addWidget(QLabel("="))
        solve_row.addWidget(self.solve_value)
        solve_row.addWidget(self.solve_button)

        # Searching corrections for several goals.
        self.goals = GoalsEditor(DEFAULT_GOALS)
        self.suggest_button = QPushButton("Suggest")
        self.preset_goals_button = QPushButton("From preset")
        self.preset_goals_button.setToolTip("Fill the goals with the ranges of the preset chosen in Targets")
        self.preset_goals_button.clicked.connect(self.preset_goals_wanted.emit)
        self.suggest_button.clicked.connect(self._suggest)
        self.suggestions = SuggestionTable()
        # (as tall as its options: SuggestionTable._fit_height)
        self.suggestions.itemDoubleClicked.connect(lambda item, _column: self._apply_suggestion(item))
        goal_row = QHBoxLayout()
        goal_row.addStretch(1)
        goal_row.addWidget(self.preset_goals_button)
        goal_row.addWidget(self.suggest_button)

        # Long item names must not widen the panel (it shares the window with the film): the
        # boxes show what fits and drop down to full width.
        self.type_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.type_box.setMinimumContentsLength(16)

        # Compensation.
        self.model_box = QComboBox()
        for model in COMPENSATION_MODELS.values():
            self.model_box.addItem(model.name, model.key)
        self.personal_fit: dict[str, float | int] | None = None
        """The surgeon's fitted model (issue 19 §4), set by the follow-up actions."""
        self.pt_spin = QDoubleSpinBox()
        self.pt_spin.setRange(-20.0, 60.0)
        self.pt_spin.setValue(20.0)
        self.pt_spin.setSuffix("°")
        self.formula_box = QComboBox()
        for formula in IDEAL_PT_FORMULAS.values():
            self.formula_box.addItem(formula.describe(), formula.key)
        self.model_box.currentIndexChanged.connect(lambda _i: self._compensation_changed())
        self.pt_spin.editingFinished.connect(self._compensation_changed)
        self.formula_box.currentIndexChanged.connect(lambda _i: self._compensation_changed())
        for combo in (self.model_box, self.formula_box):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.compensation_label = QLabel()
        self.compensation_label.setWordWrap(True)

        cuts_box = QGroupBox("Osteotomies")
        cuts_layout = QFormLayout(cuts_box)
        cuts_layout.addRow("Type", self.type_box)
        cuts_layout.addRow("Level", add_row)
        cuts_layout.addRow(self.cuts)
        cuts_layout.addRow("Angle", angle_row)
        cuts_layout.addRow(buttons)
        cuts_layout.addRow(self.detail)
        cuts_layout.addRow("Solve", solve_row)
        plan_box = QGroupBox("Suggest corrections")
        plan_layout = QVBoxLayout(plan_box)
        plan_layout.addWidget(self.goals)
        plan_layout.addLayout(goal_row)
        plan_layout.addWidget(self.suggestions)
        compensation_box = QGroupBox("Pelvic compensation")
        compensation_layout = QFormLayout(compensation_box)
        compensation_layout.addRow("Model", self.model_box)
        compensation_layout.addRow("PT target", self.pt_spin)
        compensation_layout.addRow("Ideal PT", self.formula_box)
        compensation_layout.addRow(self.compensation_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for box in (cuts_box, plan_box, compensation_box):
            layout.addWidget(box)
        layout.addStretch(1)
        self._fill_levels()
        self.type_box.setCurrentIndex(self.type_box.findData(DEFAULT_PROCEDURE))
        controller.plan_changed.connect(self._plan_changed)
        self.refresh()

    # --- reflecting the plan ----------------------------------------------------------------------

    @property
    def selected(self) -> int:
        return self.cuts.currentRow()

    def _plan_changed(self) -> None:
        plan, analysis = self.controller.plan, self.controller.analysis
        shown = self._shown_for
        if shown is not None and shown[1] is analysis and same_but_annotations(shown[0], plan):
            return  # a free measurement edited: the cuts and the compensation are as shown
        self.refresh()

    def refresh(self) -> None:
        plan, analysis = self.controller.plan, self.controller.analysis
        self._shown_for = (plan, analysis)
        self._updating = True
        try:
            self._show_cuts(plan, analysis)
            self._show_compensation(plan, analysis)
        finally:
            self._updating = False

    def _fit_cut_list(self) -> None:
        """As tall as its cuts (one row when empty, scrolling beyond six): an empty list must not
        push the angle slider, Remove and Solve below a laptop screen's fold."""
        rows = min(max(self.cuts.count(), 1), CUT_LIST_MAX_ROWS)
        empty_row = self.cuts.fontMetrics().height() + 4
        row_height = self.cuts.sizeHintForRow(0) if self.cuts.count() else empty_row
        self.cuts.setFixedHeight(rows * row_height + 2 * self.cuts.frameWidth() + 2)

    def _show_cuts(self, plan: Plan, analysis: Analysis) -> None:
        row = self.cuts.currentRow()
        texts = [self._describe(i, o, analysis) for i, o in enumerate(plan.osteotomies)]
        if self.cuts.count() != len(texts):
            self.cuts.clear()
            self.cuts.addItems(texts)
            self._fit_cut_list()
        else:  # an angle step: rewrite the one line that changed, keep the list as it is
            for i, text in enumerate(texts):
                item = self.cuts.item(i)
                if item.text() != text:
                    item.setText(text)
        if plan.osteotomies:
            row = min(max(row, 0), len(plan.osteotomies) - 1)
            self.cuts.setCurrentRow(row)
        selected = plan.osteotomies[row] if plan.osteotomies and row >= 0 else None
        for widget in (
            self.slider,
            self.spin,
            self.remove_button,
            self.reset_hinge_button,
            self.solve_button,
        ):
            widget.setEnabled(selected is not None)
        if selected is None:
            self.detail.setText("Add a cut: choose the type and level, then Add.")
            return
        self._show_in_boxes(row, selected)
        self.slider.setValue(round(selected.angle_deg * SLIDER_STEPS_PER_DEGREE))
        self.spin.setValue(selected.angle_deg)
        self.reset_hinge_button.setEnabled(selected.hinge is not None)
        kind = PROCEDURE_TYPES[selected.type]
        low, high = kind.typical_range
        lines = [for_reader(f"{kind.name}. Typical {low:g}–{high:g}° ({kind.source}).")]
        lines.append(
            "Hinge: " + ("moved by you" if selected.hinge else "default; drag it on the pre-op image")
        )
        self.detail.setText(" ".join(lines))

    def _show_in_boxes(self, row: int, selected: Osteotomy) -> None:
        """The Type and Level boxes name the selected cut (a PSO L3 selected must not read as the
        last-added "SPO T12-L1"); set when another cut is selected, not on each angle step, so a
        type chosen for the next Add stays while the selected cut's angle is dragged."""
        shown = (row, selected.type, selected.level)
        if shown == self._boxes_show:
            return
        self._boxes_show = shown
        self.type_box.setCurrentIndex(self.type_box.findData(selected.type))  # refills the levels
        self.level_box.setCurrentText(selected.level)

    def _describe(self, index: int, osteotomy: Osteotomy, analysis: Analysis) -> str:
        text = f"{osteotomy.type} {osteotomy.level}  {osteotomy.angle_deg:.1f}°"
        wedge = analysis.wedges[index] if index < len(analysis.wedges) else None
        if wedge is not None:
            text += f"   {wedge.describe()}"
            if wedge.warning:
                text += "   ⚠ does not fit"
        low, high = PROCEDURE_TYPES[osteotomy.type].typical_range
        if not low <= osteotomy.angle_deg <= high:
            text += "   ⚠ outside typical range"
        return text

    def _show_compensation(self, plan: Plan, analysis: Analysis) -> None:
        compensation = plan.compensation_or_default
        self.model_box.setCurrentIndex(self.model_box.findData(compensation.model))
        if compensation.pt_deg is not None:
            self.pt_spin.setValue(compensation.pt_deg)
        formula = str(compensation.extra.get("formula", DEFAULT_IDEAL_PT_FORMULA))
        self.formula_box.setCurrentIndex(max(self.formula_box.findData(formula), 0))
        self.pt_spin.setEnabled(compensation.model == "pt_target")
        self.formula_box.setEnabled(compensation.model == "pt_ideal")
        label = analysis.compensation_label if analysis.simulated else "no osteotomy planned yet"
        text = f"Predicted values assume: {label}"
        if analysis.model_error is not None:  # clinical.md §4.6 "Honesty"
            text += f".\nPrediction error: {analysis.model_error.describe()}"
        fixed = analysis.pelvis_fixed
        if fixed is not None:
            shown = [
                f"{key} {value:.1f}{unit}"
                for key, unit in (("PT", "°"), ("SVA", " mm"))
                if (value := fixed.value(key)) is not None
            ]
            text += "\nPelvis fixed instead: " + ", ".join(shown)
        self.compensation_label.setText(for_reader(text))

    def _fill_levels(self) -> None:
        kind = PROCEDURE_TYPES[self.type_box.currentData() or DEFAULT_PROCEDURE]
        current = self.level_box.currentText()
        self.level_box.clear()
        self.level_box.addItems(DISCS if kind.site == "disc" else LEVELS)
        wanted = current if self.level_box.findText(current) >= 0 else DEFAULT_LEVEL[kind.site]
        self.level_box.setCurrentText(wanted)

    # --- gestures -------------------------------------------------------------------------------

    def add_selected_type(self) -> None:
        type_key = self.type_box.currentData()
        kind = PROCEDURE_TYPES[type_key]
        osteotomy = Osteotomy(type_key, self.level_box.currentText(), kind.default_angle)
        needed = missing_steps(self.controller.plan.landmarks, osteotomy)
        if needed:  # corners on demand: asked for first, never invented (issue 17 §2)
            self.points_needed.emit(osteotomy, needed)
            return
        self.add(osteotomy)

    def add(self, osteotomy: Osteotomy) -> None:
        """Add a cut whose landmarks are all placed, and select it."""
        if self.controller.add_osteotomy(osteotomy):
            self.controller.end_gesture()
            self.cuts.setCurrentRow(len(self.controller.plan.osteotomies) - 1)
            self.refresh()

    def pick_at(self, pixel: tuple[float, float]) -> bool:
        """The click that follows "Click on image…": add the chosen type at the level clicked."""
        self.pick_button.setChecked(False)
        kind = PROCEDURE_TYPES[self.type_box.currentData()]
        spacing = self.controller.plan.calibration.spacing
        limit = 60.0 / (spacing.row if spacing else 0.15)  # about one and a half vertebrae
        # An unclicked vertebra is found on its interpolated ghost; adding the cut then asks for
        # its real corners (the ghost is never used to simulate).
        level = level_at(with_ghosts(self.controller.plan.landmarks), pixel, kind.site, limit_px=limit)
        if level is None:
            self.controller.notice.emit(f"no {kind.site} placed near the click: place its landmarks first")
            return False
        self.level_box.setCurrentText(level)
        self.add_selected_type()
        return True

    def _row_changed(self, row: int) -> None:
        if not self._updating:
            self.refresh()
            self.selection_changed.emit(row)

    def _slider_pressed(self) -> None:
        self._slider_serial += 1
        self.dragging.emit(True)

    def _slider_released(self) -> None:
        self.controller.end_gesture()
        self.dragging.emit(False)

    def _slider_moved(self, value: int) -> None:
        if self._updating or self.selected < 0:
            return
        # One undo step per slider drag; keyboard steps on the slider merge per serial too.
        self.controller.update_osteotomy(
            self.selected, angle=value / SLIDER_STEPS_PER_DEGREE, merge_key=("slider", self._slider_serial)
        )

    def _spin_changed(self, value: float) -> None:
        if self._updating or self.selected < 0:
            return
        self.controller.update_osteotomy(self.selected, angle=value)
        self.controller.end_gesture()

    def _remove(self) -> None:
        if self.selected >= 0:
            self.controller.remove_osteotomy(self.selected)

    def _reset_hinge(self) -> None:
        if self.selected >= 0:
            self.controller.update_osteotomy(self.selected, hinge=None)

    def _solve(self) -> None:
        if self.selected >= 0:
            self.controller.solve_osteotomy(
                self.selected, self.solve_key.currentData(), self.solve_value.value()
            )

    def set_goals(self, goals: list[Goal]) -> None:
        self.goals.setText(", ".join(goal.as_text() for goal in goals))

    def _suggest(self) -> None:
        try:
            goals = self.goals.goals()
            self.options = search(self.controller.plan, goals)
        except ProcedureError as exc:
            self.controller.problem.emit(str(exc))
            return
        self.suggestions.show_options(self.options, goals)
        found = (
            f"Suggest: {len(self.options)} option(s); double-click one to add its cuts"
            if self.options
            else "Suggest: no cut found for these goals"
        )
        if preop_meets_every_goal(self.controller.plan, goals):
            found = f"Suggest: {ALREADY_MET}. {found}"
        self.controller.notice.emit(found)

    def _apply_suggestion(self, item: QTreeWidgetItem) -> None:
        option = self.options[self.suggestions.indexOfTopLevelItem(item)]
        if not self.controller.add_osteotomy(*option.osteotomies):  # one undo step for them all
            return  # refused: the controller said why
        self.controller.end_gesture()
        cuts = " + ".join(f"{o.type} {o.level} {o.angle_deg:.1f}°" for o in option.osteotomies)
        self.controller.notice.emit(f"Added {cuts} to the plan (from the suggestions; Ctrl+Z takes it back)")

    def offer_personal(self, fit: dict[str, float | int], label: str) -> None:
        """Name the personal entry by its fit ("personal, n = 23 plans, SE 0.04")."""
        self.personal_fit = fit
        index = self.model_box.findData("personal")
        if index >= 0:
            self.model_box.setItemText(index, label)

    def _compensation_changed(self) -> None:
        if self._updating:
            return
        model = self.model_box.currentData()
        extra = {"formula": self.formula_box.currentData()} if model == "pt_ideal" else {}
        if model == "personal":
            current = self.controller.plan.compensation_or_default
            fit = self.personal_fit or (dict(current.extra) if current.model == "personal" else None)
            if fit is None:
                self.controller.problem.emit(
                    "No personal model yet: File → Fit personal compensation model… (from your plans "
                    "with follow-up films), or alignment-planner outcomes PLAN… --personal OUT"
                )
                self._updating = True
                try:
                    self._show_compensation(self.controller.plan, self.controller.analysis)
                finally:
                    self._updating = False
                return
            extra = dict(fit)
        pt = self.pt_spin.value() if model == "pt_target" else None
        compensation = Compensation(model, pt, extra)
        if compensation != self.controller.plan.compensation_or_default:
            self.controller.set_compensation(compensation)
            self.controller.end_gesture()
