"""Segmental angles, superior endplate to superior endplate (clinical.md §1.2, §1.3 step 4).

Segment ``U-L`` = ``incl(L superior) − incl(U superior)``: vertebra U plus the disc below it, lordosis
positive (so thoracic segments are usually negative). Because consecutive segments share an
endplate, they telescope: the segments L1-L2 … L5-S1 add up to LL exactly.
"""

from __future__ import annotations

from alignment_planner.anatomy.levels import DISCS, parse_disc
from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.geometry.primitives import wrap180

SEGMENTS: tuple[tuple[str, str, str], ...] = tuple(
    (name, *parse_disc(name)) for name in DISCS  # type: ignore[misc]
)
"""``(name, upper, lower)`` for every motion segment, cranial to caudal."""


def segmental_lordosis(s: Skeleton, upper: str, lower: str) -> float:
    return wrap180(s.endplate_inclination(lower, "sup") - s.endplate_inclination(upper, "sup"))
