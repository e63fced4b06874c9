"""The guided landmarking sequence: what one step asks for, in which order, and how to say it.

Order follows the way surgeons read a lateral film: the hips, the sacrum, then the spine upwards
(clinical.md §1.1), endplate by endplate (the inferior endplate of a vertebra before its superior
one, as the eye climbs), the posterior corner of each endplate first. *Which* points a scope asks
for is decided by the parameter registry (``alignment_planner.measurements.guide``), not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX

_CORNER_WORDS = {
    "post_sup": "posterior-superior corner (back edge of the upper endplate)",
    "ant_sup": "anterior-superior corner (front edge of the upper endplate)",
    "post_inf": "posterior-inferior corner (back edge of the lower endplate)",
    "ant_inf": "anterior-inferior corner (front edge of the lower endplate)",
    "center": "centre of the vertebral body (where its diagonals cross)",
}
_SHORT = {
    "post_sup": "posterior-superior", "ant_sup": "anterior-superior",
    "post_inf": "posterior-inferior", "ant_inf": "anterior-inferior", "center": "body centre",
}
# Within one vertebra, as the eye climbs: lower endplate (back, front), upper endplate (back,
# front), then the centre, which is judged best once the body's outline has been traced.
POINT_ORDER: tuple[str, ...] = ("post_inf", "ant_inf", "post_sup", "ant_sup", "center")
HEAD_RIM_CLICKS = 3
"""Three points on a femoral head's rim define its circle (clinical.md §1.1: circle fit)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to place: a femoral head (``level="femoral_heads"``, ``point="0"|"1"``) or a
    vertebral point."""

    level: str
    point: str
    title: str
    instruction: str
    clicks: int = 1
    """Clicks the step takes at least (a first femoral head: three on its rim)."""

    @property
    def key(self) -> str:
        return f"{self.level}.{self.point}"

    @property
    def is_head(self) -> bool:
        return self.level == "femoral_heads"


def head_step(index: int) -> Step:
    if index == 0:
        return Step(
            "femoral_heads", "0", "Femoral head 1",
            "Click three points on the rim of the first femoral head (or drag along its rim): "
            "the circle through them gives its centre and radius.",
            HEAD_RIM_CLICKS,
        )
    return Step(
        "femoral_heads", "1", "Femoral head 2",
        "Click the centre of the second femoral head: a circle of the first head's radius is placed "
        "there (drag along its rim instead to fit it). If the heads superimpose, click the same centre.",
        1,
    )


def vertebral_step(level: str, point: str) -> Step:
    if level == "S1" and point == "post_sup":
        text = "Click the posterior-superior corner of the S1 endplate (top back of the sacrum)."
    elif level == "S1" and point == "ant_sup":
        text = "Click the anterior-superior corner of the S1 endplate (the sacral promontory)."
    else:
        text = f"Click the {_CORNER_WORDS[point]} of {level}."
    return Step(level, point, f"{level} {_SHORT[point]}", text)


def landmark_name(key: str) -> str:
    """A landmark key as a person reads it: "L1.ant_sup" → "L1 anterior-superior corner",
    "L1.center" → "L1 body centre", "femoral_heads.0" → "femoral head 1". Files keep the key."""
    level, _, point = key.partition(".")
    if level == "femoral_heads" and point.isdigit():
        return f"femoral head {int(point) + 1}"
    word = _SHORT.get(point)
    if word is None:
        return key
    return f"{level} {word}" + ("" if point == "center" else " corner")


def ordered_steps(heads: int, points: Iterable[tuple[str, str]]) -> tuple[Step, ...]:
    """The steps for ``heads`` femoral heads (0–2) and the vertebral ``points``, in reading order:
    hips, then caudal to cranial, within a vertebra endplate by endplate, posterior corner first."""
    chosen = set(points)
    steps = [head_step(i) for i in range(heads)]
    for level, point in sorted(chosen, key=lambda p: (-LEVEL_INDEX[p[0]], POINT_ORDER.index(p[1]))):
        steps.append(vertebral_step(level, point))
    return tuple(steps)


def click_count(steps: Iterable[Step]) -> int:
    return sum(step.clicks for step in steps)


def is_placed(landmarks: Landmarks, step: Step) -> bool:
    if step.is_head:
        return len(landmarks.femoral_heads) > int(step.point)
    return landmarks.point(step.level, step.point) is not None


def first_unplaced(landmarks: Landmarks, steps: tuple[Step, ...], start: int = 0) -> int | None:
    for index in range(start, len(steps)):
        if not is_placed(landmarks, steps[index]):
            return index
    return None
