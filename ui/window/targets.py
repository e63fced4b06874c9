"""Targets and uncertainty in the main window (issue 5): the table coloured by the chosen preset
on every change, and the ± bands and every preset's verdicts once the plan pauses. A mixin of
``MainWindow``."""

from __future__ import annotations

from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.errors import ProcedureError
from alignment_planner.measurements import Measurements
from alignment_planner.planning.search import goals_from_preset
from alignment_planner.targets.presets import Preset, Verdict, builtin_presets, evaluate


class TargetActions:
    def _age(self) -> float | None:
        patient = self.controller.plan.patient
        return patient.age if patient else None

    def _verdicts(self, preset: Preset) -> tuple[tuple[Verdict, ...], tuple[Verdict, ...]]:
        analysis, age = self.controller.analysis, self._age()
        return self._preop_verdicts(preset, analysis.preop, age), evaluate(preset, analysis.postop, age)

    def _preop_verdicts(self, preset: Preset, preop: Measurements, age: float | None) -> tuple[Verdict, ...]:
        """An angle drag keeps the pre-op measurements object (analysis.py memo): judge it once."""
        memo: dict[str, tuple[Measurements, float | None, tuple[Verdict, ...]]]
        memo = self.__dict__.setdefault("_preop_verdict_memo", {})
        cached = memo.get(preset.id)
        if cached is not None and cached[0] is preop and cached[1] == age:
            return cached[2]
        verdicts = evaluate(preset, preop, age)
        memo[preset.id] = (preop, age, verdicts)
        return verdicts

    def _judge_now(self) -> None:
        """Colour the table by the chosen preset (cheap: on every change, drags included)."""
        pre, post = self._verdicts(self.targets.preset)
        self.measurements.show_judgement(
            _by_key(pre), _by_key(post), self.uncertainty, self.controller.analysis.simulated
        )

    def _judge_fully(self) -> None:
        """The ± bands and every preset's verdicts, once the plan has stopped changing."""
        c = self.controller
        if c.analysis.frame is not None:
            self.uncertainty = propagate(c.plan, self.targets.sd_spin.value(), c.analysis)
        self._judge_now()
        self.targets.show_verdicts([(p, *self._verdicts(p)) for p in builtin_presets()], c.analysis.simulated)

    def _preset_goals(self) -> None:
        try:
            goals = goals_from_preset(self.targets.preset, self.controller.analysis.preop, self._age())
        except ProcedureError as exc:
            self.show_problem(str(exc))
            return
        self.osteotomies.set_goals(goals)

    def _preset_changed(self, preset_id: str) -> None:
        self.settings.set_preset_id(preset_id)
        self._judge_now()

    def _point_sd_changed(self, sd: float) -> None:
        self.settings.set_point_sd_mm(sd)
        self._judge_later.start()


def _by_key(verdicts: tuple[Verdict, ...]) -> dict[str, list[Verdict]]:
    grouped: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        grouped.setdefault(verdict.target.key, []).append(verdict)
    return grouped
