"""Rigid motions of the plane in the anatomical frame (clinical.md §3.3).

``Rigid2D`` is the 2×3 matrix ``[[a, b, tx], [c, d, ty]]`` acting on column vectors. A positive
angle is counter-clockwise in the anatomical frame (x anterior, y up), which for a cut in the spine
is an extension: it adds lordosis (contract.md §2, "angle_deg > 0 adds lordosis").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from alignment_planner.geometry.primitives import Point


@dataclass(frozen=True, slots=True)
class Rigid2D:
    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    tx: float = 0.0
    ty: float = 0.0

    @classmethod
    def rotation_about(cls, hinge: Point, angle_deg: float) -> Rigid2D:
        """``p' = hinge + R(θ)(p − hinge)``, θ counter-clockwise in the anatomical frame."""
        theta = math.radians(angle_deg)
        cos_t = math.cos(theta)
        sin_t = math.sin(theta)
        hx, hy = hinge
        return cls(
            cos_t,
            -sin_t,
            sin_t,
            cos_t,
            hx - cos_t * hx + sin_t * hy,
            hy - sin_t * hx - cos_t * hy,
        )

    def apply(self, point: Point) -> Point:
        x, y = point
        return (self.a * x + self.b * y + self.tx, self.c * x + self.d * y + self.ty)

    def then(self, after: Rigid2D) -> Rigid2D:
        """The motion "first ``self``, then ``after``"."""
        return Rigid2D(
            after.a * self.a + after.b * self.c,
            after.a * self.b + after.b * self.d,
            after.c * self.a + after.d * self.c,
            after.c * self.b + after.d * self.d,
            after.a * self.tx + after.b * self.ty + after.tx,
            after.c * self.tx + after.d * self.ty + after.ty,
        )

    @property
    def angle_deg(self) -> float:
        return math.degrees(math.atan2(self.c, self.a))
