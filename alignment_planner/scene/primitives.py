"""The primitives an overlay is made of (lines, polygons, circles, arcs, labels, handles) and the
display geometry they are drawn in. Coordinates are *display* units: image pixels scaled by the
relative pixel spacing, so that an anisotropic image is shown at its physical aspect ratio. Arcs
use Qt's convention: degrees counter-clockwise as seen on screen, from the +x axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import Plan

Style = Literal[
    "body", "endplate", "construction", "cobb", "plumb", "pelvis", "hip", "angle", "osteotomy", "wedge",
    "fusion", "annotation", "procedure",
]
Stage = Literal["preop", "postop"]
LabelSide = Literal["centre", "left", "right"]

DEFAULT_HEAD_RADIUS_MM = 24.0  # an adult femoral head is 45–50 mm across


# The screen diffs successive overlays by value (ui/canvas/overlay_item.py) on every drag event,
# so each primitive hashes its fields once, when it is made.


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    a: Point
    b: Point
    style: Style
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.key, self.a, self.b, self.style)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Polygon:
    key: str
    points: tuple[Point, ...]
    style: Style
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.key, self.points, self.style)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Circle:
    key: str
    center: Point
    radius: float
    style: Style
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.key, self.center, self.radius, self.style)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Arc:
    key: str
    center: Point
    radius: float
    start_deg: float
    span_deg: float
    style: Style
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = (self.key, self.center, self.radius, self.start_deg, self.span_deg, self.style)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    anchor: Point
    text: str
    style: Style
    side: LabelSide = "centre"
    """Where the text lies from its anchor: centred on it, or wholly to its left or right (a
    label at the end of a leader line)."""
    along: tuple[Point, ...] = ()
    """Other points of what it labels, in order of preference after ``anchor`` (points along an
    angle's arc): where the spot at the anchor is taken, the label sits beside another part of
    its own construction rather than rings away from the anchor."""
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = (self.key, self.anchor, self.text, self.style, self.side, self.along)
        object.__setattr__(self, "_hash", hash(fields))

    @property
    def anchors(self) -> tuple[Point, ...]:
        return (self.anchor, *self.along)

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Handle:
    """A placed landmark the user can drag: ``level`` is a level or ``femoral_heads``."""

    key: str
    level: str
    point: str
    position: Point
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.key, self.level, self.point, self.position)))

    def __hash__(self) -> int:
        return self._hash


Primitive = Line | Polygon | Circle | Arc | Label


@dataclass(frozen=True, slots=True)
class DisplayGeometry:
    """Pixels ↔ display units: the larger spacing axis is stretched to its physical length."""

    scale_x: float = 1.0
    scale_y: float = 1.0

    @classmethod
    def for_plan(cls, plan: Plan) -> DisplayGeometry:
        spacing = plan.calibration.spacing
        if spacing is None or spacing.is_isotropic:
            return cls()
        smallest = min(spacing.row, spacing.column)
        return cls(spacing.column / smallest, spacing.row / smallest)

    def to_display(self, p: Point) -> Point:
        return (p[0] * self.scale_x, p[1] * self.scale_y)

    def to_pixel(self, p: Point) -> Point:
        return (p[0] / self.scale_x, p[1] / self.scale_y)


@dataclass(frozen=True)
class Overlay:
    primitives: tuple[Primitive, ...] = ()
    handles: tuple[Handle, ...] = ()
    geometry: DisplayGeometry = field(default_factory=DisplayGeometry)
    stage: Stage = "preop"
    """"postop": a simulated film, which every output marks as PLANNED."""


def screen_angle(origin: Point, tip: Point) -> float:
    """Direction of origin → tip in Qt's arc convention (y down on screen, CCW positive)."""
    return math.degrees(math.atan2(-(tip[1] - origin[1]), tip[0] - origin[0]))
