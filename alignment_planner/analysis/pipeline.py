"""From a plan to everything a surgeon reads: pre-op and planned measurements, with warnings.

This is the one pipeline the CLI, the GUI, the CSV and the PDF all call (architecture.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment_planner.analysis.plausibility import (
    check_foldable,
    cumulative_closure_warnings,
    duplicate_warnings,
    unwrapped,
)
from alignment_planner.anatomy.facing import resolve_facing
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.calibration.spacing import Calibration
from alignment_planner.geometry.frame import AnatomicalFrame, Facing
from alignment_planner.geometry.primitives import distance
from alignment_planner.measurements import PARAMETERS, Measurements, Value, measure_skeleton
from alignment_planner.plan.model import Plan, same_but_annotations
from alignment_planner.procedures.catalogue import unknown_type_warning
from alignment_planner.procedures.compensation import ModelError
from alignment_planner.procedures.compensation import compensation as predict_pelvis
from alignment_planner.procedures.conflicts import plan_conflicts
from alignment_planner.procedures.fusion import blocking_fusion, fusion_message
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.simulate import (
    AppliedOsteotomy,
    apply_compensation,
    apply_osteotomies,
    initial_hinge,
)
from alignment_planner.procedures.wedge import Wedge

# Femoral head centres further apart than this on a lateral film suggest ≳ 17.5° of pelvic axial
# rotation (≈ 170 mm between the heads · sin 17.5°), beyond which PI/PT/SS may be off by more than
# 6° (clinical.md §1.1 [46]).
HEAD_SEPARATION_WARNING_MM = 50.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    facing: Facing | None
    facing_source: str
    calibration: Calibration
    preop: Measurements
    postop: Measurements
    simulated: bool
    """True when the plan has osteotomies or a compensation that moves something."""
    compensation_deg: float | None
    """φ of clinical.md §3.3 step 5 (the pelvis rotates by −φ about the hip axis), when applied."""
    compensation_label: str
    """The compensation model's assumption, in words: shown with every predicted value."""
    applied: tuple[AppliedOsteotomy, ...]
    wedges: tuple[Wedge, ...]
    """Per osteotomy, in plan order: posterior closure or anterior opening (clinical.md §3.2)."""
    frame: AnatomicalFrame | None
    preop_skeleton: Skeleton | None
    postop_skeleton: Skeleton | None
    warnings: tuple[str, ...]
    model_error: ModelError | None = None
    """The compensation model's own prediction error (clinical.md §4.6 "Honesty"), shown with
    every compensated value apart from landmark error; ``None`` with the pelvis fixed."""
    pelvis_fixed: Measurements | None = None
    """The planned values with the pelvis left where it was (clinical.md §4.5: report SVA for
    each assumption), when a compensation model moved it."""
    after_cuts: Skeleton | None = None
    """The skeleton after the cuts with the pelvis where it was (clinical.md §3.3 before step 5):
    what every compensation model turns."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FilmMeasurement:
    """Everything one film's landmarks give alone (the pre-op film, or a follow-up)."""

    landmarks: Landmarks
    facing_request: Facing | None
    calibration: Calibration
    facing: Facing | None
    facing_source: str
    warnings: tuple[str, ...]
    frame: AnatomicalFrame | None
    skeleton: Skeleton | None
    measurements: Measurements


def _measure_preop(plan: Plan, *, detail: bool = True) -> FilmMeasurement:
    """Facing, frame, skeleton and pre-op values: everything that depends on the landmarks alone."""
    return measure_film(plan.landmarks, plan.facing, plan.calibration, detail=detail)


def measure_film(
    landmarks: Landmarks, facing: Facing | None, calibration: Calibration, *, detail: bool = True
) -> FilmMeasurement:
    """One film's landmarks measured as they stand: the pre-op film, or a follow-up (§4.3).

    ``detail=False`` gives the parameter values alone, for a cohort summary: no segmental table
    and no warnings (the values are the same)."""
    facing_result = resolve_facing(landmarks, facing)
    warnings = list(facing_result.warnings)
    if facing_result.facing is None:
        return FilmMeasurement(
            landmarks=landmarks, facing_request=facing, calibration=calibration,
            facing=None, facing_source="unknown", warnings=tuple(warnings), frame=None, skeleton=None,
            measurements=Measurements.unavailable(facing_result.warnings[0]),
        )
    spacing = calibration.spacing
    frame = AnatomicalFrame(
        spacing.row if spacing else 1.0, spacing.column if spacing else 1.0, facing_result.facing
    )
    skeleton = Skeleton.from_landmarks(landmarks, frame)
    if detail:
        warnings.extend(_unused_key_warnings(landmarks))
        warnings.extend(_femoral_head_warnings(skeleton, calibration.calibrated))
    return FilmMeasurement(
        landmarks=landmarks, facing_request=facing, calibration=calibration,
        facing=facing_result.facing, facing_source=facing_result.source, warnings=tuple(warnings),
        frame=frame, skeleton=skeleton,
        measurements=measure_skeleton(skeleton, calibrated=calibration.calibrated, segmental=detail),
    )


