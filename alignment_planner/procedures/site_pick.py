"""Which vertebra or disc a click on the film means (the osteotomy tool's "click the level")."""

from __future__ import annotations

import math
from itertools import pairwise

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVELS
from alignment_planner.geometry.primitives import Point
from alignment_planner.procedures.registry import SiteKind


def level_at(
    landmarks: Landmarks, pixel: Point, site: SiteKind, *, limit_px: float | None = None
) -> str | None:
    """The vertebra (``site="vertebra"``) or disc (``"disc"``) whose centre is nearest to
    ``pixel``; ``None`` when nothing placed is within ``limit_px`` (if given)."""
    candidates = _disc_centres(landmarks) if site == "disc" else _body_centres(landmarks)
    best, best_distance = None, math.inf
    for name, centre in candidates.items():
        distance = math.dist(centre, pixel)
        if distance < best_distance:
            best, best_distance = name, distance
    if limit_px is not None and best_distance > limit_px:
        return None
    return best


def _body_centres(landmarks: Landmarks) -> dict[str, Point]:
    centres = {}
    for level in LEVELS:
        vertebra = landmarks.vertebrae.get(level)
        if vertebra is None:
            continue
        points = [p for p in (vertebra.ant_sup, vertebra.post_sup, vertebra.post_inf, vertebra.ant_inf) if p]
        if vertebra.center is not None:
            centres[level] = vertebra.center
        elif points:
            centres[level] = (
                sum(p[0] for p in points) / len(points),
                sum(p[1] for p in points) / len(points),
            )
    return centres


def _disc_centres(landmarks: Landmarks) -> dict[str, Point]:
    """Midway between the facing endplates of two neighbours (or their centres)."""
    centres = {}
    bodies = _body_centres(landmarks)
    for upper, lower in pairwise(LEVELS):
        above, below = landmarks.vertebrae.get(upper), landmarks.vertebrae.get(lower)
        if above is None or below is None:
            continue
        top = [p for p in (above.ant_inf, above.post_inf) if p] or (
            [bodies[upper]] if upper in bodies else []
        )
        bottom = [p for p in (below.ant_sup, below.post_sup) if p] or (
            [bodies[lower]] if lower in bodies else []
        )
        points = top + bottom
        if top and bottom:
            centres[f"{upper}-{lower}"] = (
                sum(p[0] for p in points) / len(points),
                sum(p[1] for p in points) / len(points),
            )
    return centres


def nearest_site(
    landmarks: Landmarks, pixel: Point, sites: tuple[SiteKind, ...], *, limit_px: float | None = None
) -> str | None:
    """Like ``level_at`` over several kinds of site (a decompression may be at a disc or at a
    vertebra): the nearest vertebra or disc centre of any of ``sites``."""
    candidates: dict[str, Point] = {}
    if "vertebra" in sites:
        candidates.update(_body_centres(landmarks))
    if "disc" in sites:
        candidates.update(_disc_centres(landmarks))
    if not candidates:
        return None
    best = min(candidates, key=lambda name: math.dist(candidates[name], pixel))
    if limit_px is not None and math.dist(candidates[best], pixel) > limit_px:
        return None
    return best
