"""Where each overlay label goes: next to what it labels, never on another label, never past the
film's edge, with a leader line back to its construction when it had to move.

One layout for the screen, ``render`` and the PDF. Labels are drawn at a fixed size in output
pixels (legible at every zoom), so the layout takes the output scale (display units per output
pixel) and a measure of each text's size in output pixels; it returns boxes in display units.
Qt-free: the painter passes its font metrics in as ``text_size``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.overlay import Label

TextSize = Callable[[str], tuple[float, float]]
"""A label text → (width, height) of its drawn box in output pixels, padding included."""

GAP_PX = 2.0
"""Space kept between two labels, in output pixels."""
RINGS = 40
"""How far a label may move from its anchor, in steps of about one label height."""
LEADER_SLACK_PX = 4.0
"""A label whose box comes this close to its anchor needs no leader line."""


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def center(self) -> Point:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def inside(self, outer: Box) -> bool:
        return (
            self.left >= outer.left
            and self.top >= outer.top
            and self.right <= outer.right
            and self.bottom <= outer.bottom
        )

    def nearest_point(self, p: Point) -> Point:
        return (min(max(p[0], self.left), self.right), min(max(p[1], self.top), self.bottom))


@dataclass(frozen=True, slots=True)
class PlacedLabel:
    label: Label
    box: Box
    """Where the label's box is drawn, in display units."""
    leader: tuple[Point, Point] | None
    """From the box's edge to the anchor, when the label sits away from what it labels."""


# Directions tried around an anchor, nearest first: beside, below/above, then the diagonals.
_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))


def layout_labels(
    labels: Sequence[Label],
    *,
    text_size: TextSize,
    units_per_px: float,
    bounds: Box | None = None,
    keep_clear: Sequence[Point] = (),
    keep_clear_px: float = 5.0,
) -> tuple[PlacedLabel, ...]:
    """Place ``labels`` in order (earlier ones get the better spots).

    A label stays centred on its anchor when that spot is free; otherwise the nearest free spot
    around it is taken, preferring spots that cover none of ``keep_clear`` (landmark handles).
    Each box is kept inside ``bounds`` (the film) whenever it fits there at all.
    """
    clear = _PointGrid(keep_clear, keep_clear_px * units_per_px)
    placed: list[PlacedLabel] = []
    boxes: list[Box] = []
    for label in labels:
        width_px, height_px = text_size(label.text)
        width, height = width_px * units_per_px, height_px * units_per_px
        gap = GAP_PX * units_per_px
        box = _choose(label.anchor, width, height, gap, bounds, boxes, clear)
        boxes.append(box)
        placed.append(PlacedLabel(label, box, _leader(box, label.anchor, LEADER_SLACK_PX * units_per_px)))
    return tuple(placed)


def _choose(
    anchor: Point,
    width: float,
    height: float,
    gap: float,
    bounds: Box | None,
    taken: list[Box],
    clear: _PointGrid,
) -> Box:
    fallback: Box | None = None
    for box in _candidates(anchor, width, height, gap, bounds):
        if any(box.overlaps(_grown(other, gap)) for other in taken):
            continue
        if not clear.any_in(box):
            return box
        if fallback is None:
            fallback = box  # free of labels, but covers a landmark: used only if nothing better
    if fallback is not None:
        return fallback
    # Nowhere free within reach (a crowded zoom): below everything already placed.
    lowest = max((b.bottom for b in taken), default=anchor[1])
    return _fit_inside(
        Box(anchor[0] - width / 2, lowest + gap, anchor[0] + width / 2, lowest + gap + height), bounds
    )


def _candidates(anchor: Point, width: float, height: float, gap: float, bounds: Box | None) -> Iterator[Box]:
    """Boxes around ``anchor``, nearest first (lazily: most labels take the first or second)."""
    x, y = anchor
    step = height + gap
    yield _fit_inside(Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2), bounds)
    for ring in range(RINGS):
        reach_x = width / 2 + gap + ring * step
        reach_y = height / 2 + gap + ring * step
        for dx, dy in _DIRECTIONS:
            cx, cy = x + dx * reach_x, y + dy * reach_y
            yield _fit_inside(Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2), bounds)


def _fit_inside(box: Box, bounds: Box | None) -> Box:
    """Shift ``box`` into ``bounds`` (the film); a box larger than the film keeps its left/top."""
    if bounds is None:
        return box
    dx = max(bounds.left - box.left, min(0.0, bounds.right - box.right))
    dy = max(bounds.top - box.top, min(0.0, bounds.bottom - box.bottom))
    if box.right - box.left > bounds.right - bounds.left:
        dx = bounds.left - box.left
    if box.bottom - box.top > bounds.bottom - bounds.top:
        dy = bounds.top - box.top
    if dx == 0.0 and dy == 0.0:
        return box
    return Box(box.left + dx, box.top + dy, box.right + dx, box.bottom + dy)


def _grown(box: Box, margin: float) -> Box:
    return Box(box.left - margin, box.top - margin, box.right + margin, box.bottom + margin)


def _leader(box: Box, anchor: Point, slack: float) -> tuple[Point, Point] | None:
    edge = box.nearest_point(anchor)
    if math.dist(edge, anchor) <= slack:
        return None
    return (edge, anchor)


class _PointGrid:
    """Points to keep labels off, each grown to a square of ``radius``; vectorised test."""

    def __init__(self, points: Sequence[Point], radius: float) -> None:
        array: npt.NDArray[np.float64] = np.asarray(points, dtype=float).reshape(-1, 2)
        self._x = array[:, 0]
        self._y = array[:, 1]
        self._radius = radius

    def any_in(self, box: Box) -> bool:
        if self._x.size == 0:
            return False
        r = self._radius
        inside = (
            (self._x > box.left - r)
            & (self._x < box.right + r)
            & (self._y > box.top - r)
            & (self._y < box.bottom + r)
        )
        return bool(inside.any())


def overlapping_pairs(placed: Sequence[PlacedLabel]) -> list[tuple[str, str]]:
    """Keys of every two labels whose boxes overlap (tests, and a check on exports)."""
    return [
        (a.label.key, b.label.key)
        for i, a in enumerate(placed)
        for b in placed[i + 1 :]
        if a.box.overlaps(b.box)
    ]
