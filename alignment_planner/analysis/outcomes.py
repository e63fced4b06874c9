"""Planned versus achieved over a cohort (contract.md §4.5, issue 19 §3–4).

Per plan and follow-up: planned, achieved and planned − achieved for every key. Over all plans, per
key: n, bias (mean error), MAE, SD and the bias's standard error; the same per osteotomy type and
level band; and per compensation model the error it would have had on the same cases (the geometry
of the cuts is the plan's; only the pelvic assumption changes, clinical.md §4.5).

One observation per plan enters the summary (its latest follow-up: latest date, else last in the
file), so that plans are independent; every follow-up is listed in the per-plan rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from alignment_planner.analysis.followups import measure_followup, prediction_error
from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.anatomy.levels import LEVEL_INDEX
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.measurements import PARAMETERS, Value
from alignment_planner.measurements.registry import BodyCentre, Corner
from alignment_planner.plan.model import Compensation, FollowUp, Plan
from alignment_planner.procedures.compensation import COMPENSATION_MODELS, pelvic_rotation
from alignment_planner.procedures.personal_compensation import (
    MODEL_KEY as PERSONAL,
)
from alignment_planner.procedures.personal_compensation import (
    NotEnoughCases,
    PersonalFit,
    fit_personal,
    leave_one_out_slopes,
    personal_release,
)
from alignment_planner.procedures.simulate import apply_compensation, apply_osteotomies

KEYS: tuple[str, ...] = tuple(p.key for p in PARAMETERS)
Values = dict[str, float | None]

PUBLISHED_MODELS = tuple(k for k in COMPENSATION_MODELS if k != PERSONAL)
"""The personal model is judged leave-one-out on the cohort it is fitted from (see ``_personal``)."""

LANGELLA_PT_DEG = 20.0
"""``pt_target`` is judged at Langella 2017's PT 20° (clinical.md §4.5, method B)."""


def _ideal_pt(pi: float) -> float:
    """Yamato 2016's optimal PT (clinical.md §2.5), the release floor of §4.6."""
    return 0.47 * pi - 7.5


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    followup: str
    date: str | None
    planned: Values
    achieved: Values
    error: Values


@dataclass(frozen=True, slots=True)
class Pelvis:
    """What the personal model reads from one plan (clinical.md §4.6 delta form)."""

    pt_pre: float
    pi: float
    planned_delta_ll: float
    achieved_delta_ll: float
    achieved_delta_pt: float


@dataclass(slots=True)
class PlanOutcome:
    label: str
    model: str
    """The plan's own compensation model."""
    rows: list[FollowUpRow]
    groups: tuple[str, ...]
    """``type:PSO``, ``band:lumbar (L3–S1)`` …: where this plan counts in the per-group summary."""
    model_errors: dict[str, Values] = field(default_factory=dict)
    """Per compensation model, planned − achieved for the summary follow-up."""
    pelvis: Pelvis | None = None
    after_cuts: Skeleton | None = None
    """The planned skeleton with the pelvis fixed, reduced to what the values a pelvic turn
    changes read (``_turning_part``): the personal model turns it."""
    achieved: Values | None = None
    calibrated: bool = False
    invariant: Values = field(default_factory=dict)
    """The planned values no pelvic turn changes (PI, LL, TK, TPA …)."""

    @property
    def summary_row(self) -> FollowUpRow:
        return self.rows[-1]


def _latest(followups: Sequence[FollowUp]) -> list[int]:
    """Indices of ``followups`` ordered so that the summary one (latest date) is last."""
    order = list(range(len(followups)))
    if all(f.date is not None for f in followups):
        order.sort(key=lambda i: (followups[i].date or "", i))
    return order


def level_band(level: str) -> str:
    top = level.partition("-")[0]
    index = LEVEL_INDEX[top]
    if index < LEVEL_INDEX["T10"]:
        return "band:thoracic (above T10)"
    if index <= LEVEL_INDEX["L2"]:
        return "band:thoracolumbar (T10–L2)"
    return "band:lumbar (L3–S1)"


