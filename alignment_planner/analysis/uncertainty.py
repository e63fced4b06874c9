"""How sure is each number? Landmark placement error propagated to every parameter, pre-op and
planned, plus the compensation model's own error on planned values (issue 5 §4; issue 15 §3;
clinical.md §4.6, §5.4).

Landmark error follows the per-class model of ``error_model`` (fitted to the published SEMs of
clinical.md §5.1), or, when a per-point SD is given, an isotropic error of that size. Propagation
is a linearisation: every coordinate a value can depend on is nudged along and across its endplate,
the analysis is rerun, and σ² = Σ (∂value/∂direction · σ_direction)². A ratio (LDI) is not linear:
its band comes from sampling numerator and denominator with their joint (linearised) distribution
and is asymmetric; when the denominator's band includes zero the ratio is "undefined within
noise". Planned values that a compensation model moves carry that model's published prediction
error as well (Lafage 2012: PT 4.1°, SVA 27 mm median absolute error, taken as SD = 1.4826 ×
median absolute error for a normal error). An uncalibrated film's angles do not depend on scale,
so its pixels are sized by the anatomy (the S1 endplate ≈ 45 mm), never by an arbitrary px = mm.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from alignment_planner.analysis.error_model import (
    ErrorModel,
    directions,
    load_error_model,
    partner_corner,
)
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.measurements import PARAMETERS, PARAMETERS_BY_KEY
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.simulate import apply_compensation

if TYPE_CHECKING:
    from alignment_planner.analysis.pipeline import Analysis

DEFAULT_POINT_SD_MM = 2.5
"""The isotropic per-point SD offered as an alternative to the calibrated model (GUI, CLI)."""
STEP_MM = 0.05
Z95 = 1.96
MEDIAN_ABS_TO_SD = 1.4826  # σ of a normal error whose median absolute value is 1
RATIOS = {"LDI": ("L4S1", "LL", 100.0)}
"""Ratio keys: numerator, denominator, factor (clinical.md §1.2: LDI = 100·L4S1/LL)."""
RATIO_SAMPLES = 20000
PUBLISHED_MODEL_KEYS = {"SVA": "sva_mm"}
"""Planned values whose model error is published directly; the others follow from the PT error
as a rotation of the whole body about the hip axis (clinical.md §3.3 step 5)."""

Stage = str
Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Uncertainty:
    point_sd_mm: float | None
    """The isotropic per-point SD used, or ``None`` for the calibrated per-class model."""
    preop: dict[str, float | None]
    """Landmark error: one standard deviation per parameter key (``None``: not measurable)."""
    postop: dict[str, float | None]
    method: str
    model: dict[str, float] = field(default_factory=dict)
    """Planned values moved by a compensation model: the model's own SD (clinical.md §4.6)."""
    intervals: dict[Stage, dict[str, Interval]] = field(default_factory=dict)
    """Asymmetric 95 % intervals (absolute values) of non-linear keys (LDI), by stage."""
    undefined: dict[Stage, dict[str, str]] = field(default_factory=dict)
    """Keys whose value is undefined within the noise, with the reason, by stage."""

    def sd(self, key: str, stage: str = "preop") -> float | None:
        """Total SD: landmark error, and for planned values the model's error too."""
        landmark = (self.preop if stage == "preop" else self.postop).get(key)
        if landmark is None:
            return None
        model = self.model.get(key, 0.0) if stage != "preop" else 0.0
        return math.hypot(landmark, model)

    def band(self, key: str, stage: str = "preop") -> float | None:
        """Half-width of the 95 % band (1.96 σ); for an asymmetric interval, its wider half;
        ``None`` when not measurable or undefined within noise."""
        if key in self.undefined.get(stage, {}):
            return None
        sd = self.sd(key, stage)
        return None if sd is None else Z95 * sd

    def interval(self, key: str, stage: str = "preop") -> Interval | None:
        return self.intervals.get(stage, {}).get(key)


