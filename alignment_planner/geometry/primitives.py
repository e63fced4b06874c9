"""The two primitive angles of clinical.md §0.2, in the anatomical frame.

Points are plain ``(x, y)`` float tuples in the *anatomical* frame of clinical.md §0.1:
x points anteriorly (towards the patient's face) and y cranially, in millimetres. Image pixels, whose
y axis points down and whose anterior side depends on which way the patient faces, never reach this
module: :mod:`alignment_planner.geometry.frame` converts them once.

Plain tuples and :mod:`math` rather than numpy: a full measurement is ~100 of these calls and numpy's
per-call overhead would dominate (bench/bench_measure.py).
"""

from __future__ import annotations

import math

Point = tuple[float, float]

_DEG = 180.0 / math.pi

# Below this length (mm, or px when uncalibrated) two landmarks are treated as the same point.
COINCIDENT_TOLERANCE = 1e-6


class DegenerateGeometry(ValueError):
    """Two points that must differ coincide, so a direction (and the angle) is undefined."""


def tilt(origin: Point, tip: Point) -> float:
    """Signed angle (deg) of the vector ``origin → tip`` from vertical-up; + leans anteriorly.

    clinical.md §0.2: ``tilt(v) = atan2(v·ant, v·up)``.
    """
    dx = tip[0] - origin[0]
    dy = tip[1] - origin[1]
    if abs(dx) < COINCIDENT_TOLERANCE and abs(dy) < COINCIDENT_TOLERANCE:
        raise DegenerateGeometry("points coincide")
    return math.atan2(dx, dy) * _DEG


def incl(posterior: Point, anterior: Point) -> float:
    """Inclination (deg) of an endplate from its posterior to its anterior corner.

    clinical.md §0.2: ``incl(Pc, Ac) = atan2(−(Ac−Pc)·up, (Ac−Pc)·ant)``; + when the anterior corner
    is lower than the posterior one (the endplate faces forward-up, like a normal sacrum).
    """
    dx = anterior[0] - posterior[0]
    dy = anterior[1] - posterior[1]
    if abs(dx) < COINCIDENT_TOLERANCE and abs(dy) < COINCIDENT_TOLERANCE:
        raise DegenerateGeometry("corners coincide")
    return math.atan2(-dy, dx) * _DEG


def wrap180(angle: float) -> float:
    """The same angle in (−180°, 180°]."""
    wrapped = math.fmod(angle + 180.0, 360.0)
    if wrapped <= 0.0:
        wrapped += 360.0
    return wrapped - 180.0


def midpoint(a: Point, b: Point) -> Point:
    return ((a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5)


def distance(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])
