"""Search level × type × angle for corrections that meet several targets at once (issue 4).

Single cuts are tried at every whole degree of the type's typical range, pairs of cuts on a
2.5° grid of both ranges. Every candidate is scored by how far it misses the goals (degrees; mm
count one degree per 10 mm, clinical.md §4.4's rule of thumb), then by the total correction and
the number of cuts; the best candidate of each site combination is kept and a short ranked list
returned, each with its predicted alignment (through ``analyze``) and what it misses.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.anatomy.skeleton import NotMeasurable
from alignment_planner.errors import ProcedureError
from alignment_planner.measurements import PARAMETERS_BY_KEY, Measurements, reader_label
from alignment_planner.plan.model import Osteotomy, Plan
from alignment_planner.planning.trial import Site, Trial, TrialState
from alignment_planner.procedures.registry import DEFAULT_SEARCH_TYPES, PROCEDURE_TYPES
from alignment_planner.safety.quoting import quoted
from alignment_planner.targets.overcorrection import overcorrection_limits, overcorrections
from alignment_planner.targets.presets import Preset, evaluate_target

DEFAULT_LEVELS = ("L1", "L2", "L3", "L4", "L5")
PAIR_STEP_DEG = 2.5
MM_PER_DEGREE = 10.0
GOAL_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Goal:
    """``low ≤ value ≤ high`` (either side may be open)."""

    key: str
    low: float | None = None
    high: float | None = None

    @classmethod
    def parse(cls, text: str) -> Goal:
        """``PI_LL<10``, ``PT<=20``, ``LL>50``, ``PI_LL=-10..10`` (limits are inclusive)."""
        found = re.fullmatch(r"\s*([A-Za-z0-9_]+)\s*(<=|>=|<|>|=)\s*(.+?)\s*", text)
        if found is None:
            raise ProcedureError(f"goal {quoted(text)}: write KEY<VALUE, KEY>VALUE or KEY=LOW..HIGH")
        key, op, rest = found.groups()
        if key not in PARAMETERS_BY_KEY:
            raise ProcedureError(f"goal {quoted(text)}: unknown parameter {quoted(key)}")
        try:
            if op == "=":
                low_text, _, high_text = rest.partition("..")
                low, high = float(low_text), float(high_text or low_text)
                if not (math.isfinite(low) and math.isfinite(high)):  # nan..5 met every goal
                    raise ProcedureError(f"goal {quoted(text)}: both limits must be finite numbers")
                return cls(key, min(low, high), max(low, high))
            value = float(rest)
        except ValueError:
            raise ProcedureError(f"goal {quoted(text)}: {quoted(rest)} is not a number") from None
        if not math.isfinite(value):
            raise ProcedureError(f"goal {quoted(text)}: the limit must be finite")
        return cls(key, None, value) if op.startswith("<") else cls(key, value, None)

    def miss(self, value: float) -> float:
        """How far outside the goal, in the parameter's unit (0 inside; rounding noise such as
        20.000000000000004 against a limit of 20 counts as inside)."""
        if self.low is not None and value < self.low - GOAL_TOLERANCE:
            return self.low - value
        if self.high is not None and value > self.high + GOAL_TOLERANCE:
            return value - self.high
        return 0.0

    def inside_by(self, margin: float) -> Goal:
        """The goal narrowed by ``margin`` at each finite edge, so that a plan aims inside the band
        instead of on its edge (issue 15 §2); a band narrower than twice the margin becomes its
        centre."""
        if margin <= 0.0:
            return self
        low = None if self.low is None else self.low + margin
        high = None if self.high is None else self.high - margin
        if low is not None and high is not None and low > high:
            low = high = (self.low + self.high) / 2.0  # type: ignore[operator]
        return Goal(self.key, low, high)

    def as_text(self) -> str:
        """The goal as ``parse`` reads it back."""
        if self.low is not None and self.high is not None:
            return f"{self.key}={self.low:g}..{self.high:g}"
        return f"{self.key}<={self.high:g}" if self.high is not None else f"{self.key}>={self.low:g}"

    def describe(self) -> str:
        """The goal as a reader reads it ("PI−LL −10…10"), by the parameter's reader name."""
        name = reader_label(self.key)
        if self.low is not None and self.high is not None:
            return f"{name} {self.low:g}…{self.high:g}"
        # Limits are inclusive: a value exactly at the limit meets the goal (planning targets are
        # not precise to a tenth of a degree; clinical.md §5.3).
        if self.high is not None:
            return f"{name} ≤ {self.high:g}"
        return f"{name} ≥ {self.low:g}"


