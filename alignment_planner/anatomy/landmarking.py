"""The guided landmarking sequence: which point to click next, and how to say it.

Order follows the way surgeons read a lateral film: the hips, the sacrum, then the spine upwards
(clinical.md §1.1). Scopes decide how far up the wizard goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alignment_planner.anatomy.landmarks import Landmarks

Scope = Literal["minimal", "lumbopelvic", "full"]

SCOPES: dict[Scope, str] = {
    "minimal": "Minimal: hips, S1, L1, T1 and C7 (PI, PT, SS, LL, SVA, TPA, GT)",
    "lumbopelvic": "Lumbopelvic: hips, S1 and L5 to L1 (every lumbar and pelvic parameter)",
    "full": "Full spine: hips, S1 and every vertebra from L5 up to C2",
}

_CORNER_WORDS = {
    "post_sup": "posterior-superior corner (back edge of the upper endplate)",
    "ant_sup": "anterior-superior corner (front edge of the upper endplate)",
    "post_inf": "posterior-inferior corner (back edge of the lower endplate)",
    "ant_inf": "anterior-inferior corner (front edge of the lower endplate)",
    "center": "centre of the vertebral body",
}
_CORNERS = ("post_sup", "ant_sup", "ant_inf", "post_inf")  # clockwise round the body


@dataclass(frozen=True, slots=True)
class Step:
    """One point to place: a femoral head (``level="femoral_heads"``, ``point="0"|"1"``) or a
    vertebral point."""

    level: str
    point: str
    title: str
    instruction: str

    @property
    def key(self) -> str:
        return f"{self.level}.{self.point}"


def _head(i: int) -> Step:
    which = "first" if i == 0 else "second"
    return Step(
        "femoral_heads", str(i), f"Femoral head {i + 1}",
        f"Click the centre of the {which} femoral head. If the two heads superimpose, place both on "
        "the same circle's centre; the hip axis is their midpoint.",
    )


def _vertebra(level: str, corners: tuple[str, ...]) -> list[Step]:
    steps = []
    for corner in corners:
        steps.append(Step(
            level, corner, f"{level} {corner.replace('_', '-')}",
            f"Click the {_CORNER_WORDS[corner]} of {level}.",
        ))
    return steps


def steps_for(scope: Scope) -> tuple[Step, ...]:
    steps = [_head(0), _head(1)]
    steps += [
        Step("S1", "post_sup", "S1 posterior-superior",
             "Click the posterior-superior corner of the S1 endplate (top back of the sacrum)."),
        Step("S1", "ant_sup", "S1 anterior-superior",
             "Click the anterior-superior corner of the S1 endplate (the sacral promontory)."),
    ]
    if scope == "minimal":
        steps += _vertebra("L1", ("post_sup", "ant_sup"))
        steps += _vertebra("T1", _CORNERS)
        steps += _vertebra("C7", _CORNERS)
        return tuple(steps)
    top = "L1" if scope == "lumbopelvic" else "C2"
    order = [f"L{i}" for i in range(5, 0, -1)]
    if scope == "full":
        order += [f"T{i}" for i in range(12, 0, -1)] + [f"C{i}" for i in range(7, 1, -1)]
    for level in order:
        steps += _vertebra(level, _CORNERS)
        if level == top:
            break
    return tuple(steps)


def is_placed(landmarks: Landmarks, step: Step) -> bool:
    if step.level == "femoral_heads":
        return len(landmarks.femoral_heads) > int(step.point)
    return landmarks.point(step.level, step.point) is not None


def first_unplaced(landmarks: Landmarks, steps: tuple[Step, ...], start: int = 0) -> int | None:
    for index in range(start, len(steps)):
        if not is_placed(landmarks, steps[index]):
            return index
    return None
