"""Wedge geometry of each osteotomy: how much bone closes posteriorly or opens anteriorly, and
whether a closing wedge fits in the vertebra (clinical.md §3.2).

Computed on the pre-operative skeleton with the cut's own hinge: the cuts below it move the
vertebra rigidly, which changes no distance. Each procedure type names its rule in the registry
(``ProcedureType.wedge_rule``); nothing here knows a type by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS, parse_disc
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import Point, distance, midpoint
from alignment_planner.plan.model import Osteotomy

SPO_RADIUS_MM = 57.3
"""Disc centre of rotation to the laminar resection in the lumbar spine: the "1 mm per degree"
rule (clinical.md §3.2)."""
SPO_RADIUS_BY_REGION_MM = {"C": SPO_RADIUS_MM / 2.0, "T": 43.0, "L": SPO_RADIUS_MM, "S": SPO_RADIUS_MM}
"""57.3 mm is the lumbar figure (§3.2). The cervical posterior elements sit about half as far from
the disc (issue 15 §6); the thoracic 43 mm is ⚙, an engineering choice: 3/4 of the lumbar radius,
the ratio of mid-thoracic to lumbar body depth. By the caudal vertebra of the disc (its superior
facets are resected)."""


def spo_radius(disc: str) -> float:
    """The closure radius of a posterior-element (SPO) wedge at ``disc`` by spinal region."""
    _upper, lower = _disc(disc)
    return SPO_RADIUS_BY_REGION_MM[lower[0]]


@dataclass(frozen=True, slots=True)
class Wedge:
    osteotomy: Osteotomy
    kind: str
    """"closure" (posterior, closing wedges), "opening" (anterior, opening wedges) or
    "resection" (a VCR: the height of bone and disc removed posteriorly)."""
    mm: float | None
    where: str
    """Where the gap is measured and by which formula, in words."""
    reason: str | None = None
    """Why ``mm`` is not known."""
    warning: str | None = None

    def describe(self) -> str:
        """"posterior closure 22.5 mm", or why the amount is not known (table, panel, report)."""
        side = {"closure": "posterior closure", "opening": "anterior opening"}.get(
            self.kind, "resected height (posterior)"
        )
        amount = f"{self.mm:.1f} mm" if self.mm is not None else f"not measurable ({self.reason})"
        return f"{side} {amount}"


class LaminarClosure:
    """A posterior release at a disc (SPO): the laminae close about the disc's centre of
    rotation, whatever the landmarks say (clinical.md §3.2, "1 mm per degree")."""

    closing = True

    def wedge(self, skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, calibrated: bool) -> Wedge:
        theta = osteotomy.angle_deg
        radius = spo_radius(osteotomy.level)
        where = f"posterior elements, 2·R·tan(θ/2) with R ≈ {radius:.3g} mm for this region"
        return _result(osteotomy, "closure", _symmetric(radius, theta), where, calibrated)


class VertebralResection:
    """A VCR removes the vertebra with the discs above and below (clinical.md §3.1 grade 5): its
    measure is the posterior height resected, from the posteroinferior corner of the vertebra above
    to the posterosuperior corner of the one below (the vertebra's own wall when a neighbour is
    not placed), not a PSO's wedge closure."""

    closing = True

    def wedge(self, skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, calibrated: bool) -> Wedge:
        level = osteotomy.level
        index = LEVEL_INDEX[level]
        above = LEVELS[index - 1] if index > 0 else None
        below = LEVELS[index + 1] if index + 1 < len(LEVELS) else None
        try:
            neighbours = above and below and skeleton.has_point(above, "post_inf")
            if neighbours and below and skeleton.has_point(below, "post_sup"):
                height = distance(skeleton.point(str(above), "post_inf"), skeleton.point(below, "post_sup"))
                where = f"{level} and the discs above and below ({above}–{below} posterior)"
            else:
                height = distance(*_posterior_wall(skeleton, level))
                where = f"the posterior wall of {level} (neighbours not placed: discs not included)"
        except NotMeasurable as exc:
            return Wedge(osteotomy, "resection", None, "", exc.reason)
        return _result(osteotomy, "resection", height, where, calibrated)