@dataclass(frozen=True, slots=True)
class Option:
    osteotomies: tuple[Osteotomy, ...]
    """The cuts added to the plan."""
    score: float
    misses: tuple[tuple[Goal, float], ...]
    """Goals not met and by how much (in the parameter's unit)."""
    postop: Measurements
    plan: Plan
    overcorrected: tuple[tuple[str, float, float], ...] = ()
    """(key, value, limit) for every value past its over-correction limit (clinical.md §4.7)."""

    @property
    def total_angle(self) -> float:
        return sum(o.angle_deg for o in self.osteotomies)

    def describe(self) -> str:
        cuts = " + ".join(f"{o.type} {o.level} {o.angle_deg:.1f}°" for o in self.osteotomies)
        over = ", ".join(
            f"{reader_label(key)} {value:.1f}{_unit(key)} is below {limit:g}"
            for key, value, limit in self.overcorrected
        )
        over_text = f"OVER-CORRECTS: {over}" if over else ""
        if not self.misses:
            return f"{cuts}: {over_text}" if over else f"{cuts}: meets every goal"
        missed = ", ".join(
            f"{reader_label(g.key)} off by {by:.1f}{_unit(g.key)}" for g, by in self.misses
        )
        return f"{cuts}: misses {missed}" + (f"; {over_text}" if over else "")

    @property
    def meets_all_goals(self) -> bool:
        return not self.misses and not self.overcorrected


def _unit(key: str) -> str:
    """The unit as printed after a number: "°" and "%" close up, a length after a space ("12.0 mm")."""
    symbol = PARAMETERS_BY_KEY[key].symbol
    return symbol if symbol in ("°", "%") else f" {symbol}"


def goals_from_preset(preset: Preset, preop: Measurements, age: float | None) -> list[Goal]:
    """A preset's "within" ranges as goals. Ideals are computed from the pre-op values they read
    (PI, age), which an osteotomy does not change; a target whose ideal cannot be computed (no
    age for an age-adjusted preset) is left out, and if none is left that is an error."""
    goals = []
    skipped = []
    for target in preset.targets:
        shift = 0.0
        if target.ideal is not None:
            verdict = evaluate_target(target, preop, age)
            if verdict.ideal is None:
                skipped.append(f"{target.label} ({verdict.reason})")
                continue
            shift = verdict.ideal
        low = None if target.within.low is None else target.within.low + shift
        high = None if target.within.high is None else target.within.high + shift
        goals.append(Goal(target.key, low, high))
    if not goals:
        raise ProcedureError(f"preset {preset.id}: no goal can be computed: {'; '.join(skipped)}")
    return goals


def target_from_preset(
    preset: Preset, key: str, preop: Measurements, age: float | None, margin: float = 0.0
) -> float:
    """The value a single-target solve should reach for ``key`` under ``preset``: the nearest edge
    of its "within" range to the pre-op value (the least correction that meets the target), moved
    ``margin`` inside the range (issue 15 §2: not exactly on the edge)."""
    for goal in goals_from_preset(preset, preop, age):
        if goal.key != key:
            continue
        goal = goal.inside_by(margin)
        value = preop.value(key)
        edges = [e for e in (goal.low, goal.high) if e is not None]
        if value is None or len(edges) == 1:
            return edges[0]
        return min(edges, key=lambda e: abs(e - value))
    raise ProcedureError(f"preset {preset.id} has no target for {key}")


def candidate_sites(trial: Trial, types: Sequence[str], levels: Sequence[str]) -> list[Site]:
    """Every type at every level (a disc type at the disc below the level) whose hinge can be
    placed; sites that cannot be simulated on this plan are left out."""
    sites = []
    for type_key in types:
        if type_key not in PROCEDURE_TYPES:
            raise ProcedureError(f"unknown osteotomy type {type_key!r}")
        for level in levels:
            if level not in LEVEL_INDEX:
                raise ProcedureError(f"unknown level {level!r}")
            where = level
            if PROCEDURE_TYPES[type_key].site == "disc":
                index = LEVEL_INDEX[level]
                if index + 1 >= len(LEVELS):
                    continue
                where = f"{level}-{LEVELS[index + 1]}"
            try:
                sites.append(trial.site(type_key, where))
            except ProcedureError:
                continue
    return sites


