"""The bone each cut removes, or the gap it opens, as outlines on the pre-operative film.

Drawn in the anatomical frame (x towards the patient's front, y up; millimetres, or pixels when
uncalibrated), from the cut's hinge and the procedure type's rule:

- a closing wedge through a vertebra (PSO, EPSO): a wedge of the cut's angle with its apex at
  the hinge, opening backwards through the body and the posterior elements;
- VCR: the whole vertebral segment (body and posterior elements);
- a closing wedge at a disc (SPO): the posterior closure, apex at the hinge, through the facets and
  laminae and no further: it ends where the posterior elements end, as a PSO's does (drawn out
  to the skin line it showed soft tissue as resected bone);
- an opening wedge at a disc (ACR, interbody cage): the disc space opened anteriorly by the angle,
  and the outline of the cage that fills it;
- kyphoplasty: the height restored, the superior endplate turned up about its posterior corner.

Every size is relative to the vertebra on the film (no assumed millimetres), so the outline
scales with the patient and stays right on an uncalibrated image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from alignment_planner.anatomy.levels import parse_disc
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import Point, midpoint
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.wedge import VertebralResection

POSTERIOR_ELEMENTS = 0.7
"""Depth of the posterior elements behind the posterior wall, as a fraction of the body's depth
(pedicle and lamina of a lumbar vertebra: about 30 mm behind a 45 mm body)."""
FRONT_MARGIN = 0.1
"""How far a drawn cut line runs in front of the body (or disc), as a fraction of its depth: a few
millimetres, so the line is seen to cross the anterior cortex. Behind, it ends with the posterior
elements, as the wedge does."""
CAGE_SPAN = (0.15, 0.85)
"""Where a cage sits along the disc, from its posterior to its anterior edge."""

Kind = Literal["removed", "opened"]


@dataclass(frozen=True, slots=True)
class WedgeOutline:
    kind: Kind
    """"removed": bone taken out (closing wedges); "opened": a gap made (opening wedges)."""
    outline: tuple[Point, ...]
    cage: tuple[Point, ...] | None = None
    """The implant filling an opened disc (ACR, interbody)."""


def wedge_outline(skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point) -> WedgeOutline | None:
    """The outline for one cut with its hinge (anatomical frame); ``None`` when the landmarks it
    needs are not placed or the angle is zero."""
    if abs(osteotomy.angle_deg) < 1e-6:
        return None
    kind = PROCEDURE_TYPES[osteotomy.type]
    try:
        if kind.site == "disc":
            upper, lower = parse_disc(osteotomy.level) or (osteotomy.level, osteotomy.level)
            return _disc_wedge(skeleton, upper, lower, hinge, osteotomy.angle_deg, kind.wedge_rule.closing)
        # The registry's rule for a VCR resects the vertebra with its discs: the whole segment.
        if isinstance(kind.wedge_rule, VertebralResection):
            return _segment(skeleton, osteotomy.level)
        if kind.wedge_rule.closing:
            return _vertebral_wedge(skeleton, osteotomy.level, hinge, osteotomy.angle_deg)
        return _restored_height(skeleton, osteotomy.level, osteotomy.angle_deg)
    except NotMeasurable:
        return None


def _unit(a: Point, b: Point) -> Point:
    length = math.dist(a, b)
    if length < 1e-9:
        raise NotMeasurable("degenerate vertebra")
    return ((b[0] - a[0]) / length, (b[1] - a[1]) / length)


def _rotate(v: Point, degrees: float) -> Point:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def _along(p: Point, v: Point, length: float) -> Point:
    return (p[0] + v[0] * length, p[1] + v[1] * length)


def _turned_with_the_cut(p: Point, about: Point, degrees: float) -> Point:
    """``p`` turned about ``about`` by the cut's signed angle, counter-clockwise for a lordosing
    (positive) one: the sense in which the simulation turns everything above the cut
    (simulate.rotate_segment), so the drawn opening is the movement the numbers describe, also
    with a hinge moved in front of the disc or a segment tilted past the vertical."""
    v = _rotate((p[0] - about[0], p[1] - about[1]), degrees)
    return (about[0] + v[0], about[1] + v[1])


def _vertebral_wedge(s: Skeleton, level: str, hinge: Point, angle: float) -> WedgeOutline:
    front = midpoint(s.point(level, "ant_sup"), s.point(level, "ant_inf"))
    back = midpoint(s.point(level, "post_sup"), s.point(level, "post_inf"))
    backwards = _unit(front, back)
    depth = math.dist(front, back)
    to_wall = (back[0] - hinge[0]) * backwards[0] + (back[1] - hinge[1]) * backwards[1]
    half = abs(angle) / 2
    reach = (max(to_wall, 0.0) + POSTERIOR_ELEMENTS * depth) / math.cos(math.radians(half))
    upper = _along(hinge, _rotate(backwards, half), reach)
    lower = _along(hinge, _rotate(backwards, -half), reach)
    return WedgeOutline("removed", (hinge, upper, lower))


def _segment(s: Skeleton, level: str) -> WedgeOutline:
    post_sup, ant_sup = s.point(level, "post_sup"), s.point(level, "ant_sup")
    post_inf, ant_inf = s.point(level, "post_inf"), s.point(level, "ant_inf")
    backwards = _unit(midpoint(ant_sup, ant_inf), midpoint(post_sup, post_inf))
    depth = math.dist(midpoint(ant_sup, ant_inf), midpoint(post_sup, post_inf))
    reach = POSTERIOR_ELEMENTS * depth
    outline = (
        ant_sup,
        post_sup,
        _along(post_sup, backwards, reach),
        _along(post_inf, backwards, reach),
        post_inf,
        ant_inf,
    )
    return WedgeOutline("removed", outline)


def _disc_wedge(
    s: Skeleton, upper: str, lower: str, hinge: Point, angle: float, closing: bool
) -> WedgeOutline:
    top_back, top_front = s.point(upper, "post_inf"), s.point(upper, "ant_inf")
    bottom_back, bottom_front = s.point(lower, "post_sup"), s.point(lower, "ant_sup")
    front, back = midpoint(top_front, bottom_front), midpoint(top_back, bottom_back)
    depth = math.dist(front, back)
    half = abs(angle) / 2
    if closing:  # SPO: the posterior closure, apex at the hinge, to the back of the laminae
        backwards = _unit(front, back)
        to_wall = (back[0] - hinge[0]) * backwards[0] + (back[1] - hinge[1]) * backwards[1]
        reach = (max(to_wall, 0.0) + POSTERIOR_ELEMENTS * depth) / math.cos(math.radians(half))
        upper_ray = _along(hinge, _rotate(backwards, half), reach)
        lower_ray = _along(hinge, _rotate(backwards, -half), reach)
        return WedgeOutline("removed", (hinge, upper_ray, lower_ray))
    # ACR / cage: the upper endplate turned about the hinge opens the disc anteriorly.
    opened_front = _turned_with_the_cut(top_front, hinge, angle)
    cage = _cage(top_back, top_front, bottom_back, bottom_front, hinge, angle)
    return WedgeOutline("opened", (hinge, top_front, opened_front), cage)


def _cage(
    top_back: Point, top_front: Point, bottom_back: Point, bottom_front: Point, hinge: Point, angle: float
) -> tuple[Point, ...]:
    """The cage between the lower endplate and the opened upper one, over ``CAGE_SPAN``."""
    corners_top, corners_bottom = [], []
    for t in CAGE_SPAN:
        top = (top_back[0] + (top_front[0] - top_back[0]) * t, top_back[1] + (top_front[1] - top_back[1]) * t)
        bottom = (
            bottom_back[0] + (bottom_front[0] - bottom_back[0]) * t,
            bottom_back[1] + (bottom_front[1] - bottom_back[1]) * t,
        )
        corners_top.append(_turned_with_the_cut(top, hinge, angle))
        corners_bottom.append(bottom)
    return (corners_bottom[0], corners_top[0], corners_top[1], corners_bottom[1])


def _restored_height(s: Skeleton, level: str, angle: float) -> WedgeOutline:
    post_sup, ant_sup = s.point(level, "post_sup"), s.point(level, "ant_sup")
    return WedgeOutline("opened", (post_sup, ant_sup, _turned_with_the_cut(ant_sup, post_sup, angle)))


def cut_span(skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point) -> tuple[Point, Point] | None:
    """The ends of a cut's drawn line (anatomical frame), through ``hinge`` along the cut: from
    just in front of the body or disc to the back of the posterior elements (the laminae), as far
    as the bone the cut goes through and no further. Drawn to a fixed length it crossed the soft
    tissue behind a thoracic spine and ended past the skin. ``None`` when the landmarks that give
    the cut's direction are not placed."""
    try:
        front, back, _cranial = PROCEDURE_TYPES[osteotomy.type].cut_rule.axis(skeleton, osteotomy.level)
        backwards = _unit(front, back)
    except NotMeasurable:
        return None
    depth = math.dist(front, back)

    def along(p: Point) -> float:
        return (p[0] - hinge[0]) * backwards[0] + (p[1] - hinge[1]) * backwards[1]

    start = min(along(front) - FRONT_MARGIN * depth, 0.0)
    end = max(along(back) + POSTERIOR_ELEMENTS * depth, 0.0)
    return _along(hinge, backwards, start), _along(hinge, backwards, end)
