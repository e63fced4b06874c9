"""Where each procedure type cuts the film, for the planned-image preview (scene/fragments.py):
the line of the cut and which side of it moves with the part cranial to it (imaging.md B5).

Each procedure type names its rule in the registry (``ProcedureType.cut_rule``); nothing here
knows a type by name. All points are in the anatomical frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS, parse_disc
from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.geometry.primitives import Point, midpoint

CutAxis = tuple[Point, Point, Point]
"""Two points giving the cut's direction (front, back), and a point on its cranial side."""


class AlongDisc:
    """A cut through a disc (SPO, ACR, cage): along the disc, the upper vertebra moving."""

    def axis(self, s: Skeleton, level: str) -> CutAxis:
        upper, lower = parse_disc(level) or (level, level)
        front = midpoint(s.point(upper, "ant_inf"), s.point(lower, "ant_sup"))
        back = midpoint(s.point(upper, "post_inf"), s.point(lower, "post_sup"))
        return front, back, s.centre(upper)


@dataclass(frozen=True, slots=True)
class ThroughBody:
    """A cut through the middle of a vertebral body. ``cranial_side`` says what marks the side
    that moves: the body's own superior endplate (PSO, VCR: the wedge is taken from the body), or
    the centre of the vertebra above (kyphoplasty: the hinge is the posterosuperior corner, so the
    cut lies just below it and the superior endplate itself can sit on either side)."""

    cranial_side: Literal["superior_endplate", "vertebra_above"]

    def axis(self, s: Skeleton, level: str) -> CutAxis:
        front = midpoint(s.point(level, "ant_sup"), s.point(level, "ant_inf"))
        back = midpoint(s.point(level, "post_sup"), s.point(level, "post_inf"))
        cranial = midpoint(s.point(level, "ant_sup"), s.point(level, "post_sup"))
        if self.cranial_side == "vertebra_above":
            return front, back, _above(s, level, cranial)
        return front, back, cranial


def _above(s: Skeleton, level: str, fallback: Point) -> Point:
    index = LEVEL_INDEX[level]
    if index > 0 and s.has_centre(LEVELS[index - 1]):
        return s.centre(LEVELS[index - 1])
    return fallback


CutRule = AlongDisc | ThroughBody
