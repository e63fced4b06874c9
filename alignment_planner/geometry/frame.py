"""Pixels ↔ anatomical millimetres (contract.md §1, clinical.md §0.1).

``x_mm = x_px · column_spacing`` and ``y_mm = y_px · row_spacing``, then the anatomical frame turns
x towards the patient's front and y upwards. The origin is the image's top-left corner; nothing
measured depends on it (translation invariance is property-tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alignment_planner.geometry.primitives import Point

Facing = Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class AnatomicalFrame:
    """Maps image pixels to the anatomical frame and back.

    ``row_spacing``/``column_spacing`` are mm per pixel; an uncalibrated image uses 1.0 for both, so
    its "millimetres" are pixels (angles stay right, lengths are reported as not measurable).
    """

    row_spacing: float
    column_spacing: float
    facing: Facing

    @property
    def anterior_sign(self) -> float:
        return 1.0 if self.facing == "right" else -1.0

    def to_anatomical(self, pixel: Point) -> Point:
        sign = 1.0 if self.facing == "right" else -1.0
        return (pixel[0] * self.column_spacing * sign, -pixel[1] * self.row_spacing)

    def to_pixel(self, point: Point) -> Point:
        sign = 1.0 if self.facing == "right" else -1.0
        return (point[0] * sign / self.column_spacing, -point[1] / self.row_spacing)
