"""Vertebrae nobody clicked, interpolated for *drawing only* (issue 17 §2).

A Standard landmarking leaves most bodies unmarked. To show where L3 is (and to let a click on it
pick it for an osteotomy, which then asks for its real corners), each wholly unclicked vertebra
between two placed endplates gets a ghost: its endplates interpolated along the spine between the
nearest placed ones. A ghost is never a landmark and never enters a measurement; it is drawn dashed
and labelled as interpolated.
"""

from __future__ import annotations

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.geometry.primitives import Point

BODY_SHARE = 0.78
"""A body's share of one level's height along the spine (the rest is its disc; lumbar ≈ 28 + 8 mm)."""

Ghost = tuple[Point, Point, Point, Point]
"""Corners of an interpolated body in pixels: ant_sup, post_sup, post_inf, ant_inf."""

_Endplate = tuple[float, Point, Point]  # position along the spine, posterior corner, anterior corner


def _known_endplates(landmarks: Landmarks) -> list[_Endplate]:
    known: list[_Endplate] = []
    for level, vertebra in landmarks.vertebrae.items():
        index = LEVEL_INDEX[level]
        if vertebra.post_sup is not None and vertebra.ant_sup is not None:
            known.append((float(index), vertebra.post_sup, vertebra.ant_sup))
        if vertebra.post_inf is not None and vertebra.ant_inf is not None:
            known.append((index + BODY_SHARE, vertebra.post_inf, vertebra.ant_inf))
    return sorted(known, key=lambda e: e[0])


def _between(known: list[_Endplate], position: float) -> tuple[Point, Point] | None:
    below = [e for e in known if e[0] <= position]
    above = [e for e in known if e[0] >= position]
    if not below or not above:
        return None  # beyond the placed ones: nothing to interpolate from
    (s0, p0, a0), (s1, p1, a1) = below[-1], above[0]
    t = 0.0 if s1 == s0 else (position - s0) / (s1 - s0)

    def lerp(u: Point, v: Point) -> Point:
        return (u[0] + t * (v[0] - u[0]), u[1] + t * (v[1] - u[1]))

    return lerp(p0, p1), lerp(a0, a1)


def ghost_vertebrae(landmarks: Landmarks) -> dict[str, Ghost]:
    """Every vertebra without a single placed point that lies between placed endplates."""
    ghosts: dict[str, Ghost] = {}
    unclicked = [  # S1 has no body outline here
        level for level in LEVELS[:-1] if (v := landmarks.vertebra(level)) is None or not v.present()
    ]
    if not unclicked:
        return ghosts  # every body has a point (a full landmarking): nothing to interpolate
    known = _known_endplates(landmarks)
    if len(known) < 2:
        return ghosts
    for level in unclicked:
        index = LEVEL_INDEX[level]
        superior = _between(known, float(index))
        inferior = _between(known, index + BODY_SHARE)
        if superior is None or inferior is None:
            continue
        ghosts[level] = (superior[1], superior[0], inferior[0], inferior[1])
    return ghosts


def with_ghosts(landmarks: Landmarks) -> Landmarks:
    """``landmarks`` with the ghosts' corners filled in: for picking a level by clicking, never for
    measuring."""
    for level, (ant_sup, post_sup, post_inf, ant_inf) in ghost_vertebrae(landmarks).items():
        for name, point in (("ant_sup", ant_sup), ("post_sup", post_sup), ("post_inf", post_inf),
                            ("ant_inf", ant_inf)):
            landmarks = landmarks.with_point(level, name, point)
    return landmarks