WallRoom = Literal["posterior_wall", "posterior_wall_and_disc_above"]


@dataclass(frozen=True, slots=True)
class PosteriorWallClosure:
    """A closing wedge through a vertebra (PSO, extended PSO), measured at its posterior wall.
    ``room`` is the bone the wedge may take before it would not fit (clinical.md §3.2): a PSO its
    own posterior wall, an extended PSO also the disc above. (A VCR removes the whole vertebra:
    its rule is ``VertebralResection``, which no wall limits.)"""

    room: WallRoom
    closing = True

    def wedge(self, skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, calibrated: bool) -> Wedge:
        try:
            wall = _posterior_wall(skeleton, osteotomy.level)
            depth = _distance_to_line(hinge, wall)
            closure = _symmetric(depth, osteotomy.angle_deg)
            where = f"posterior wall, 2·d·tan(θ/2) with d = {depth:.1f} mm from the hinge"
            warning = self._fit_warning(skeleton, osteotomy, closure, wall) if calibrated else None
            return _result(osteotomy, "closure", closure, where, calibrated, warning)
        except NotMeasurable as exc:
            return Wedge(osteotomy, "closure", None, "", exc.reason)

    def _fit_warning(
        self, s: Skeleton, osteotomy: Osteotomy, closure: float, wall: tuple[Point, Point]
    ) -> str | None:
        room = distance(*wall)
        what = f"the {room:.1f} mm posterior wall of {osteotomy.level}"
        if self.room == "posterior_wall_and_disc_above":
            index = LEVEL_INDEX[osteotomy.level]
            above = LEVELS[index - 1] if index > 0 else None
            if above is not None and s.has_point(above, "post_inf"):
                room += distance(wall[0], s.point(above, "post_inf"))
                what = f"the {room:.1f} mm of the posterior wall of {osteotomy.level} and the disc above"
        if closure <= room:
            return None
        return (
            f"{osteotomy.type} at {osteotomy.level}: the {osteotomy.angle_text} wedge closes "
            f"{closure:.1f} mm posteriorly, more than {what}: it would not fit (clinical.md §3.2)"
        )


class AnteriorDiscOpening:
    """An anterior opening at a disc (ACR, lordotic cage), measured at the disc's front."""

    closing = False

    def wedge(self, skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, calibrated: bool) -> Wedge:
        try:
            upper, lower = _disc(osteotomy.level)
            front = midpoint(skeleton.point(upper, "ant_inf"), skeleton.point(lower, "ant_sup"))
            depth = distance(hinge, front)
            where = f"anterior disc, 2·d·tan(θ/2) with d = {depth:.1f} mm from the hinge"
            return _result(osteotomy, "opening", _symmetric(depth, osteotomy.angle_deg), where, calibrated)
        except NotMeasurable as exc:
            return Wedge(osteotomy, "opening", None, "", exc.reason)


class AnteriorWallGain:
    """Height restored at a vertebra's anterior wall (kyphoplasty), hinged posteriorly."""

    closing = False

    def wedge(self, skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, calibrated: bool) -> Wedge:
        try:
            front = skeleton.point(osteotomy.level, "ant_sup")
            depth = distance(hinge, front)
            where = f"anterior wall height gained, 2·d·sin(θ/2) with d = {depth:.1f} mm from the hinge"
            gain = 2.0 * depth * math.sin(math.radians(abs(osteotomy.angle_deg)) / 2.0)
            return _result(osteotomy, "opening", gain, where, calibrated)
        except NotMeasurable as exc:
            return Wedge(osteotomy, "opening", None, "", exc.reason)


WedgeRule = (
    LaminarClosure | PosteriorWallClosure | VertebralResection | AnteriorDiscOpening | AnteriorWallGain
)
"""How a procedure type's wedge is measured; each type names one in the registry."""


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


def _disc(level: str) -> tuple[str, str]:
    parsed = parse_disc(level)
    if parsed is None:
        raise NotMeasurable(f'"{level}" is not a disc level')
    return parsed