def propagate(
    plan: Plan,
    point_sd_mm: float | None = None,
    analysis: Analysis | None = None,
    *,
    model: ErrorModel | None = None,
) -> Uncertainty:
    """``point_sd_mm`` ``None`` uses the calibrated model (clinical.md §5.4); a number, an
    isotropic error of that size on every landmark; ``model`` another model (the fit tool)."""
    # Imported here: the CLI reads this module's default at start, and every command (inspect
    # too) would otherwise pay for the whole analysis stack before doing anything.
    from alignment_planner.analysis.pipeline import analyze

    if point_sd_mm is not None and (not math.isfinite(point_sd_mm) or point_sd_mm < 0):
        raise ValueError("the per-point standard deviation must be a finite number ≥ 0 mm")
    if model is None:
        model = load_error_model() if point_sd_mm is None else ErrorModel.isotropic(point_sd_mm)
    base = analysis or analyze(plan)
    spacing = plan.calibration.spacing
    method = f"linearised propagation of {model.description}"
    if spacing is not None:
        row_mm, col_mm = spacing.row, spacing.column
    else:
        scale = anatomy_scale(plan.landmarks, model.anatomy_reference_mm)
        if scale is None:
            reason = (
                "uncalibrated, and no S1 or lumbar superior endplate to size the pixels by: "
                "no bands (clinical.md §5.4)"
            )
            empty: dict[str, float | None] = {p.key: None for p in PARAMETERS}
            return Uncertainty(point_sd_mm, empty, dict(empty), f"{method}; {reason}")
        row_mm = col_mm = scale
        method += (
            f"; uncalibrated: pixels sized by the anatomy ({scale:.3f} mm/px, the endplate taken "
            f"as {model.anatomy_reference_mm:g} mm)"
        )
    gradients: dict[str, dict[str, list[float]]] = {"preop": {}, "postop": {}}
    for level, name in _points(plan):
        own = plan.landmarks.point(level, name) if level != "femoral_heads" else None
        own_px = own if own is not None else _head(plan.landmarks, int(name))
        partner_name = partner_corner(name)
        partner = plan.landmarks.point(level, partner_name) if partner_name else None
        error = model.classes["femoral_head"] if level == "femoral_heads" else model.for_point(level, name)
        pairs = zip(
            directions(name, _mm(own_px, row_mm, col_mm), _mm(partner, row_mm, col_mm) if partner else None),
            (error.along_mm, error.across_mm),
            strict=True,
        )
        for (ux, uy), sd_mm in pairs:
            if sd_mm == 0.0:
                continue
            step = (STEP_MM * ux / col_mm, STEP_MM * uy / row_mm)
            nudged = analyze(replace(plan, landmarks=_nudge(plan.landmarks, level, name, step)))
            for stage, before, after in (
                ("preop", base.preop, nudged.preop), ("postop", base.postop, nudged.postop)
            ):
                for parameter in PARAMETERS:
                    a, b = before.value(parameter.key), after.value(parameter.key)
                    if a is not None and b is not None:
                        gradients[stage].setdefault(parameter.key, []).append((b - a) / STEP_MM * sd_mm)
    sds = {stage: _sds(gradients[stage], base, stage) for stage in gradients}
    intervals: dict[Stage, dict[str, Interval]] = {"preop": {}, "postop": {}}
    undefined: dict[Stage, dict[str, str]] = {"preop": {}, "postop": {}}
    model_sd = _model_error(base)
    for stage in ("preop", "postop"):
        values = base.preop if stage == "preop" else base.postop
        for key, (num, den, factor) in RATIOS.items():
            result = _ratio_band(
                values.value(num), values.value(den), gradients[stage].get(num), gradients[stage].get(den),
                factor, model_sd.get(den, 0.0) if stage == "postop" else 0.0,
            )
            if isinstance(result, str):
                undefined[stage][key] = result
            elif result is not None:
                intervals[stage][key] = result
    return Uncertainty(point_sd_mm, sds["preop"], sds["postop"], method, model_sd, intervals, undefined)


def anatomy_scale(landmarks: Landmarks, reference_mm: float) -> float | None:
    """mm per pixel on an uncalibrated film, from the S1 superior endplate (else the lowest placed
    lumbar superior endplate) taken as ``reference_mm`` long (clinical.md §5.4)."""
    for level in ("S1", "L5", "L4", "L3", "L2", "L1"):
        post, ant = landmarks.point(level, "post_sup"), landmarks.point(level, "ant_sup")
        if post is not None and ant is not None:
            length = math.dist(post, ant)
            if length > 1e-6:
                return reference_mm / length
    return None


def _sds(gradients: dict[str, list[float]], base: Analysis, stage: str) -> dict[str, float | None]:
    values = base.preop if stage == "preop" else base.postop
    return {
        p.key: None if values.value(p.key) is None else math.hypot(*gradients.get(p.key, []))
        for p in PARAMETERS
    }


