"""The angle of one more osteotomy that brings one parameter to a value (contract.md §3 ``solve``,
clinical.md §4.5: solve over θ, with the plan's own cuts and compensation model applied).

The search runs over the type's range, 0° to the top of its typical range (clinical.md §3.1): a
grid finds every bracket, the smallest correction that reaches the target is refined by the
Illinois method to 1e-6°. When no angle gets there, the closest achievable value is reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from alignment_planner.anatomy.skeleton import NotMeasurable
from alignment_planner.errors import ProcedureError
from alignment_planner.geometry.primitives import Point
from alignment_planner.measurements import PARAMETERS_BY_KEY, reader_label
from alignment_planner.plan.model import Osteotomy, Plan
from alignment_planner.planning.trial import Site, Trial
from alignment_planner.procedures.registry import PROCEDURE_TYPES

GRID_STEP_DEG = 2.5
TOLERANCE_DEG = 1e-6
SAME_VALUE = 1e-9
"""Two values of the objective this close are equally good (the parameter's unit): a parameter
the cut does not move (PI, PT with the pelvis fixed, TK under a lumbar cut) comes back within
1e-13 of itself, and its closest approach is then the least correction, 0°, not wherever the
rounding noise is smallest."""


@dataclass(frozen=True, slots=True)
class Solution:
    osteotomy: Osteotomy
    """The added osteotomy: at the solved angle, or at the closest one when unreachable."""
    key: str
    target: float
    achieved: float
    reached: bool
    angle_range: tuple[float, float]
    plan: Plan
    """The plan with ``osteotomy`` added."""

    @property
    def message(self) -> str:
        unit = PARAMETERS_BY_KEY[self.key].symbol
        o = self.osteotomy
        if self.reached:
            value = f"{reader_label(self.key)} {self.achieved:.1f}{_gap(unit)}"
            gives = f"{o.type} at {o.level}: {o.angle_deg:.1f}° gives {value}"
            low, high = PROCEDURE_TYPES[o.type].typical_range
            if not low <= o.angle_deg <= high:
                gives += f" (outside the typical {low:g}–{high:g}° for {o.type})"
            return gives
        low, high = self.angle_range
        return (
            f"{reader_label(self.key)} {self.target:g}{_gap(unit)} cannot be reached with {o.type} at "
            f"{o.level} within {low:g}–{high:g}°: closest is {reader_label(self.key)} "
            f"{self.achieved:.1f}{_gap(unit)} "
            f"at {o.angle_deg:.1f}°"
        )


def _gap(unit: str) -> str:
    return unit if unit in ("°", "%") else f" {unit}"


def angle_range(type_key: str) -> tuple[float, float]:
    return 0.0, PROCEDURE_TYPES[type_key].typical_range[1]


def solve(
    plan: Plan, type_key: str, level: str, key: str, target: float, *, hinge_px: Point | None = None
) -> Solution:
    """Raises ``ProcedureError`` for a bad procedure, an unknown or unmeasurable key."""
    if key not in PARAMETERS_BY_KEY:
        raise ProcedureError(f"unknown target {key!r} (known: {', '.join(PARAMETERS_BY_KEY)})")
    if not math.isfinite(target):
        raise ProcedureError(f"target {key}: the value must be a finite number")
    if type_key not in PROCEDURE_TYPES:
        raise ProcedureError(f"unknown osteotomy type {type_key!r} (known: {', '.join(PROCEDURE_TYPES)})")
    trial = Trial(plan, (key,))
    site = trial.site(type_key, level, hinge_px)
    low, high = angle_range(type_key)
    f = _objective(trial, site, key, target)
    angle, reached = _search(f, low, high)
    achieved = f(angle) + target
    osteotomy = Osteotomy(type_key, level, round(angle, 6), hinge_px)
    return Solution(osteotomy, key, target, achieved, reached, (low, high), trial.with_cuts([(site, angle)]))


def _objective(trial: Trial, site: Site, key: str, target: float) -> Callable[[float], float]:
    def f(angle: float) -> float:
        try:
            return trial.evaluate([(site, angle)])[key] - target
        except NotMeasurable as exc:
            raise ProcedureError(f"{key} is not measurable: {exc.reason}") from None

    return f


def _search(f: Callable[[float], float], low: float, high: float) -> tuple[float, bool]:
    """The smallest |angle| with f = 0, or the angle with the smallest |f| (and False)."""
    count = max(2, math.ceil((high - low) / GRID_STEP_DEG))
    grid = [low + (high - low) * i / count for i in range(count + 1)]
    values = [f(a) for a in grid]
    brackets = [
        (grid[i], grid[i + 1], values[i], values[i + 1])
        for i in range(count)
        if values[i] == 0.0 or values[i] * values[i + 1] < 0.0
    ]
    if values[-1] == 0.0:
        brackets.append((grid[-1], grid[-1], 0.0, 0.0))
    if brackets:
        a, b, fa, fb = min(brackets, key=lambda br: min(abs(br[0]), abs(br[1])))
        return _illinois(f, a, b, fa, fb), True
    closest = min(abs(v) for v in values)
    best = next(i for i, v in enumerate(values) if abs(v) <= closest + SAME_VALUE)  # the least angle
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, count)]
    return _golden_min(lambda a: abs(f(a)), left, right), False


def _illinois(f: Callable[[float], float], a: float, b: float, fa: float, fb: float) -> float:
    """Regula falsi with the Illinois modification on a bracket [a, b] with f(a)·f(b) ≤ 0."""
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    side = 0
    c = a
    for _ in range(100):
        c = (a * fb - b * fa) / (fb - fa)
        fc = f(c)
        if abs(fc) < 1e-10 or abs(b - a) < TOLERANCE_DEG:
            return c
        if fc * fb > 0.0:  # c replaces b; if b was kept last time too, halve f(a)
            b, fb = c, fc
            if side == -1:
                fa /= 2.0
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb /= 2.0
            side = 1
    return c


def _golden_min(g: Callable[[float], float], a: float, b: float) -> float:
    """The argument of the minimum of a unimodal ``g`` on [a, b] to 1e-4; of equally good
    arguments (within ``SAME_VALUE``), the smallest: the least correction."""
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    gc, gd = g(c), g(d)
    while b - a > 1e-4:
        if gc <= gd + SAME_VALUE:
            b, d, gd = d, c, gc
            c = b - ratio * (b - a)
            gc = g(c)
        else:
            a, c, gc = c, d, gd
            d = a + ratio * (b - a)
            gd = g(d)
    candidates = ((a, g(a)), ((a + b) / 2.0, g((a + b) / 2.0)), (b, g(b)))  # ascending angle
    lowest = min(value for _, value in candidates)
    return next(x for x, value in candidates if value <= lowest + SAME_VALUE)