def plan_outcome(label: str, plan: Plan, *, models: bool = True) -> PlanOutcome | None:
    """``None`` for a plan without a follow-up (the caller notes it)."""
    if not plan.followups:
        return None
    analysis = analyze(plan, detail=False)  # values only: no warnings, wedges or segmental tables
    groups = {f"type:{o.type}" for o in plan.osteotomies} | {level_band(o.level) for o in plan.osteotomies}
    outcome = PlanOutcome(
        label, plan.compensation_or_default.model, [],
        tuple(sorted(groups)) if groups else ("type:none (compensation only)",),
    )
    planned = _values(analysis.postop.values)
    for i in _latest(plan.followups):
        followup = plan.followups[i]
        achieved = measure_followup(followup, detail=False).measurements
        outcome.rows.append(FollowUpRow(
            followup.label, followup.date, planned, _values(achieved.values),
            prediction_error(analysis.postop, achieved),
        ))
    if not models:
        return outcome
    achieved_values = outcome.summary_row.achieved
    outcome.achieved = achieved_values
    outcome.calibrated = analysis.calibration.calibrated
    after_cuts = analysis.after_cuts if analysis.after_cuts is not None else _after_cuts(plan, analysis)
    outcome.after_cuts = None if after_cuts is None else _turning_part(after_cuts)
    outcome.invariant = {k: planned[k] for k in KEYS if k in _INVARIANT}
    for key in PUBLISHED_MODELS:
        compensation = Compensation(key, LANGELLA_PT_DEG if key == "pt_target" else None)
        if key == plan.compensation_or_default.model and compensation == plan.compensation_or_default:
            outcome.model_errors[_model_name(key)] = outcome.summary_row.error
            continue
        predicted = _predicted(after_cuts, analysis, compensation)
        outcome.model_errors[_model_name(key)] = _difference(predicted, achieved_values)
    pre = _values(analysis.preop.values)
    pt, pi, ll = pre["PT"], pre["PI"], pre["LL"]
    planned_ll, got_ll, got_pt = planned["LL"], achieved_values["LL"], achieved_values["PT"]
    if pt is not None and pi is not None and ll is not None and planned_ll is not None \
            and got_ll is not None and got_pt is not None:
        outcome.pelvis = Pelvis(pt, pi, planned_ll - ll, got_ll - ll, got_pt - pt)
    return outcome


def _model_name(key: str) -> str:
    return f"pt_target ({LANGELLA_PT_DEG:g}°)" if key == "pt_target" else key


def _after_cuts(plan: Plan, analysis: Analysis) -> Skeleton | None:
    """The planned skeleton with the pelvis where it was (clinical.md §3.3 before step 5), for a
    plan the pipeline did not simulate (cuts that fold over each other still turn here)."""
    if analysis.preop_skeleton is None or analysis.frame is None:
        return None
    if not plan.osteotomies:
        return analysis.preop_skeleton
    try:
        return apply_osteotomies(analysis.preop_skeleton, plan.osteotomies, analysis.frame)[0]
    except NotMeasurable:
        return None


def _predicted(after_cuts: Skeleton | None, analysis: Analysis, compensation: Compensation) -> Values:
    """What the plan would have predicted under ``compensation``: values a turn about the hip axis
    cannot change are the plan's own; the others are measured on the turned skeleton."""
    planned = analysis.postop.values
    values: Values = {k: planned[k].value if k in _INVARIANT else None for k in KEYS}
    if after_cuts is None or analysis.preop_skeleton is None:
        return values
    try:
        phi = pelvic_rotation(analysis.preop_skeleton, after_cuts, compensation)
    except NotMeasurable:
        return values
    turned = apply_compensation(_turning_part(after_cuts), phi)
    values.update(_measure_keys(turned, analysis.calibration.calibrated))
    return values


_INVARIANT = frozenset(p.key for p in PARAMETERS if p.hip_rotation_invariant)
_TURNING = tuple(p for p in PARAMETERS if not p.hip_rotation_invariant)
_TURNING_LEVELS = frozenset(
    r.level for p in _TURNING for r in p.requires if isinstance(r, (Corner, BodyCentre))
)


def _turning_part(skeleton: Skeleton) -> Skeleton:
    """The levels the turning parameters read (their declared requirements: S1, C2, C7, T1, T9)
    and the femoral heads: turning these alone gives the same values as turning the whole
    skeleton, at a fraction of the cost (every plan's personal-model error is computed after all
    plans are read, in one process)."""
    points = skeleton.points
    return Skeleton({level: points[level] for level in _TURNING_LEVELS if level in points}, skeleton.heads)


