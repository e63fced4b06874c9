"""Targets and uncertainty in the main window (issue 5): the measurement table coloured by the
chosen preset on every change, and the ± bands and every preset's verdicts once the plan pauses."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty, propagate
from alignment_planner.errors import ProcedureError
from alignment_planner.measurements import Measurements
from alignment_planner.output.rows import classification_stages
from alignment_planner.planning.search import goals_from_preset
from alignment_planner.targets.presets import Preset, Verdict, builtin_presets, evaluate
from ui.document.controller import PlanController
from ui.document.settings import Settings
from ui.panels.measurements import MeasurementsPanel
from ui.panels.osteotomy import OsteotomyPanel
from ui.panels.targets import TargetsPanel
from ui.window.messages import Messages

# The ± bands and the targets list need ~50 ms: computed once a drag or slider pauses.
JUDGE_DELAY_MS = 250


@dataclass(frozen=True, slots=True)
class _PreopVerdicts:
    """One preset's verdicts on one pre-op measurements object at one age."""

    preop: Measurements
    age: float | None
    verdicts: tuple[Verdict, ...]


class TargetActions:
    def __init__(
        self,
        controller: PlanController,
        measurements: MeasurementsPanel,
        targets: TargetsPanel,
        osteotomies: OsteotomyPanel,
        settings: Settings,
        messages: Messages,
        parent: QObject,
    ) -> None:
        self._controller = controller
        self._measurements = measurements
        self._targets = targets
        self._osteotomies = osteotomies
        self._settings = settings
        self._messages = messages
        self.uncertainty: Uncertainty | None = None  # None while stale (until the plan pauses)
        self._judged_analysis: Analysis | None = None  # what the table was last judged on
        # An angle drag keeps the pre-op measurements object (the analysis memo), so the pre-op
        # verdicts are judged once per preset, not on every slider step.
        self._preop_memo: dict[str, _PreopVerdicts] = {}
        self._judge_later = QTimer(parent)
        self._judge_later.setSingleShot(True)
        self._judge_later.setInterval(JUDGE_DELAY_MS)
        self._judge_later.timeout.connect(self.judge_fully)
        targets.preset_changed.connect(self._preset_changed)
        targets.point_sd_changed.connect(self._point_sd_changed)
        osteotomies.preset_goals_wanted.connect(self._preset_goals)
        osteotomies.suggestions.set_judge(self._judge_predicted, targets.preset.name)

    def plan_changed(self) -> None:
        """Judge by the chosen preset now, and fully once the plan stops changing."""
        analysis = self._controller.analysis
        if analysis is self._judged_analysis:
            return  # a free measurement edited: the same analysis, its verdicts and bands hold
        self._judged_analysis = analysis
        self.uncertainty = None  # stale until recomputed
        self.judge_now()
        self._judge_later.start()

    def judge_now(self) -> None:
        """Colour the table by the chosen preset (cheap: on every change, drags included)."""
        pre, post = self._verdicts(self._targets.preset)
        self._measurements.show_judgement(
            _by_key(pre), _by_key(post), self.uncertainty, self._controller.analysis.simulated
        )

    def judge_fully(self) -> None:
        """The ± bands and every preset's verdicts, once the plan has stopped changing."""
        c = self._controller
        if c.analysis.frame is not None:
            self.uncertainty = propagate(c.plan, self._targets.point_sd_mm, c.analysis)
        self.judge_now()
        self._targets.show_verdicts(
            [(p, *self._verdicts(p)) for p in builtin_presets()],
            c.analysis.simulated,
            classification_stages(c.plan, c.analysis),
        )

    def _age(self) -> float | None:
        patient = self._controller.plan.patient
        return patient.age if patient else None

    def _verdicts(self, preset: Preset) -> tuple[tuple[Verdict, ...], tuple[Verdict, ...]]:
        analysis, age = self._controller.analysis, self._age()
        return self._preop_verdicts(preset, analysis.preop, age), self._judge(preset, analysis.postop)

    def _judge(self, preset: Preset, measured: Measurements) -> tuple[Verdict, ...]:
        """One rule for every judged value, the measurement table's and Suggest's: the preset's
        targets at the patient's age (an age-adjusted preset needs it)."""
        return evaluate(preset, measured, self._age())

    def _preop_verdicts(self, preset: Preset, preop: Measurements, age: float | None) -> tuple[Verdict, ...]:
        cached = self._preop_memo.get(preset.id)
        if cached is not None and cached.preop is preop and cached.age == age:
            return cached.verdicts
        verdicts = evaluate(preset, preop, age)
        self._preop_memo[preset.id] = _PreopVerdicts(preop, age, verdicts)
        return verdicts

    def _preset_goals(self) -> None:
        try:
            goals = goals_from_preset(self._targets.preset, self._controller.analysis.preop, self._age())
        except ProcedureError as exc:
            self._messages.problem(str(exc))
            return
        self._osteotomies.set_goals(goals)

    def _preset_changed(self, preset_id: str) -> None:
        self._settings.set_preset_id(preset_id)
        self.judge_now()
        # Suggest's values re-coloured, by the rule that colours the measurement table
        self._osteotomies.suggestions.set_judge(self._judge_predicted, self._targets.preset.name)

    def _judge_predicted(self, predicted: Measurements) -> tuple[Verdict, ...]:
        """The chosen preset's verdicts on a suggestion's predicted values."""
        return self._judge(self._targets.preset, predicted)

    def _point_sd_changed(self, sd: float) -> None:
        self._settings.set_point_sd_mm(sd)
        self._judge_later.start()


def _by_key(verdicts: tuple[Verdict, ...]) -> dict[str, list[Verdict]]:
    grouped: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        grouped.setdefault(verdict.target.key, []).append(verdict)
    return grouped
