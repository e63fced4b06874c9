"""How sure is each number? Landmark placement error propagated to every parameter, pre-op and
planned (issue 5 §4).

Each placed point is taken to be off by an independent, isotropic Gaussian error with standard
deviation ``point_sd_mm`` in each axis (default 2.5 mm, the order of the intra-observer figures of
clinical.md §5.1). The propagation is a linearisation: every coordinate that some parameter, hinge
or compensation model reads is nudged by a small step, the whole analysis is rerun, and the
standard deviations follow from the resulting gradients, σ² = Σ (∂value/∂coordinate · σ)². It is
exact for small errors and deterministic; a Monte Carlo check is in the tests. Only the points a
value can depend on are nudged, so a full spine costs about a hundred analyses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.measurements import PARAMETERS, Measurements
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.registry import PROCEDURE_TYPES

if TYPE_CHECKING:
    from alignment_planner.analysis.pipeline import Analysis

DEFAULT_POINT_SD_MM = 2.5
UNCALIBRATED_MM_PER_PX = 0.15  # a typical full-spine detector pitch, to size errors on such films
STEP_MM = 0.05
Z95 = 1.96


@dataclass(frozen=True, slots=True)
class Uncertainty:
    point_sd_mm: float
    preop: dict[str, float | None]
    """One standard deviation per parameter key (``None`` where the value is not measurable)."""
    postop: dict[str, float | None]
    method: str

    def band(self, key: str, stage: str = "preop") -> float | None:
        """Half-width of the 95 % band (1.96 σ)."""
        sd = (self.preop if stage == "preop" else self.postop).get(key)
        return None if sd is None else Z95 * sd


def propagate(
    plan: Plan, point_sd_mm: float = DEFAULT_POINT_SD_MM, analysis: Analysis | None = None
) -> Uncertainty:
    # Imported here: the CLI reads this module's default at start, and every command (inspect
    # too) would otherwise pay for the whole analysis stack before doing anything.
    from alignment_planner.analysis.pipeline import analyze

    if not math.isfinite(point_sd_mm) or point_sd_mm < 0:
        raise ValueError("the per-point standard deviation must be a finite number ≥ 0 mm")
    base = analysis or analyze(plan)
    spacing = plan.calibration.spacing
    row_mm = spacing.row if spacing else UNCALIBRATED_MM_PER_PX
    col_mm = spacing.column if spacing else UNCALIBRATED_MM_PER_PX
    method = (
        f"linearised propagation of an independent {point_sd_mm:g} mm error (1 SD, each axis) "
        "on every landmark"
    )
    if spacing is None:
        method += f"; uncalibrated: pixels taken as {UNCALIBRATED_MM_PER_PX} mm"
    variance_pre = {p.key: 0.0 for p in PARAMETERS}
    variance_post = {p.key: 0.0 for p in PARAMETERS}
    if point_sd_mm > 0:
        for key, axis in _coordinates(plan):
            step_px = STEP_MM / (col_mm if axis == 0 else row_mm)
            sd_px = point_sd_mm / (col_mm if axis == 0 else row_mm)
            nudged = analyze(replace(plan, landmarks=_nudge(plan.landmarks, key, axis, step_px)))
            _accumulate(variance_pre, base.preop, nudged.preop, sd_px / step_px)
            _accumulate(variance_post, base.postop, nudged.postop, sd_px / step_px)
    return Uncertainty(
        point_sd_mm,
        _sds(variance_pre, base.preop),
        _sds(variance_post, base.postop),
        method,
    )


def _accumulate(variance: dict[str, float], base: Measurements, nudged: Measurements, scale: float) -> None:
    for key, total in variance.items():
        a, b = base.values[key].value, nudged.values[key].value
        if a is not None and b is not None:
            variance[key] = total + ((b - a) * scale) ** 2


def _sds(variance: dict[str, float], base: Measurements) -> dict[str, float | None]:
    return {k: (math.sqrt(v) if base.values[k].value is not None else None) for k, v in variance.items()}


def _coordinates(plan: Plan) -> Iterable[tuple[str, int]]:
    """(landmark key, axis) for every placed coordinate a value can depend on."""
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
                yield f"{level}.{name}", 0
                yield f"{level}.{name}", 1
    if heads:
        for index in range(len(plan.landmarks.femoral_heads)):
            yield f"femoral_heads.{index}", 0
            yield f"femoral_heads.{index}", 1


def _nudge(landmarks: Landmarks, key: str, axis: int, step: float) -> Landmarks:
    level, _, name = key.partition(".")
    if level == "femoral_heads":
        heads = list(landmarks.femoral_heads)
        index = int(name)
        x, y = heads[index].center
        heads[index] = replace(heads[index], center=(x + step, y) if axis == 0 else (x, y + step))
        return landmarks.with_femoral_heads(tuple(heads))
    point = landmarks.point(level, name)
    assert point is not None
    moved = (point[0] + step, point[1]) if axis == 0 else (point[0], point[1] + step)
    return landmarks.with_point(level, name, moved)