def _measure_keys(skeleton: Skeleton, calibrated: bool) -> Values:
    """The parameters a pelvic turn changes, measured (no segmental table: it is invariant)."""
    result: Values = {}
    for parameter in _TURNING:
        if parameter.is_length and not calibrated:
            result[parameter.key] = None
            continue
        try:
            result[parameter.key] = parameter.compute(skeleton)
        except NotMeasurable:
            result[parameter.key] = None
    return result


def _values(values: Mapping[str, Value]) -> Values:
    return {k: values[k].value for k in KEYS}


def _difference(planned: Values, achieved: Values) -> Values:
    result: Values = {}
    for k in KEYS:
        p, a = planned[k], achieved[k]
        result[k] = None if p is None or a is None else p - a
    return result


@dataclass(frozen=True, slots=True)
class ErrorStats:
    n: int
    bias: float | None
    mae: float | None
    sd: float | None
    se: float | None
    """Standard error of the bias, SD/√n."""


def error_stats(errors: Iterable[float | None]) -> ErrorStats:
    values = [e for e in errors if e is not None]
    n = len(values)
    if n == 0:
        return ErrorStats(0, None, None, None, None)
    fsum = math.fsum  # exact: the order of the terms cannot change a digit
    bias = fsum(values) / n
    mae = fsum(map(abs, values)) / n
    if n == 1:
        return ErrorStats(1, bias, mae, None, None)
    sd = math.sqrt(fsum([(e - bias) ** 2 for e in values]) / (n - 1))
    return ErrorStats(n, bias, mae, sd, sd / math.sqrt(n))


def _per_key(rows: Sequence[Values]) -> dict[str, ErrorStats]:
    """``error_stats`` per key over ``rows`` (KEY → error), one column at a time."""
    return {k: error_stats([r[k] for r in rows]) for k in KEYS}


@dataclass(frozen=True, slots=True)
class Summary:
    plans: int
    skipped: tuple[str, ...]
    """Notes on plans left out (no follow-up)."""
    overall: dict[str, ErrorStats]
    groups: dict[str, dict[str, ErrorStats]]
    models: dict[str, dict[str, ErrorStats]]
    personal: PersonalFit | None
    personal_note: str


def summarise(outcomes: Sequence[PlanOutcome], skipped: Sequence[str]) -> Summary:
    rows = [o.rows[-1].error for o in outcomes]  # each plan's summary_row
    overall = _per_key(rows)
    group_names = sorted({g for o in outcomes for g in o.groups})
    groups = {
        g: _per_key([r for o, r in zip(outcomes, rows, strict=True) if g in o.groups])
        for g in group_names
    }
    model_names = [_model_name(k) for k in PUBLISHED_MODELS]
    models = {
        m: _per_key([e for o in outcomes if (e := o.model_errors.get(m)) is not None])
        for m in model_names
    }
    fit, note, personal_errors = _personal(outcomes)
    if personal_errors:
        models[f"{PERSONAL} (leave-one-out)"] = _per_key(personal_errors)
    return Summary(len(outcomes), tuple(skipped), overall, groups, models, fit, note)


def _personal(outcomes: Sequence[PlanOutcome]) -> tuple[PersonalFit | None, str, list[Values]]:
    usable = [(o, o.pelvis) for o in outcomes if o.pelvis is not None]
    pairs = [(p.achieved_delta_ll, p.achieved_delta_pt) for _o, p in usable]
    try:
        fit = fit_personal(pairs)
    except NotEnoughCases as exc:
        return None, str(exc), []
    errors = []
    for (outcome, pelvis), slope in zip(usable, leave_one_out_slopes(pairs), strict=True):
        if slope is None or outcome.after_cuts is None or outcome.achieved is None:
            continue
        pt = personal_release(pelvis.pt_pre, pelvis.planned_delta_ll, slope, _ideal_pt(pelvis.pi))
        predicted = dict(outcome.invariant)
        predicted.update(_measure_keys(
            apply_compensation(outcome.after_cuts, pelvis.pt_pre - pt), outcome.calibrated
        ))
        errors.append(_difference(predicted, outcome.achieved))
    return fit, fit.describe(), errors
