"""What a label should not be printed on: the drawn lines and arcs of *other* constructions.

A label on another angle's arc reads as that angle's value (TPA's label on CPA's arc), and a
distance printed across someone else's line hides it. Each stroke is a line or arc sampled into
points a few output pixels apart and tagged with its owner (the construction's key, which is its
label's key without ``:label``): a label may lie on its own strokes, never cheaply on another's.
Qt-free; used by the label layout (``scene.labels``)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.primitives import Arc, Primitive

SAMPLE_PX = 3.0
"""Output pixels between two samples of a stroke (finer than any label's height)."""


@dataclass(frozen=True, slots=True)
class Stroke:
    owner: str
    points: tuple[Point, ...]
    heavy: bool = False
    """Kept clear like a landmark rather than like a line (the resident's error lines in
    practice: a distance printed on another landmark's error reads as that one's)."""


def owner_of(label_key: str) -> str:
    """The construction a label names: its key without ``:label`` ("CPA:label" → "CPA")."""
    return label_key.removesuffix(":label")


def line_stroke(owner: str, a: Point, b: Point, spacing: float, *, heavy: bool = False) -> Stroke:
    """A straight line sampled every ``spacing`` display units, both ends included."""
    steps = max(1, math.ceil(math.dist(a, b) / spacing))
    dx, dy = (b[0] - a[0]) / steps, (b[1] - a[1]) / steps
    return Stroke(owner, tuple((a[0] + dx * i, a[1] + dy * i) for i in range(steps + 1)), heavy)


# Memoised: a drag changes one or two arcs, and every other arc comes back as the same samples
# (a label that has to be placed afresh on each drag event asks for the strokes every time).
@functools.lru_cache(maxsize=1024)
def arc_stroke(arc: Arc, spacing: float) -> Stroke:
    """An arc (Qt's convention: degrees counter-clockwise on screen) sampled every ``spacing``."""
    length = abs(math.radians(arc.span_deg)) * arc.radius
    steps = max(1, math.ceil(length / spacing))
    points = []
    for i in range(steps + 1):
        angle = math.radians(arc.start_deg + arc.span_deg * i / steps)
        x, y = arc.center[0] + math.cos(angle) * arc.radius, arc.center[1] - math.sin(angle) * arc.radius
        points.append((x, y))
    return Stroke(arc.key, tuple(points))


Strokes = Sequence[Stroke] | Callable[[], Sequence[Stroke]]
"""The strokes, or what makes them when first asked: while a point is dragged every label keeps
its spot and no stroke needs sampling."""


_Cells = dict[tuple[int, int], list[tuple[float, float, str, bool]]]
# The last grid built, with its strokes: while a landmark is dragged the arcs mostly stay the same
# (equal by value, most of them the very same memoised samples), and a label placed afresh on
# every drag event would bucket them all again.
_LAST_BUILT: list[tuple[tuple[Stroke, ...], float, _Cells]] = []


class StrokeGrid:
    """Stroke samples bucketed in cells, so a box is checked against its neighbours only; built
    on the first question."""

    def __init__(self, strokes: Strokes, cell: float) -> None:
        self._cell = max(cell, 1e-9)
        self._strokes = strokes
        self._cells: _Cells | None = None

    def _built(self) -> _Cells:
        if self._cells is None:
            strokes = tuple(self._strokes() if callable(self._strokes) else self._strokes)
            last = _LAST_BUILT[0] if _LAST_BUILT else None
            if last is not None and last[1] == self._cell and last[0] == strokes:
                self._cells = last[2]  # the same strokes as the last grid (only read from here on)
            else:
                self._cells = {}
                for stroke in strokes:
                    for x, y in stroke.points:
                        key = (int(x // self._cell), int(y // self._cell))
                        self._cells.setdefault(key, []).append((x, y, stroke.owner, stroke.heavy))
                _LAST_BUILT[:] = [(strokes, self._cell, self._cells)]
        return self._cells

    def crossed(self, rect: tuple[float, float, float, float], own: str) -> tuple[bool, bool]:
        """Whether strokes not ``own`` pass through ``rect`` (left, top, right, bottom): any
        light one, any heavy one."""
        cells = self._built()
        if not cells:
            return False, False
        left, top, right, bottom = rect
        cell = self._cell
        light = heavy = False
        for cx in range(int(left // cell), int(right // cell) + 1):
            for cy in range(int(top // cell), int(bottom // cell) + 1):
                for x, y, owner, weight in cells.get((cx, cy), ()):
                    if owner != own and left < x < right and top < y < bottom:
                        heavy |= weight
                        light |= not weight
                        if light and heavy:
                            return True, True
        return light, heavy

    def crosses(self, rect: tuple[float, float, float, float], own: str) -> bool:
        """Whether any stroke not ``own`` passes through ``rect``."""
        return any(self.crossed(rect, own))


def arc_strokes(primitives: Sequence[Primitive], units_per_px: float) -> tuple[Stroke, ...]:
    """Every arc of an overlay: the angles' arcs, which a label other than the arc's own keeps
    off (PT, TPA and CPA share the hip axis; a value printed on another's arc reads as that
    angle's). Sampled every ``SAMPLE_PX`` output pixels."""
    spacing = SAMPLE_PX * units_per_px
    return tuple(arc_stroke(p, spacing) for p in primitives if isinstance(p, Arc))