class Analyzer:
    """``analyze`` for one caller that analyses the same landmarks again and again: it keeps the
    last pre-op result. An angle drag changes only the osteotomies, so each step reuses it (issue
    4: slider step ≤ 8 ms); the GUI's document and the osteotomy search each own one.

    The memo is keyed on the ``Landmarks`` object itself (plans are immutable, and an edit that
    keeps the landmarks shares the same object; holding it keeps the identity valid) and on the
    facing and calibration asked for, so it never serves another plan's values."""

    def __init__(self) -> None:
        self._last_preop: FilmMeasurement | None = None
        self._last: tuple[Plan, Analysis] | None = None

    def forget(self) -> None:
        """Drop the memo (the next call measures afresh)."""
        self._last_preop = None
        self._last = None

    def analyze(self, plan: Plan) -> Analysis:
        last = self._last
        # Dragging a free measurement's point changes the annotations alone: nothing measured or
        # simulated depends on them, so the last analysis (the very object) is the answer.
        if last is not None and same_but_annotations(last[0], plan):
            return last[1]
        analysis = self._analyze(plan)
        self._last = (plan, analysis)
        return analysis

    def _analyze(self, plan: Plan) -> Analysis:
        cached = self._last_preop
        if (
            cached is None
            or cached.landmarks is not plan.landmarks
            or cached.facing_request != plan.facing
            or cached.calibration != plan.calibration
        ):
            cached = self._last_preop = _measure_preop(plan)
        return _analyze(plan, cached)


def analyze(plan: Plan, *, detail: bool = True) -> Analysis:
    """Everything a surgeon reads about ``plan``, measured afresh (callers that repeat it on the
    same landmarks own an ``Analyzer``).

    ``detail=False`` is for summaries over many plans (``outcomes``): the same pre-op and planned
    values, without what only a reader of one plan needs (warnings, wedges, segmental tables, the
    pelvis-fixed variant), at about two thirds of the cost."""
    return _analyze(plan, _measure_preop(plan, detail=detail), detail=detail)


