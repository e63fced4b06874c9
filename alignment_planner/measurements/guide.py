"""Which points the landmarking wizard asks for, derived from what the parameters require.

Each parameter in the registry declares its landmarks (``Parameter.requires``). A scope is a set of
parameters (or, for segmental work, whole vertebrae); its steps are exactly the points those
parameters need, placed in reading order by :mod:`alignment_planner.anatomy.landmarking`. A body
centre is asked for as one ``center`` click, unless the scope already asks for three of that
body's corners: then the fourth corner completes it (the mean of four corners is reproducible,
an eyeballed centre less so), at the same one click.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from alignment_planner.anatomy.landmarking import Step, is_placed, ordered_steps
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import CORNERS, LEVELS
from alignment_planner.measurements.definitions import PARAMETERS_BY_KEY
from alignment_planner.measurements.registry import BodyCentre, Corner, HipAxis, Requirement

Scope = Literal["standard", "minimal", "lumbopelvic", "full", "custom"]

CONTRACT_KEYS: tuple[str, ...] = (
    "PI", "PT", "SS", "LL", "L4S1", "LDI", "TK", "TLJ", "CL", "T1S", "TS_CL", "SVA", "cSVA",
    "TPA", "CPA", "L1PA", "T4PA", "GT", "PI_LL",
)
"""The ``measure --json`` keys of contract.md §3, in its table's order."""

MINIMAL_KEYS: tuple[str, ...] = ("PI", "PT", "SS", "LL", "SVA", "TPA", "GT")

SCOPES: dict[Scope, str] = {
    "standard": "Standard: every parameter of the plan file's table (heads, S1 and the endplates "
                "and centres the definitions use)",
    "minimal": "Minimal: PI, PT, SS, LL, SVA, TPA and GT only",
    "lumbopelvic": "Lumbopelvic: hips, S1 and every corner of L5 to L1 (segmental lumbar angles)",
    "full": "Full spine: hips, S1 and every corner from L5 up to C2 (segmental work)",
    "custom": "Chosen parameters: exactly the points the parameters you tick need",
}

_LUMBAR = tuple(f"L{i}" for i in range(1, 6))
_SPINE = tuple(level for level in LEVELS if level != "S1")


def requirements_of(keys: Iterable[str]) -> tuple[Requirement, ...]:
    """Every requirement of the parameters ``keys`` (unknown keys raise ``KeyError``)."""
    found: list[Requirement] = []
    for key in keys:
        for requirement in PARAMETERS_BY_KEY[key].requires:
            if requirement not in found:
                found.append(requirement)
    return tuple(found)


def steps_for_requirements(
    requirements: Iterable[Requirement], landmarks: Landmarks | None = None
) -> tuple[Step, ...]:
    """The steps that satisfy ``requirements``; with ``landmarks``, only what they still lack
    (an explicit centre or four placed corners both satisfy a body centre)."""
    requirements = tuple(requirements)
    heads = 2 if any(isinstance(r, HipAxis) for r in requirements) else 0
    points = {(r.level, r.name) for r in requirements if isinstance(r, Corner)}
    for centre in (r for r in requirements if isinstance(r, BodyCentre)):
        level = centre.level
        if landmarks is not None and _has_centre(landmarks, level):
            continue
        asked = {c for c in CORNERS if (level, c) in points}
        placed = {c for c in CORNERS if landmarks is not None and landmarks.point(level, c) is not None}
        missing = [c for c in CORNERS if c not in asked | placed]
        if len(missing) <= 1:
            points.update((level, c) for c in missing)
        else:
            points.add((level, "center"))
    steps = ordered_steps(heads, points)
    if landmarks is None:
        return steps
    return tuple(step for step in steps if not is_placed(landmarks, step))


def steps_for(scope: Scope, keys: Iterable[str] = ()) -> tuple[Step, ...]:
    """The wizard's steps for a scope; ``keys`` are the parameters of the ``custom`` scope."""
    if scope == "standard":
        return steps_for_requirements(requirements_of(CONTRACT_KEYS))
    if scope == "minimal":
        return steps_for_requirements(requirements_of(MINIMAL_KEYS))
    if scope == "custom":
        return steps_for_requirements(requirements_of(keys))
    levels = _LUMBAR if scope == "lumbopelvic" else _SPINE
    points = [("S1", "post_sup"), ("S1", "ant_sup")]
    points += [(level, corner) for level in levels for corner in CORNERS]
    return ordered_steps(2, points)


def levels_of(steps: Iterable[Step]) -> tuple[str, ...]:
    """The levels a list of steps visits, in the order it visits them (heads first)."""
    seen: list[str] = []
    for step in steps:
        if step.level not in seen:
            seen.append(step.level)
    return tuple(seen)


def _has_centre(landmarks: Landmarks, level: str) -> bool:
    vertebra = landmarks.vertebra(level)
    if vertebra is None:
        return False
    return vertebra.center is not None or all(vertebra.point(c) is not None for c in CORNERS)


REQUIRED_KEYS: tuple[str, ...] = MINIMAL_KEYS
"""What planning needs measured (the Minimal scope): a plan whose landmarks give these is complete;
the other points the Standard scope asks for (say an L1 body centre for L1PA) are optional."""


def missing_required(landmarks: Landmarks) -> tuple[Step, ...]:
    """The points planning still needs on ``landmarks`` (none: the plan is complete)."""
    return steps_for_requirements(requirements_of(REQUIRED_KEYS), landmarks)
