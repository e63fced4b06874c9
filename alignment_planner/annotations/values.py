"""The value of each free measurement drawn on the film (contract.md §1 and §4.2).

Points are pre-operative pixels; every value is computed in millimetres (``x_mm = x · column``,
``y_mm = y · row``), so with anisotropic spacing an angle is the physical one, not the pixel one.
Uncalibrated: angles are measured in pixel space (the isotropic assumption of contract.md §1) and
every length is null, "not measurable: uncalibrated".

- ``distance``: the length between the two points, mm.
- ``angle``: the unsigned angle at the vertex (the middle point), 0–180°.
- ``cobb``: the acute angle between the two lines, 0–90°, whichever way each line was drawn.
- ``vertical``: the horizontal offset of the second point from the vertical line through the
  first, in mm, signed like SVA (clinical.md §1.2: ``(first − second)·ant``, + when the line is
  anterior to the second point); unsigned when the facing is unknown.
- ``horizontal``: the vertical offset of the second point from the horizontal line through the
  first, in mm, + when the second point is cranial to the line.
- ``text`` and ``arrow``: notes, no value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from alignment_planner.calibration.spacing import Calibration
from alignment_planner.geometry.frame import Facing
from alignment_planner.geometry.primitives import COINCIDENT_TOLERANCE, Point
from alignment_planner.plan.model import Annotation

UNITS: dict[str, str | None] = {
    "distance": "mm", "angle": "deg", "cobb": "deg", "vertical": "mm", "horizontal": "mm",
    "text": None, "arrow": None,
}
TYPE_NAMES: dict[str, str] = {
    "distance": "Distance", "angle": "Angle", "cobb": "Cobb", "vertical": "Vertical",
    "horizontal": "Horizontal", "text": "Text", "arrow": "Arrow",
}
UNCALIBRATED_REASON = "not measurable: uncalibrated"


@dataclass(frozen=True, slots=True)
class AnnotationValue:
    type: str
    label: str | None
    """The label the user gave it, if any."""
    name: str
    """What to call it on screen and paper: the label, else the type and its number ("Cobb 2")."""
    value: float | None
    unit: str | None
    reason: str | None = None
    """Why ``value`` is null (or a caveat on it, such as an unsigned offset), in words."""
    note: str | None = None
    """The text of a text or arrow note."""
    spans: tuple[str, ...] = ()
    """Planned stage only: the cuts between its points, whose motion changed the value."""

    def text(self) -> str:
        """The value as shown beside the drawing: "28.4°", "12.0 mm", "—" (no value)."""
        if self.value is None:
            return "—" if self.unit is not None else ""
        number = f"{self.value:.1f}"
        if number == "-0.0":
            number = "0.0"  # a tiny negative offset is no offset: "−0.0" reads as a real change
        return f"{number}°" if self.unit == "deg" else f"{number} mm"

    @property
    def spans_text(self) -> str | None:
        """ "spans SPO T12-L1" when the planned motion moved its points apart."""
        if not self.spans:
            return None
        return "spans " + ", ".join(label.removeprefix("above ") for label in self.spans)


def annotation_names(annotations: Sequence[Annotation]) -> tuple[str, ...]:
    """The label of each annotation, or its type and number among those of its type."""
    counts: dict[str, int] = {}
    names = []
    for annotation in annotations:
        counts[annotation.type] = counts.get(annotation.type, 0) + 1
        names.append(annotation.label or f"{TYPE_NAMES[annotation.type]} {counts[annotation.type]}")
    return tuple(names)


def measure_annotations(
    annotations: Sequence[Annotation], calibration: Calibration, facing: Facing | None
) -> tuple[AnnotationValue, ...]:
    names = annotation_names(annotations)
    return tuple(
        measure_annotation(a, calibration, facing, name) for a, name in zip(annotations, names, strict=True)
    )


def measure_annotation(
    annotation: Annotation, calibration: Calibration, facing: Facing | None, name: str
) -> AnnotationValue:
    kind = annotation.type
    value, reason = _value(kind, [_mm(p, calibration) for p in annotation.points], calibration, facing)
    if value is not None and not math.isfinite(value):  # points beyond any film (1e308 px …)
        value, reason = None, "not measurable: its points lie too far outside the film"
    return AnnotationValue(kind, annotation.label, name, value, UNITS[kind], reason, annotation.text)


def _mm(p: Point, calibration: Calibration) -> Point:
    spacing = calibration.spacing
    if spacing is None:
        return p  # angles only: pixels taken as square
    return (p[0] * spacing.column, p[1] * spacing.row)


def _value(
    kind: str, p: list[Point], calibration: Calibration, facing: Facing | None
) -> tuple[float | None, str | None]:
    if kind in ("text", "arrow"):
        return None, None
    if kind == "angle":
        return _angle_at(p[1], p[0], p[2])
    if kind == "cobb":
        return _between_lines(p[0], p[1], p[2], p[3])
    if not calibration.calibrated:
        return None, UNCALIBRATED_REASON
    if kind == "distance":
        return math.dist(p[0], p[1]), None
    if len(p) < 2:
        return None, "not measurable: no second point to measure the offset to"
    if kind == "horizontal":
        return p[0][1] - p[1][1], None  # image y points down: + when the second point is higher
    offset = p[0][0] - p[1][0]
    if facing is None:
        return abs(offset), "unsigned: the patient's facing is unknown"
    return (offset if facing == "right" else -offset), None


def _angle_at(vertex: Point, a: Point, b: Point) -> tuple[float | None, str | None]:
    ax, ay = a[0] - vertex[0], a[1] - vertex[1]
    bx, by = b[0] - vertex[0], b[1] - vertex[1]
    if math.hypot(ax, ay) < COINCIDENT_TOLERANCE or math.hypot(bx, by) < COINCIDENT_TOLERANCE:
        return None, "not measurable: an arm ends on the vertex"
    return math.degrees(math.atan2(abs(ax * by - ay * bx), ax * bx + ay * by)), None


def _between_lines(a1: Point, b1: Point, a2: Point, b2: Point) -> tuple[float | None, str | None]:
    ux, uy = b1[0] - a1[0], b1[1] - a1[1]
    vx, vy = b2[0] - a2[0], b2[1] - a2[1]
    if math.hypot(ux, uy) < COINCIDENT_TOLERANCE or math.hypot(vx, vy) < COINCIDENT_TOLERANCE:
        return None, "not measurable: a line's two points coincide"
    # |cross| and |dot|: the acute angle, the same whichever end each line was drawn from.
    return math.degrees(math.atan2(abs(ux * vy - uy * vx), abs(ux * vx + uy * vy))), None