def _analyze(plan: Plan, base: FilmMeasurement, *, detail: bool = True) -> Analysis:
    calibration = plan.calibration
    warnings = [*base.warnings, *_procedure_warnings(plan)] if detail else []
    if base.facing is None or base.frame is None or base.skeleton is None:
        unavailable = base.measurements
        return Analysis(
            facing=None, facing_source="unknown", calibration=calibration, preop=unavailable,
            postop=unavailable, simulated=False, compensation_deg=None, compensation_label="",
            applied=(), wedges=(), frame=None, preop_skeleton=None, postop_skeleton=None,
            warnings=tuple(warnings),
        )
    frame, skeleton, preop = base.frame, base.skeleton, base.measurements
    if detail:
        warnings.extend(_range_warnings(plan))
        warnings.extend(duplicate_warnings(plan.osteotomies))
        warnings.extend(
            fusion_message(o, fusion) for o in plan.osteotomies if (fusion := blocking_fusion(plan, o))
        )

    compensation = plan.compensation_or_default
    simulated = bool(plan.osteotomies) or compensation.model != "none"
    if not simulated:
        return Analysis(
            facing=base.facing, facing_source=base.facing_source, calibration=calibration,
            preop=preop, postop=preop, simulated=False, compensation_deg=0.0,
            compensation_label="pelvis fixed (no compensation)", applied=(), wedges=(), frame=frame,
            preop_skeleton=skeleton, postop_skeleton=skeleton, warnings=tuple(warnings),
            after_cuts=skeleton,
        )

    try:
        check_foldable(plan.osteotomies)
        moved, applied = apply_osteotomies(skeleton, plan.osteotomies, frame)
    except NotMeasurable as exc:
        warnings.append(f"planned values not computed: {exc.reason}")
        return Analysis(
            facing=base.facing, facing_source=base.facing_source, calibration=calibration,
            preop=preop, postop=Measurements.unavailable(exc.reason), simulated=True,
            compensation_deg=None, compensation_label="", applied=(), wedges=(), frame=frame,
            preop_skeleton=skeleton, postop_skeleton=None, warnings=tuple(warnings),
        )
    wedges = tuple(
        PROCEDURE_TYPES[o.type].wedge(
            skeleton, o, initial_hinge(skeleton, o, frame), calibrated=calibration.calibrated
        )
        for o in plan.osteotomies
    ) if detail else ()
    warnings.extend(w.warning for w in wedges if w.warning)
    if detail:
        warnings.extend(cumulative_closure_warnings(skeleton, wedges))
    phi: float | None
    label = ""
    model_error: ModelError | None = None
    pelvis_fixed: Measurements | None = None
    turned = sum(abs(o.angle_deg) for o in plan.osteotomies)
    try:
        rotation = predict_pelvis(skeleton, moved, compensation)
        phi, label, model_error = rotation.phi_deg, rotation.label, rotation.error
        postop_skeleton: Skeleton | None = apply_compensation(moved, phi)
        postop = measure_skeleton(postop_skeleton, calibrated=calibration.calibrated, segmental=detail)  # type: ignore[arg-type]
        postop, wrapped = unwrapped(preop, postop, turned + abs(phi))
        warnings.extend(wrapped)
        if phi != 0.0 and detail:
            fixed = measure_skeleton(moved, calibrated=calibration.calibrated)
            pelvis_fixed = unwrapped(preop, fixed, turned)[0]
    except NotMeasurable as exc:
        # Only what a rotation about the hip axis cannot change is still known.
        warnings.append(f"{exc.reason}; only values unaffected by pelvic rotation are predicted")
        phi, postop_skeleton = None, None
        label = f"compensation {compensation.model} not applied: {exc.reason}"
        uncompensated = measure_skeleton(moved, calibrated=calibration.calibrated, segmental=detail)
        postop = Measurements(
            {
                p.key: uncompensated.values[p.key]
                if p.hip_rotation_invariant
                else Value(None, exc.reason)
                for p in PARAMETERS
            },
            uncompensated.segmental,
        )
    return Analysis(
        facing=base.facing, facing_source=base.facing_source, calibration=calibration, preop=preop,
        postop=postop, simulated=True, compensation_deg=phi, compensation_label=label,
        applied=applied, wedges=wedges, frame=frame, preop_skeleton=skeleton,
        postop_skeleton=postop_skeleton, warnings=tuple(warnings),
        model_error=model_error, pelvis_fixed=pelvis_fixed, after_cuts=moved,
    )


def _femoral_head_warnings(skeleton: Skeleton, calibrated: bool) -> list[str]:
    heads = skeleton.heads
    if len(heads) == 1:
        return ["only one femoral head placed: the hip axis is that head (clinical.md §1.1)"]
    if len(heads) == 2 and calibrated:
        apart = distance(heads[0], heads[1])
        if apart > HEAD_SEPARATION_WARNING_MM:
            return [
                f"femoral head centres are {apart:.0f} mm apart: pelvic axial rotation may distort "
                "PI, PT and SS (clinical.md §1.1)"
            ]
    return []


def _unused_key_warnings(landmarks: Landmarks) -> list[str]:
    """Unknown keys inside a vertebra are kept for round-trip but are most likely typos."""
    return [
        f"landmarks.{level}: unknown key{'s' if len(v.extra) > 1 else ''} "
        f"{', '.join(repr(k) for k in v.extra)} kept but not used (points are ant_sup, post_sup, "
        "post_inf, ant_inf, center)"
        for level, v in landmarks.vertebrae.items()
        if v.extra
    ]


def _procedure_warnings(plan: Plan) -> list[str]:
    """Types the catalogue does not know (naming the closest), procedures that exclude each other,
    and what a type says whenever it is planned (a disc prosthesis: posture)."""
    warnings = [w for i, p in enumerate(plan.procedures) if (w := unknown_type_warning(i, p))]
    warnings.extend(f"refused combination: {problem}" for problem in plan_conflicts(plan))
    for osteotomy in plan.osteotomies:
        kind = PROCEDURE_TYPES.get(osteotomy.type)
        if kind is not None and kind.caution:
            warnings.append(f"{osteotomy.type} at {osteotomy.level}: {kind.caution}")
    return warnings


def _range_warnings(plan: Plan) -> list[str]:
    warnings = []
    for osteotomy in plan.osteotomies:
        kind = PROCEDURE_TYPES[osteotomy.type]
        low, high = kind.typical_range
        if not low <= osteotomy.angle_deg <= high:
            warnings.append(
                f"{osteotomy.type} at {osteotomy.level}: {osteotomy.angle_text} is outside the "
                f"typical {low:g}–{high:g}° ({kind.source})"
            )
    return warnings
