"""Practice mode scoring (issue 7 §3): a resident's landmarks and plan against the expert's.

Landmark errors are distances in millimetres (the film's spacing, so anisotropic grids count
right). Parameter errors are judged against published measurement variability (clinical.md §5.1), which
each parameter carries in the registry (``Parameter.variability``):
within the best reported repeatability is *good*, within the worst is *borderline*, beyond it is
*outside*. Plans are compared by what they predict, not by their angles.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Literal

from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import CORNERS
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.geometry.primitives import Point
from alignment_planner.measurements import PARAMETERS
from alignment_planner.measurements.registry import Variability
from alignment_planner.plan.model import Plan
from alignment_planner.targets.presets import EDGE_TOLERANCE

Grade = Literal["good", "borderline", "outside", "not measurable"]


# Landmark placement: no published per-point figure in clinical.md; these are this project's
# choice, tied to the 2.5 mm default landmark error of the uncertainty bands (uncertainty.py).
LANDMARK_GOOD_MM = 2.5
LANDMARK_BORDERLINE_MM = 5.0


def grade(error: float | None, good: float, borderline: float) -> Grade:
    if error is None or not math.isfinite(error):
        return "not measurable"
    size = abs(error) - EDGE_TOLERANCE  # rounding noise at an edge is on the edge
    return "good" if size <= good else "borderline" if size <= borderline else "outside"


@dataclass(frozen=True, slots=True)
class LandmarkDeviation:
    key: str
    """``L3.ant_sup`` or ``femoral_heads.0`` (the expert's numbering)."""
    expert: Point
    placed: Point | None
    """``None`` when the resident did not place it."""
    error_mm: float | None

    @property
    def grade(self) -> Grade:
        if self.error_mm is None:
            return "not measurable"
        return grade(self.error_mm, LANDMARK_GOOD_MM, LANDMARK_BORDERLINE_MM)


@dataclass(frozen=True, slots=True)
class ParameterDeviation:
    key: str
    expert: float | None
    placed: float | None
    error: float | None
    """Resident minus expert, in the parameter's unit."""
    grade: Grade
    variability: Variability


@dataclass(frozen=True, slots=True)
class LandmarkScore:
    landmarks: tuple[LandmarkDeviation, ...]
    parameters: tuple[ParameterDeviation, ...]

    @property
    def placed(self) -> tuple[LandmarkDeviation, ...]:
        return tuple(e for e in self.landmarks if e.error_mm is not None)

    @property
    def mean_error_mm(self) -> float | None:
        placed = self.placed
        return sum(e.error_mm for e in placed if e.error_mm is not None) / len(placed) if placed else None

    def count(self, wanted: Grade) -> int:
        return sum(1 for e in self.landmarks if e.grade == wanted)

    def summary(self) -> str:
        placed, total = len(self.placed), len(self.landmarks)
        mean = self.mean_error_mm
        parts = [f"{placed} of {total} landmarks placed"]
        if mean is not None:
            parts.append(f"mean error {mean:.1f} mm, {self.count('good')} within {LANDMARK_GOOD_MM:g} mm")
        parts.append(agreement_summary((p.grade for p in self.parameters), "parameters"))
        return "; ".join(parts)


def agreement_summary(grades: Iterable[str], noun: str) -> str:
    """``13 of 23 values within inter-observer variability``: the one count of agreement that the
    practice panel, the saved attempt and the history all show. A value that is not measurable
    (on either plan) cannot be judged, so it counts in neither number."""
    judged = [g for g in grades if g != "not measurable"]
    good = sum(1 for g in judged if g == "good")
    return f"{good} of {len(judged)} {noun} within inter-observer variability"


def _distance_mm(a: Point, b: Point, spacing: PixelSpacing) -> float:
    return math.hypot((a[0] - b[0]) * spacing.column, (a[1] - b[1]) * spacing.row)


def landmark_pairs(expert: Landmarks, placed: Landmarks) -> Iterable[tuple[str, Point, Point | None]]:
    """Every expert landmark with the resident's counterpart (or ``None``). Femoral heads are
    paired so that the total distance is least: which head is "first" is arbitrary on a film.
    A body centre the resident placed is scored against the expert's (explicit, or the mean of
    the expert's four corners: contract.md §2's body centre)."""
    for level, vertebra in expert.vertebrae.items():
        theirs = placed.vertebrae.get(level)
        for name in (*CORNERS, "center"):
            point = vertebra.point(name)
            if point is None and name == "center" and theirs is not None and theirs.center is not None:
                corners = [vertebra.point(c) for c in CORNERS]
                if all(c is not None for c in corners):
                    point = (sum(c[0] for c in corners if c) / 4.0, sum(c[1] for c in corners if c) / 4.0)
            if point is not None:
                yield f"{level}.{name}", point, theirs.point(name) if theirs is not None else None
    heads = [h.center for h in expert.femoral_heads]
    candidates: list[Point | None] = [h.center for h in placed.femoral_heads]
    candidates += [None] * len(heads)  # an expert head may have no counterpart
    best: tuple[Point | None, ...] = tuple([None] * len(heads))
    best_cost = math.inf
    for order in itertools.permutations(range(len(candidates)), len(heads)):
        chosen = [candidates[j] for j in order]
        cost = sum(math.dist(h, c) for h, c in zip(heads, chosen, strict=True) if c is not None)
        cost += 1e9 * sum(1 for c in chosen if c is None)  # pair every placed head it can
        if cost < best_cost:
            best_cost, best = cost, tuple(chosen)
    for i, head in enumerate(heads):
        yield f"femoral_heads.{i}", head, best[i]


class PracticeError(AlignmentPlannerError):
    """A case that cannot be scored (its expert plan lacks what scoring needs)."""


def score_landmarks(
    expert_plan: Plan, placed: Landmarks, asked: Collection[str] | None = None
) -> LandmarkScore:
    """The resident's landmarks (on the expert's film and calibration) against the expert's.

    ``asked`` (keys such as ``L1.ant_sup``, ``femoral_heads.0``) limits the landmark errors to what
    the resident's landmarking scope asked for: a Standard scope is not marked down for the corners
    only Full spine asks for. Parameters are compared whatever the scope."""
    spacing = expert_plan.calibration.spacing
    if spacing is None:
        raise PracticeError(
            "the expert plan has no pixel spacing: landmark errors in millimetres need a calibrated film"
        )
    errors = tuple(
        LandmarkDeviation(key, point, mine, None if mine is None else _distance_mm(point, mine, spacing))
        for key, point, mine in landmark_pairs(expert_plan.landmarks, placed)
        if asked is None or key in asked
    )
    expert = analyze(_preop_only(expert_plan))
    resident = analyze(replace(_preop_only(expert_plan), landmarks=placed))
    return LandmarkScore(errors, compare_values(expert, resident, "preop"))


def compare_values(
    expert: Analysis, resident: Analysis, stage: Literal["preop", "postop"]
) -> tuple[ParameterDeviation, ...]:
    mine = resident.preop if stage == "preop" else resident.postop
    theirs = expert.preop if stage == "preop" else expert.postop
    out = []
    for parameter in PARAMETERS:
        key = parameter.key
        a, b = theirs.value(key), mine.value(key)
        error = None if a is None or b is None else b - a
        variability = parameter.variability
        judged = grade(error, variability.good, variability.borderline)
        out.append(ParameterDeviation(key, a, b, error, judged, variability))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PlanComparison:
    """The resident's plan (on their own landmarks) against the expert plan (on the expert's),
    value by planned value, both under one pelvic model: the expert's.

    What is judged is the surgery (the cuts), not the assumption about how the pelvis answers
    it: a resident who kept the default "pelvis fixed" would otherwise be marked "outside" on PT
    and SVA for a cut identical to the expert's. So the resident's cuts are simulated under the
    expert plan's compensation model (``resident``, which is scored); ``resident_own`` is their
    plan under the model they chose, shown beside the score when it differs."""

    expert_plan: Plan
    resident_plan: Plan
    expert: Analysis
    resident: Analysis
    planned: tuple[ParameterDeviation, ...]
    resident_own: Analysis | None = None
    """The resident's plan under their own model, when it differs from the expert's."""

    @property
    def common_model(self) -> str:
        """The pelvic model both plans are scored under (the expert's, as it reads)."""
        return self.expert.compensation_label

    @property
    def models_differ(self) -> bool:
        return self.resident_own is not None

    def summary(self) -> str:
        return agreement_summary((e.grade for e in self.planned), "values")


def compare_plans(expert_plan: Plan, resident_plan: Plan) -> PlanComparison:
    expert = analyze(expert_plan)
    common = replace(resident_plan, compensation=expert_plan.compensation)
    same_model = resident_plan.compensation_or_default == expert_plan.compensation_or_default
    resident = analyze(common)
    own = None if same_model else analyze(resident_plan)
    return PlanComparison(
        expert_plan, resident_plan, expert, resident, compare_values(expert, resident, "postop"), own
    )


def describe_surgery(plan: Plan) -> str:
    """``PSO L3 30°, fusion T10–S1`` or ``no osteotomy``."""
    parts = [o.summary for o in plan.osteotomies]
    for procedure in plan.procedures:
        if procedure.existing:  # the patient's earlier surgery, not part of this plan
            continue
        span = procedure.level or "–".join(x for x in (procedure.from_level, procedure.to_level) if x)
        parts.append(f"{procedure.type} {span}".strip())
    return ", ".join(parts) or "no osteotomy"


def _preop_only(plan: Plan) -> Plan:
    """The case as the resident starts it: an existing fusion is the patient's, so it stays
    (contract.md §4.1: it limits what can be planned)."""
    kept = tuple(p for p in plan.procedures if p.existing)
    return replace(plan, osteotomies=(), procedures=kept, compensation=None)


def attempt_record(
    case_id: str,
    started: str,
    seconds: float,
    score: LandmarkScore | None,
    comparison: PlanComparison | None,
    resident_plan: Plan,
) -> dict[str, object]:
    """One practice attempt as JSON-ready data, for the local progress log (issue 7 §3)."""

    def values(errors: tuple[ParameterDeviation, ...]) -> dict[str, object]:
        return {
            e.key: {"yours": e.placed, "expert": e.expert, "error": e.error, "grade": e.grade}
            for e in errors
        }

    record: dict[str, object] = {
        "format": "alignment-planner-attempt",
        "version": 1,
        "case": case_id,
        "started": started,
        "seconds": round(seconds, 1),
    }
    if score is not None:
        record["landmarks"] = {
            "summary": score.summary(),
            "placed": len(score.placed),
            "total": len(score.landmarks),
            "mean_error_mm": None if score.mean_error_mm is None else round(score.mean_error_mm, 2),
            "errors_mm": {
                e.key: None if e.error_mm is None else round(e.error_mm, 2) for e in score.landmarks
            },
            "parameters": values(score.parameters),
        }
    if comparison is not None:
        record["plan"] = {
            "osteotomies": [
                {"type": o.type, "level": o.level, "angle_deg": o.angle_deg}
                for o in resident_plan.osteotomies
            ],
            "summary": comparison.summary(),
            "planned": values(comparison.planned),
        }
    return record