def _model_error(base: Analysis) -> dict[str, float]:
    """Per planned key moved by the compensation model: its SD from the model's published error
    (clinical.md §4.6, §5.3), propagated as a rotation about the hip axis where not published."""
    error, skeleton = base.model_error, base.postop_skeleton
    if error is None or skeleton is None:
        return {}
    from alignment_planner.measurements import measure_skeleton

    sd_pt = error.pt_deg * MEDIAN_ABS_TO_SD
    step = 0.01
    calibrated = base.calibration.calibrated
    turned = measure_skeleton(apply_compensation(skeleton, step), calibrated=calibrated)
    result: dict[str, float] = {}
    for parameter in PARAMETERS:
        if parameter.hip_rotation_invariant:
            continue
        a, b = base.postop.value(parameter.key), turned.value(parameter.key)
        if a is None or b is None:
            continue
        published = PUBLISHED_MODEL_KEYS.get(parameter.key)
        if published is not None:
            result[parameter.key] = getattr(error, published) * MEDIAN_ABS_TO_SD
        else:
            result[parameter.key] = abs(b - a) / step * sd_pt
    return result


def _ratio_band(
    num: float | None, den: float | None, g_num: list[float] | None, g_den: list[float] | None,
    factor: float, den_extra_sd: float,
) -> Interval | str | None:
    """95 % interval of factor·num/den by sampling their joint normal, or the reason it is
    undefined within the noise."""
    if num is None or den is None or g_num is None or g_den is None or len(g_num) != len(g_den):
        return None
    a, b = np.asarray(g_num), np.asarray(g_den)
    cov = np.array([[a @ a, a @ b], [a @ b, b @ b + den_extra_sd**2]])
    sd_den = math.sqrt(cov[1, 1])
    if abs(den) <= Z95 * sd_den:
        return (
            f"undefined within noise: the denominator {den:.1f} ± {Z95 * sd_den:.1f} (95 %) "
            "includes 0"
        )
    rng = np.random.default_rng(15)  # deterministic: the same plan gives the same band
    samples = rng.multivariate_normal([num, den], cov, size=RATIO_SAMPLES, method="svd")
    ratios = factor * samples[:, 0] / samples[:, 1]
    low, high = np.quantile(ratios, [0.025, 0.975])
    return float(low), float(high)


def _points(plan: Plan) -> Iterable[tuple[str, str]]:
    """(level, point name) for every placed point a value can depend on; femoral heads as
    ("femoral_heads", index). Hinge-defining landmarks and explicit centres are included."""
    needed_levels: set[str] = set()
    needed_points: set[tuple[str, str]] = set()
    heads = False
    for parameter in PARAMETERS:
        for requirement in parameter.requires:
            level = getattr(requirement, "level", None)
            name = getattr(requirement, "name", None)
            if level is None:
                heads = True
            elif name is None:
                needed_levels.add(level)  # a body centre: its corners or its explicit centre
            else:
                needed_points.add((level, name))
    for osteotomy in plan.osteotomies:
        if osteotomy.hinge is None:
            for key in PROCEDURE_TYPES[osteotomy.type].hinge_landmarks(osteotomy.level):
                level, _, name = key.partition(".")
                needed_points.add((level, name))
    for level, vertebra in plan.landmarks.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf", "center"):
            wanted = level in needed_levels or (level, name) in needed_points
            if vertebra.point(name) is not None and wanted:
                yield level, name
    if heads:
        for index in range(len(plan.landmarks.femoral_heads)):
            yield "femoral_heads", str(index)


def _mm(p: tuple[float, float], row_mm: float, col_mm: float) -> tuple[float, float]:
    return p[0] * col_mm, p[1] * row_mm


def _head(landmarks: Landmarks, index: int) -> tuple[float, float]:
    return landmarks.femoral_heads[index].center


def _nudge(landmarks: Landmarks, level: str, name: str, step: tuple[float, float]) -> Landmarks:
    if level == "femoral_heads":
        heads = list(landmarks.femoral_heads)
        index = int(name)
        x, y = heads[index].center
        heads[index] = replace(heads[index], center=(x + step[0], y + step[1]))
        return landmarks.with_femoral_heads(tuple(heads))
    point = landmarks.point(level, name)
    assert point is not None
    return landmarks.with_point(level, name, (point[0] + step[0], point[1] + step[1]))


def parameter_unit(key: str) -> str:
    return PARAMETERS_BY_KEY[key].symbol
