"""Landmarks converted once into the anatomical frame (x anterior, y cranial, mm).

A ``Skeleton`` is what measurement and simulation work on. Its accessors raise ``NotMeasurable``
with a reason a surgeon can act on ("missing L1.ant_sup") instead of returning placeholders.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import (
    COINCIDENT_TOLERANCE,
    DegenerateGeometry,
    Point,
    incl,
)
from alignment_planner.geometry.transforms import Rigid2D

_DEG = 180.0 / math.pi
_ENDPLATES = (("sup", "post_sup", "ant_sup"), ("inf", "post_inf", "ant_inf"))


class NotMeasurable(Exception):
    """A parameter cannot be computed; ``reason`` says why in the user's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Skeleton:
    """Vertebral points and femoral heads in the anatomical frame.

    ``points[level][name]`` holds the corners (``ant_sup`` …) and the explicit ``center`` if placed.
    """

    __slots__ = ("_inclinations", "_memo", "heads", "points")

    def __init__(self, points: dict[str, dict[str, Point]], heads: tuple[Point, ...]) -> None:
        self.points = points
        self.heads = heads
        # Each endplate is used by several parameters and segments; a skeleton is never mutated
        # after construction (motion makes a new one), so its inclinations can be memoised.
        self._inclinations: dict[tuple[str, str], float] = {}
        self._memo: dict[Callable[[Skeleton], float], float] = {}

    def memoised(self, compute: Callable[[Skeleton], float]) -> float:
        """``compute(self)``, computed once per skeleton (skeletons are never mutated): PT, for one,
        enters six other parameters. ``NotMeasurable`` is not cached; it is raised again."""
        memo = self._memo
        value = memo.get(compute)
        if value is None:
            value = memo[compute] = compute(self)
        return value

    @classmethod
    def from_landmarks(cls, landmarks: Landmarks, frame: AnatomicalFrame) -> Skeleton:
        sign = frame.anterior_sign
        sx = frame.column_spacing * sign
        sy = -frame.row_spacing
        points: dict[str, dict[str, Point]] = {}
        for level, v in landmarks.vertebrae.items():
            converted: dict[str, Point] = {}
            # Attribute by attribute rather than a getattr loop: this runs on every drag.
            if (p := v.ant_sup) is not None:
                converted["ant_sup"] = (p[0] * sx, p[1] * sy)
            if (p := v.post_sup) is not None:
                converted["post_sup"] = (p[0] * sx, p[1] * sy)
            if (p := v.post_inf) is not None:
                converted["post_inf"] = (p[0] * sx, p[1] * sy)
            if (p := v.ant_inf) is not None:
                converted["ant_inf"] = (p[0] * sx, p[1] * sy)
            if (p := v.center) is not None:
                converted["center"] = (p[0] * sx, p[1] * sy)
            if converted:
                points[level] = converted
        heads = tuple((h.center[0] * sx, h.center[1] * sy) for h in landmarks.femoral_heads)
        return cls(points, heads)

    # --- presence (cheap, used to explain what is missing) ---------------------------------------

    def has_point(self, level: str, name: str) -> bool:
        found = self.points.get(level)
        return found is not None and name in found

    def has_centre(self, level: str) -> bool:
        found = self.points.get(level)
        if found is None:
            return False
        return "center" in found or all(
            c in found for c in ("ant_sup", "post_sup", "post_inf", "ant_inf")
        )

    # --- accessors ---------------------------------------------------------------------------------

    def point(self, level: str, name: str) -> Point:
        try:
            return self.points[level][name]
        except KeyError:
            raise NotMeasurable(f"missing {level}.{name}") from None

    def centre(self, level: str) -> Point:
        """Body centre: the explicit ``center`` if placed, else the mean of all four corners."""
        found = self.points.get(level)
        if found is not None:
            explicit = found.get("center")
            if explicit is not None:
                return explicit
            try:
                a, b, c, d = found["ant_sup"], found["post_sup"], found["post_inf"], found["ant_inf"]
            except KeyError:
                pass
            else:
                return ((a[0] + b[0] + c[0] + d[0]) * 0.25, (a[1] + b[1] + c[1] + d[1]) * 0.25)
        raise NotMeasurable(f"missing {level} body centre ({level}.center or all four corners)")

    def hip_axis(self) -> Point:
        """H: the midpoint of the two femoral head centres, or the single head (clinical.md §1.1)."""
        heads = self.heads
        if len(heads) == 2:
            a, b = heads
            return ((a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5)  # midpoint(), inlined: hot
        if len(heads) == 1:
            return heads[0]
        raise NotMeasurable("missing femoral_heads")

    def endplate_inclination(self, level: str, side: str) -> float:
        """``incl`` of the superior (``side="sup"``) or inferior endplate of ``level``."""
        cached = self._inclinations.get((level, side))
        if cached is not None:
            return cached
        posterior = self.point(level, "post_" + side)
        anterior = self.point(level, "ant_" + side)
        try:
            value = incl(posterior, anterior)
        except DegenerateGeometry:
            which = "superior" if side == "sup" else "inferior"
            raise NotMeasurable(
                f"degenerate geometry: {level}.post_{side} and {level}.ant_{side} coincide "
                f"(the {which} endplate has no direction)"
            ) from None
        self._inclinations[(level, side)] = value
        return value

    def superior_inclinations(self) -> dict[str, float]:
        """``incl`` of every measurable superior endplate, by level, computed in one pass.

        Also fills the memo for both endplates, so the parameters that follow only look up.
        Degenerate endplates are left out; ``endplate_inclination`` explains them when asked.
        """
        memo = self._inclinations
        superior: dict[str, float] = {}
        atan2 = math.atan2
        for level, named in self.points.items():
            for side, post_key, ant_key in _ENDPLATES:
                posterior = named.get(post_key)
                anterior = named.get(ant_key)
                if posterior is None or anterior is None:
                    continue
                dx = anterior[0] - posterior[0]
                dy = anterior[1] - posterior[1]
                if abs(dx) < COINCIDENT_TOLERANCE and abs(dy) < COINCIDENT_TOLERANCE:
                    continue
                value = atan2(-dy, dx) * _DEG  # incl(), clinical.md §0.2
                memo[(level, side)] = value
                if side == "sup":
                    superior[level] = value
        return superior

    # --- motion ------------------------------------------------------------------------------------

    def moved(
        self,
        motion: Rigid2D,
        levels: frozenset[str] | set[str],
        *,
        points_of: tuple[str, tuple[str, ...]] | None = None,
        heads: bool = False,
    ) -> Skeleton:
        """A copy in which every point of ``levels`` (and, with ``points_of=(level, names)``, those
        named points of one more level) undergoes ``motion``; femoral heads too when ``heads``."""
        apply = motion.apply
        a, b, c, d, tx, ty = motion.a, motion.b, motion.c, motion.d, motion.tx, motion.ty
        points: dict[str, dict[str, Point]] = {}
        for level, named in self.points.items():
            if level in levels:
                # motion.apply inlined: this loop moves ~100 points per osteotomy, per drag.
                points[level] = {
                    name: (a * x + b * y + tx, c * x + d * y + ty) for name, (x, y) in named.items()
                }
            elif points_of is not None and level == points_of[0]:
                chosen = points_of[1]
                points[level] = {
                    name: (apply(p) if name in chosen else p) for name, p in named.items()
                }
            else:
                points[level] = named  # unchanged points are shared, never mutated
        new_heads = tuple(apply(h) for h in self.heads) if heads else self.heads
        return Skeleton(points, new_heads)

    def moved_all(self, motion: Rigid2D) -> Skeleton:
        return self.moved(motion, frozenset(self.points), heads=True)
