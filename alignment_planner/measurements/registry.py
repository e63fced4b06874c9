"""What a parameter *is*: the record every consumer (CLI, CSV, GUI, PDF, tests) iterates.

The parameters themselves are declared once, in :mod:`alignment_planner.measurements.definitions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from alignment_planner.anatomy.skeleton import Skeleton

Unit = Literal["deg", "mm", "%"]

UNIT_SYMBOL: dict[str, str] = {"deg": "°", "mm": "mm", "%": "%"}


@dataclass(frozen=True, slots=True)
class Corner:
    """Requirement: one named vertebral point (``L1.ant_sup``)."""

    level: str
    name: str

    def present(self, skeleton: Skeleton) -> bool:
        return skeleton.has_point(self.level, self.name)

    def describe(self) -> str:
        return f"{self.level}.{self.name}"


@dataclass(frozen=True, slots=True)
class BodyCentre:
    """Requirement: a body centre (explicit ``center`` or all four corners; contract.md §2)."""

    level: str

    def present(self, skeleton: Skeleton) -> bool:
        return skeleton.has_centre(self.level)

    def describe(self) -> str:
        return f"{self.level} body centre ({self.level}.center or all four corners)"


@dataclass(frozen=True, slots=True)
class HipAxis:
    """Requirement: at least one femoral head centre (the hip axis, clinical.md §1.1)."""

    def present(self, skeleton: Skeleton) -> bool:
        return bool(skeleton.heads)

    def describe(self) -> str:
        return "femoral_heads"


Requirement = Corner | BodyCentre | HipAxis


def endplate(level: str, side: Literal["sup", "inf"]) -> tuple[Corner, Corner]:
    return (Corner(level, f"post_{side}"), Corner(level, f"ant_{side}"))


@dataclass(frozen=True, slots=True)
class CobbDrawing:
    """Drawn on the film as a Cobb angle: the two endplate lines, extended, with the
    perpendicular construction and the arc where the perpendiculars meet."""

    cranial: tuple[str, Literal["sup", "inf"]]
    caudal: tuple[str, Literal["sup", "inf"]]


@dataclass(frozen=True, slots=True)
class PelvicAngleDrawing:
    """Drawn on the film as a vertebral pelvic angle: the ray from the hip axis to ``level``'s
    body centre and the arc to the S1 midpoint. ``arc_radius`` is a fraction of the hip–S1
    distance, different per parameter so that nested arcs stay apart."""

    level: str
    arc_radius: float


Drawing = CobbDrawing | PelvicAngleDrawing
"""How a parameter is drawn over the radiograph (scene/overlay.py); the pelvic angles and SVA are
drawn by their own constructions there (the pelvis, the plumb line)."""


@dataclass(frozen=True, slots=True)
class Variability:
    """Published inter-observer measurement variability (clinical.md §5.1), which practice mode
    grades a resident's value against: within ``good`` is good, within ``borderline`` borderline,
    beyond it outside. In the parameter's unit."""

    good: float
    borderline: float
    source: str


@dataclass(frozen=True, slots=True)
class Parameter:
    """One alignment parameter, defined once.

    ``compute`` works in the anatomical frame and may raise ``NotMeasurable`` for degenerate
    geometry; missing landmarks and missing calibration are checked from ``requires``/``unit``
    before it runs, so every "not measurable" names everything that is missing.
    """

    key: str
    name: str
    unit: Unit
    requires: tuple[Requirement, ...]
    compute: Callable[[Skeleton], float]
    section: str
    """The clinical.md section that defines it."""
    definition: str
    """The construction in one line, as a surgeon would read it."""
    normal: str | None = None
    """Normative value for asymptomatic adults with its source (clinical.md §2.1), if any."""
    hip_rotation_invariant: bool = False
    """Unchanged by rotating the whole body about the hip axis (clinical.md §1.2, ⚙)."""
    drawing: Drawing | None = None
    """How it is drawn over the radiograph, when it is drawn as a Cobb or a pelvic angle."""
    film_label: str | None = None
    """Its reader name, when not its key (``PI−LL`` for ``PI_LL``): on the film, in every table,
    list and report. Keys stay in files, JSON and CSV (contract.md)."""
    variability: Variability = field(kw_only=True)
    """How much readers disagree on it (clinical.md §5.1): required, so that no parameter is
    graded by another's figures."""

    @property
    def label(self) -> str:
        """The reader name ("PI−LL", "TK T2–T12"): what a person reads wherever a key would be."""
        return self.film_label or self.key

    @property
    def is_length(self) -> bool:
        return self.unit == "mm"

    @property
    def symbol(self) -> str:
        return UNIT_SYMBOL[self.unit]

    def missing(self, skeleton: Skeleton) -> list[str]:
        return [r.describe() for r in self.requires if not r.present(skeleton)]
