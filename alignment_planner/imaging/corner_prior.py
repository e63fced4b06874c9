"""Which way the body lies from a corner about to be refined, from the points already placed.

The corner assist (``corner_assist``) looks for a corner of a given *kind* (the body behind it in one
quadrant); how that quadrant is turned depends on the vertebra's tilt. The best guess of that tilt
is the reader's own clicks: the other end of the same endplate, the vertebra's other endplate, or
the nearest placed neighbour (adjacent endplates differ by a segmental angle, rarely over 20°).
Used only to orient the search, never for a measurement.
"""

from __future__ import annotations

import math

from alignment_planner.anatomy.facing import resolve_facing
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.geometry.frame import Facing
from alignment_planner.geometry.primitives import Point
from alignment_planner.imaging.corner_assist import bone_direction

# A typical sacral slope (clinical.md §1.2, SS 41 ± 8°): the S1 endplate is steep, unlike the rest.
_DEFAULT_TILT = {"S1": 40.0}


def facing_sign(landmarks: Landmarks, facing: Facing | None, near: Point) -> float | None:
    """+1 when anterior is image +x, −1 when it is −x, None when nothing says.

    Without a stored or derivable facing, the femoral heads (anterior to the sacrum on a standing
    film: PT is positive in all but a few patients) orient the first sacral clicks.
    """
    derived = resolve_facing(landmarks, facing).facing
    if derived is not None:
        return 1.0 if derived == "right" else -1.0
    if landmarks.femoral_heads:
        hip_x = sum(h.center[0] for h in landmarks.femoral_heads) / len(landmarks.femoral_heads)
        if hip_x != near[0]:
            return 1.0 if hip_x > near[0] else -1.0
    return None


def endplate_tilt(landmarks: Landmarks, level: str, side: str, sign: float) -> float | None:
    """Inclination (clinical.md §0.2: + when the anterior end is lower) of a placed endplate."""
    posterior = landmarks.point(level, f"post_{side}")
    anterior = landmarks.point(level, f"ant_{side}")
    if posterior is None or anterior is None or posterior == anterior:
        return None
    return math.degrees(math.atan2(anterior[1] - posterior[1], sign * (anterior[0] - posterior[0])))


def expected_tilt(
    landmarks: Landmarks, level: str, corner: str, sign: float, clicked: Point | None = None
) -> float:
    """The best guess of the tilt of the endplate ``corner`` belongs to, in degrees: from the
    endplate's other corner to the click, else the vertebra's other endplate, else the nearest
    placed neighbours, else a typical value."""
    side = corner.split("_")[1]
    partner = ("ant_" if corner.startswith("post") else "post_") + side
    if clicked is not None and (other := landmarks.point(level, partner)) is not None:
        posterior, anterior = (clicked, other) if corner.startswith("post") else (other, clicked)
        if math.dist(posterior, anterior) > 0:
            return math.degrees(math.atan2(anterior[1] - posterior[1], sign * (anterior[0] - posterior[0])))
    for which in (side, "inf" if side == "sup" else "sup"):
        tilt = endplate_tilt(landmarks, level, which, sign)
        if tilt is not None:
            return tilt
    index = LEVEL_INDEX[level]
    for distance in range(1, len(LEVELS)):
        found = [
            tilt
            for neighbour in (index - distance, index + distance)
            if 0 <= neighbour < len(LEVELS)
            for tilt in (
                endplate_tilt(landmarks, LEVELS[neighbour], s, sign) for s in ("sup", "inf")
            )
            if tilt is not None
        ]
        if found:
            return sum(found) / len(found)
    return _DEFAULT_TILT.get(level, 0.0)


def expected_direction(
    landmarks: Landmarks, level: str, corner: str, facing: Facing | None, clicked: Point
) -> Point | None:
    """Unit vector from the corner into its body (image pixels), or None when facing is unknown."""
    sign = facing_sign(landmarks, facing, clicked)
    if sign is None:
        return None
    return bone_direction(corner, sign, expected_tilt(landmarks, level, corner, sign, clicked))
