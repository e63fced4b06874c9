"""Wedge geometry of each osteotomy: how much bone closes posteriorly or opens anteriorly, and
whether a closing wedge fits in the vertebra (clinical.md §3.2).

Computed on the pre-operative skeleton with the cut's own hinge: the cuts below it move the
vertebra rigidly, which changes no distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS, parse_disc
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import Point, distance, midpoint
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES

SPO_RADIUS_MM = 57.3
"""Disc centre of rotation to the laminar resection: the "1 mm per degree" rule (clinical.md §3.2)."""


@dataclass(frozen=True, slots=True)
class Wedge:
    osteotomy: Osteotomy
    kind: str
    """"closure" (posterior, closing wedges) or "opening" (anterior, opening wedges)."""
    mm: float | None
    where: str
    """Where the gap is measured and by which formula, in words."""
    reason: str | None = None
    """Why ``mm`` is not known."""
    warning: str | None = None

    def describe(self) -> str:
        """"posterior closure 22.5 mm", or why the amount is not known (table, panel, report)."""
        side = "posterior closure" if self.kind == "closure" else "anterior opening"
        amount = f"{self.mm:.1f} mm" if self.mm is not None else f"not measurable ({self.reason})"
        return f"{side} {amount}"


def wedge(skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, *, calibrated: bool) -> Wedge:
    """The wedge of one osteotomy; ``hinge`` in the pre-op anatomical frame."""
    kind = PROCEDURE_TYPES[osteotomy.type]
    theta = osteotomy.angle_deg
    name = f"{osteotomy.type} at {osteotomy.level}"
    if kind.closing_wedge and kind.site == "disc":
        where = f"posterior elements, 2·R·tan(θ/2) with R ≈ {SPO_RADIUS_MM:g} mm (≈ 1 mm per degree)"
        return _result(osteotomy, "closure", _symmetric(SPO_RADIUS_MM, theta), where, calibrated)
    try:
        if kind.closing_wedge:
            wall = _posterior_wall(skeleton, osteotomy.level)
            depth = _distance_to_line(hinge, wall)
            closure = _symmetric(depth, theta)
            where = f"posterior wall, 2·d·tan(θ/2) with d = {depth:.1f} mm from the hinge"
            warning = _fit_warning(skeleton, osteotomy, closure, wall, name) if calibrated else None
            return _result(osteotomy, "closure", closure, where, calibrated, warning)
        if kind.site == "disc":
            upper, lower = _disc(osteotomy.level)
            front = midpoint(skeleton.point(upper, "ant_inf"), skeleton.point(lower, "ant_sup"))
            depth = distance(hinge, front)
            where = f"anterior disc, 2·d·tan(θ/2) with d = {depth:.1f} mm from the hinge"
            return _result(osteotomy, "opening", _symmetric(depth, theta), where, calibrated)
        front = skeleton.point(osteotomy.level, "ant_sup")
        depth = distance(hinge, front)
        where = f"anterior wall height gained, 2·d·sin(θ/2) with d = {depth:.1f} mm from the hinge"
        gain = 2.0 * depth * math.sin(math.radians(abs(theta)) / 2.0)
        return _result(osteotomy, "opening", gain, where, calibrated)
    except NotMeasurable as exc:
        return Wedge(osteotomy, "closure" if kind.closing_wedge else "opening", None, "", exc.reason)


def _result(
    osteotomy: Osteotomy, kind: str, mm: float, where: str, calibrated: bool, warning: str | None = None
) -> Wedge:
    if not calibrated:
        return Wedge(osteotomy, kind, None, where, "uncalibrated image")
    return Wedge(osteotomy, kind, mm, where, None, warning)


def _symmetric(depth: float, theta_deg: float) -> float:
    """Gap of an isosceles wedge with its apex at the hinge (clinical.md §3.2)."""
    return 2.0 * depth * math.tan(math.radians(abs(theta_deg)) / 2.0)


def _posterior_wall(s: Skeleton, level: str) -> tuple[Point, Point]:
    return s.point(level, "post_sup"), s.point(level, "post_inf")


def _distance_to_line(p: Point, line: tuple[Point, Point]) -> float:
    (ax, ay), (bx, by) = line
    length = math.hypot(bx - ax, by - ay)
    if length < 1e-9:
        return distance(p, line[0])
    return abs((bx - ax) * (ay - p[1]) - (ax - p[0]) * (by - ay)) / length


def _fit_warning(
    s: Skeleton, osteotomy: Osteotomy, closure: float, wall: tuple[Point, Point], name: str
) -> str | None:
    """A PSO's wedge must fit in the posterior wall of its vertebra; an extended PSO may also take
    the disc above. A VCR removes the whole vertebra, so nothing limits it here."""
    if osteotomy.type == "VCR":
        return None
    room = distance(*wall)
    what = f"the {room:.1f} mm posterior wall of {osteotomy.level}"
    if osteotomy.type == "EPSO":
        above = LEVELS[LEVEL_INDEX[osteotomy.level] - 1] if LEVEL_INDEX[osteotomy.level] > 0 else None
        if above is not None and s.has_point(above, "post_inf"):
            room += distance(wall[0], s.point(above, "post_inf"))
            what = f"the {room:.1f} mm of the posterior wall of {osteotomy.level} and the disc above"
    if closure <= room:
        return None
    return (
        f"{name}: the {osteotomy.angle_deg:g}° wedge closes {closure:.1f} mm posteriorly, more than "
        f"{what}: it would not fit (clinical.md §3.2)"
    )


def _disc(level: str) -> tuple[str, str]:
    parsed = parse_disc(level)
    if parsed is None:
        raise NotMeasurable(f'"{level}" is not a disc level')
    return parsed