def search(
    plan: Plan,
    goals: Sequence[Goal],
    *,
    types: Sequence[str] = DEFAULT_SEARCH_TYPES,
    levels: Sequence[str] = DEFAULT_LEVELS,
    pairs: bool = True,
    limit: int = 5,
) -> list[Option]:
    """The best few corrections for ``goals``; raises ``ProcedureError`` on bad input."""
    if not goals:
        raise ProcedureError("give at least one goal (for example PI_LL<10)")
    guards = _overcorrection_guards(analyze(plan).preop)
    keys = tuple(dict.fromkeys([g.key for g in goals] + [g.key for g in guards]))
    trial = Trial(plan, keys)
    sites = candidate_sites(trial, types, levels)
    if not sites:
        raise ProcedureError(
            "no candidate site can be simulated: place the landmarks of the levels searched"
        )
    Cuts = tuple[tuple[Site, float], ...]
    best: dict[tuple[tuple[str, str], ...], tuple[tuple[float, float, int], Cuts]] = {}

    def consider(cuts: tuple[tuple[Site, float], ...], state: TrialState) -> None:
        try:
            values = trial.measure(state)
        except NotMeasurable:
            return
        score = sum(_scaled(g, values[g.key]) for g in (*goals, *guards))
        rank = (round(score, 9), sum(a for _, a in cuts), len(cuts))
        combination = tuple((s.type, s.level) for s, _ in cuts)
        if combination not in best or rank < best[combination][0]:
            best[combination] = (rank, cuts)

    start = trial.start()
    for site in sites:
        low, high = PROCEDURE_TYPES[site.type].typical_range
        for angle in range(math.ceil(max(low, 1.0)), math.floor(high) + 1):
            consider(((site, float(angle)),), trial.cut(start, site, float(angle)))
    if pairs:
        for first, second in itertools.combinations(sorted(sites, key=lambda s: -s.position), 2):
            if first.level == second.level:
                continue
            for a in _grid(first.type):
                after_first = trial.cut(start, first, a)  # shared by every angle of the second
                for b in _grid(second.type):
                    consider(((first, a), (second, b)), trial.cut(after_first, second, b))

    ranked = sorted(best.values(), key=lambda item: item[0])[:limit]
    return [_option(trial, goals, cuts) for _rank, cuts in ranked]


ALREADY_MET = "the pre-op film already meets every goal: no correction is needed for these goals"
"""Said before any option when ``preop_meets_every_goal`` (CLI and GUI alike)."""


def preop_meets_every_goal(plan: Plan, goals: Sequence[Goal]) -> bool:
    """Whether the film as it is already meets every goal (a patient who needs no correction for
    them): Suggest still lists what each cut would do, but says so first (second review N4: an
    aligned patient was offered five over-correcting SPOs without a word)."""
    preop = analyze(plan).preop
    values = [preop.value(g.key) for g in goals]
    return bool(goals) and all(v is not None and g.miss(v) == 0.0 for g, v in zip(goals, values, strict=True))


def _overcorrection_guards(preop: Measurements) -> list[Goal]:
    """Over-correction limits as extra goals, so that the ranking avoids them (clinical.md §4.7),
    for the keys that can be measured here (SVA only on a calibrated film)."""
    guards = []
    for key, limit in overcorrection_limits().items():
        if preop.value(key) is None:  # not measurable here (no landmarks, or a length uncalibrated)
            continue
        guards.append(Goal(key, limit, None))
    return guards


def _grid(type_key: str) -> list[float]:
    low, high = PROCEDURE_TYPES[type_key].typical_range
    low = max(low, PAIR_STEP_DEG)
    count = max(1, round((high - low) / PAIR_STEP_DEG))
    return [low + (high - low) * i / count for i in range(count + 1)]


def _scaled(goal: Goal, value: float) -> float:
    miss = goal.miss(value)
    return miss / MM_PER_DEGREE if PARAMETERS_BY_KEY[goal.key].is_length else miss


def _option(trial: Trial, goals: Sequence[Goal], cuts: tuple[tuple[Site, float], ...]) -> Option:
    plan = trial.with_cuts(cuts)
    postop = trial.analyzer.analyze(plan).postop
    misses = []
    for goal in goals:
        value = postop.values[goal.key].value
        if value is not None and goal.miss(value) > 0.0:
            misses.append((goal, goal.miss(value)))
    score = sum(by / MM_PER_DEGREE if PARAMETERS_BY_KEY[g.key].is_length else by for g, by in misses)
    added = plan.osteotomies[len(trial.plan.osteotomies):]
    over = overcorrections({k: postop.value(k) for k in overcorrection_limits()})
    return Option(added, score, tuple(misses), postop, plan, tuple(over))
