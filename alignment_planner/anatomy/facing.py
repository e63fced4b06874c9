"""Which way the patient faces (contract.md §2 ``facing``, clinical.md §0.1).

Stored in the plan when known; otherwise derived from the labelled S1 corners (anterior = from
``post_sup`` to ``ant_sup``), never guessed from the image. When S1 is not labelled, the labelled
anterior/posterior corners of the other vertebrae decide by majority, and we say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.geometry.frame import Facing

_PAIRS = (("post_sup", "ant_sup"), ("post_inf", "ant_inf"))


@dataclass(frozen=True, slots=True)
class FacingResult:
    facing: Facing | None
    source: str
    """"plan", "S1 corners", "vertebral corners" or "unknown"."""
    warnings: tuple[str, ...]


def resolve_facing(landmarks: Landmarks, stored: Facing | None) -> FacingResult:
    warnings: list[str] = []
    if stored is not None:
        facing: Facing | None = stored
        source = "plan"
    else:
        facing = _from_s1(landmarks)
        source = "S1 corners"
        if facing is None:
            facing, votes = _by_majority(landmarks)
            source = "vertebral corners" if facing else "unknown"
            if facing is not None:
                warnings.append(
                    f"facing not stored and S1 corners not placed: taken as '{facing}' from the "
                    f"anterior/posterior corners of {votes} vertebral endplates"
                )
    if facing is None:
        return FacingResult(None, "unknown", (
            "facing unknown: set \"facing\" in the plan or place S1.post_sup and S1.ant_sup",
        ))
    disagreeing = _disagreeing_levels(landmarks, facing)
    if disagreeing:
        warnings.append(
            f"anterior corners lie behind the posterior corners for facing '{facing}' at "
            f"{', '.join(disagreeing)}: check the corner labels (or the plan's facing)"
        )
    return FacingResult(facing, source, tuple(warnings))


def _direction(landmarks: Landmarks, level: str, posterior: str, anterior: str) -> Facing | None:
    p = landmarks.point(level, posterior)
    a = landmarks.point(level, anterior)
    if p is None or a is None or a[0] == p[0]:
        return None
    return "right" if a[0] > p[0] else "left"


def _from_s1(landmarks: Landmarks) -> Facing | None:
    return _direction(landmarks, "S1", "post_sup", "ant_sup")


def _by_majority(landmarks: Landmarks) -> tuple[Facing | None, int]:
    right = left = 0
    for level in landmarks.vertebrae:
        for posterior, anterior in _PAIRS:
            found = _direction(landmarks, level, posterior, anterior)
            if found == "right":
                right += 1
            elif found == "left":
                left += 1
    if right == left:
        return None, 0
    return ("right", right + left) if right > left else ("left", right + left)


def _disagreeing_levels(landmarks: Landmarks, facing: Facing) -> list[str]:
    sign = 1.0 if facing == "right" else -1.0
    levels = []
    for level, v in landmarks.vertebrae.items():
        # Runs on every drag: attributes directly, no helper calls.
        for posterior, anterior in ((v.post_sup, v.ant_sup), (v.post_inf, v.ant_inf)):
            if posterior is not None and anterior is not None and (anterior[0] - posterior[0]) * sign < 0:
                levels.append(level)
                break
    return levels
