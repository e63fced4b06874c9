"""Where each overlay label goes: next to what it labels, never on another label, never past the
film's edge, with a leader line back to its construction when it had to move.

One layout for the screen, ``render`` and the PDF. Labels are drawn at a fixed size in output
pixels (legible at every zoom), so the layout takes the output scale (display units per output
pixel) and a measure of each text's size in output pixels; it returns boxes in display units.
Qt-free: the painter passes its font metrics in as ``text_size``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.label_strokes import StrokeGrid, Strokes, owner_of
from alignment_planner.scene.primitives import Label

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
    previous: Mapping[str, Point] | None = None,
    reserved: Sequence[Box] = (),
    keep_off: Strokes = (),
) -> tuple[PlacedLabel, ...]:
    """Place ``labels`` in order (earlier ones get the better spots).

    ``previous`` (label key → box centre minus anchor, in output pixels, from the last layout at
    this zoom) is tried first: while a point is dragged the labels hold still instead of hopping
    from one free spot to another, and the search is skipped for each one that still fits.

    A label stays centred on its anchor when that spot is free; otherwise the nearest free spot
    around it (or around another of its anchors: anywhere along its arc) is taken, preferring
    spots that cover none of ``keep_clear`` (landmark handles) within a few label heights and
    none of ``keep_off`` (the lines and arcs of other constructions: a label on another angle's
    arc reads as that angle's) within a ring or two. Each box is kept inside ``bounds`` (the
    film) whenever it fits. Runs on every drag event (the values in the labels change): boxes
    are plain tuples here.
    """
    gap = GAP_PX * units_per_px
    clear = _PointGrid(keep_clear, keep_clear_px * units_per_px)
    strokes = StrokeGrid(keep_off, 16.0 * units_per_px)
    edges = None if bounds is None else (bounds.left, bounds.top, bounds.right, bounds.bottom)
    taken: list[_Rect] = [(b.left, b.top, b.right, b.bottom) for b in reserved]  # the PLANNED mark
    placed: list[PlacedLabel] = []
    for label in labels:
        width_px, height_px = text_size(label.text)
        width, height = width_px * units_per_px, height_px * units_per_px
        rect = None
        own = owner_of(label.key)
        offset = previous.get(label.key) if previous else None
        if offset is not None:
            cx, cy = label.anchor[0] + offset[0] * units_per_px, label.anchor[1] + offset[1] * units_per_px
            hint = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            # Strokes are not asked about here: a label the layout put on another's line (none
            # nearer was clear) would otherwise be placed afresh on every drag event.
            if _fit_inside(hint, edges) == hint and not _hits(hint, taken, gap) and not clear.any_in(hint):
                rect = hint
        if rect is None:
            room = _Room(gap, edges, taken, clear, strokes, own)
            rect = _choose(label.anchors, width, height, room, label.side)
        taken.append(rect)
        box = Box(*rect)
        placed.append(PlacedLabel(label, box, _leader(box, label.anchors, LEADER_SLACK_PX * units_per_px)))
    return tuple(placed)


def angles_first(labels: Sequence[Label]) -> list[Label]:
    """The angles' labels before the rest (order kept within each): an angle's value must sit at
    its own arc, among others at the same vertex (PT, TPA, CPA at the hip axis), while the SVA,
    fusion and procedure labels name long lines and brackets and can sit anywhere along them."""
    return [label for label in labels if label.style == "angle"] + [
        label for label in labels if label.style != "angle"
    ]


_Rect = tuple[float, float, float, float]  # left, top, right, bottom

CLEAR_RINGS = 4
"""How far a label may move to keep off a landmark handle (beyond that it may cover one)."""
STROKE_RINGS = 2
"""What lying on another construction's line or arc costs, in rings: a spot that does is taken
only when none within two rings more is clear of them."""


@dataclass(frozen=True, slots=True)
class _Room:
    """What a label is placed among: the gap kept, the film's edges, the boxes already taken,
    the handles to keep clear and the strokes to keep off (all but the label's own, ``own``)."""

    gap: float
    edges: _Rect | None
    taken: list[_Rect]
    clear: _PointGrid
    strokes: StrokeGrid
    own: str


def _cost(ring: int, rect: _Rect, room: _Room) -> float:
    """How far a spot is from the best one, in rings: its ring, plus ``STROKE_RINGS`` on another
    construction's stroke; a spot over a handle (or a heavy stroke) is worth no more than one
    just past ``CLEAR_RINGS`` (any clear spot nearer wins, none farther does)."""
    light, heavy = room.strokes.crossed(rect, room.own)
    cost = float(ring) + (STROKE_RINGS if light else 0.0)
    return max(cost, CLEAR_RINGS - 0.5) if heavy or room.clear.any_in(rect) else cost


def _choose(
    anchors: Sequence[Point], width: float, height: float, room: _Room, side: str = "centre"
) -> _Rect:
    """The cheapest spot free of labels (``_cost``), earliest first among equals; the search ends
    as soon as no later ring can be cheaper."""
    anchor = anchors[0]
    best: tuple[float, _Rect] | None = None
    for ring, rect in _candidates(anchors, width, height, room.gap, room.edges, side):
        if best is not None and ring >= best[0]:
            return best[1]
        if _hits(rect, room.taken, room.gap):
            continue
        cost = _cost(ring, rect, room)
        if best is None or cost < best[0]:
            best = (cost, rect)
    if best is not None:
        return best[1]
    free = _free_spot(anchor, width, height, room.gap, room.edges, room.taken)
    if free is not None:
        return free
    # Nowhere free within reach (a crowded zoom): below everything already placed.
    lowest = max((t[3] for t in room.taken), default=anchor[1])
    below = (anchor[0] - width / 2, lowest + room.gap, anchor[0] + width / 2, lowest + room.gap + height)
    return _fit_inside(below, room.edges)


def _free_spot(
    anchor: Point, width: float, height: float, gap: float, edges: _Rect | None, taken: list[_Rect]
) -> _Rect | None:
    """The free box on the film nearest to ``anchor``: the last resort when the rings around
    the anchor are full (a small film at a low zoom). A free box, if there is one, can be slid
    until it touches a placed box or the film's edge, so those positions are the ones tried."""
    if edges is None:
        return None
    e_left, e_top, e_right, e_bottom = edges
    if width > e_right - e_left or height > e_bottom - e_top:
        return None
    nudge = 1e-6 * max(1.0, e_right - e_left, e_bottom - e_top)
    xs = {e_left, e_right - width, min(max(anchor[0] - width / 2, e_left), e_right - width)}
    ys = {e_top, e_bottom - height, min(max(anchor[1] - height / 2, e_top), e_bottom - height)}
    for left, top, right, bottom in taken:
        xs.update((right + gap + nudge, left - gap - width - nudge))
        ys.update((bottom + gap + nudge, top - gap - height - nudge))
    best: tuple[float, _Rect] | None = None
    for x in xs:
        if x < e_left or x + width > e_right:
            continue
        for y in ys:
            if y < e_top or y + height > e_bottom:
                continue
            rect = (x, y, x + width, y + height)
            if not _hits(rect, taken, gap):
                distance = math.dist((x + width / 2, y + height / 2), anchor)
                if best is None or distance < best[0]:
                    best = (distance, rect)
    return None if best is None else best[1]


def _hits(rect: _Rect, taken: list[_Rect], gap: float) -> bool:
    # A plain loop, not any() over a generator: called for every label and candidate spot on
    # every drag event, where the generator's overhead was a tenth of the layout.
    left, top, right, bottom = rect
    for l, t, r, b in taken:  # noqa: E741 - left, top, right, bottom
        if left < r + gap and l - gap < right and top < b + gap and t - gap < bottom:
            return True
    return False


def _candidates(
    anchors: Sequence[Point], width: float, height: float, gap: float, edges: _Rect | None, side: str
) -> Iterator[tuple[int, _Rect]]:
    """Boxes around the anchors with their ring, nearest first (lazily: most labels take the
    first or second): each ring around every anchor before the next ring, so a label keeps to
    its own construction (anywhere along its arc) before it moves away from it. A label with a
    ``side`` first tries the box wholly on that side of its anchor (the end of a cut line or a
    bracket: the text beside what it names, not over it)."""
    half_w, half_h = width / 2, height / 2
    step = height + gap
    x, y = anchors[0]
    if side == "left":
        yield -2, _fit_inside((x - gap - width, y - half_h, x - gap, y + half_h), edges)
    elif side == "right":
        yield -2, _fit_inside((x + gap, y - half_h, x + gap + width, y + half_h), edges)
    for x, y in anchors:
        yield -1, _fit_inside((x - half_w, y - half_h, x + half_w, y + half_h), edges)
    for ring in range(RINGS):
        reach_x = half_w + gap + ring * step
        reach_y = half_h + gap + ring * step
        for x, y in anchors:
            for dx, dy in _DIRECTIONS:
                cx, cy = x + dx * reach_x, y + dy * reach_y
                yield ring, _fit_inside((cx - half_w, cy - half_h, cx + half_w, cy + half_h), edges)


def _fit_inside(rect: _Rect, edges: _Rect | None) -> _Rect:
    """Shift ``rect`` into ``edges`` (the film); one larger than the film keeps its left/top."""
    if edges is None:
        return rect
    left, top, right, bottom = rect
    e_left, e_top, e_right, e_bottom = edges
    if right - left > e_right - e_left:
        dx = e_left - left
    else:
        dx = max(e_left - left, min(0.0, e_right - right))
    if bottom - top > e_bottom - e_top:
        dy = e_top - top
    else:
        dy = max(e_top - top, min(0.0, e_bottom - bottom))
    if dx == 0.0 and dy == 0.0:
        return rect
    return (left + dx, top + dy, right + dx, bottom + dy)


def _leader(box: Box, anchors: Sequence[Point], slack: float) -> tuple[Point, Point] | None:
    """From the box to the nearest of its anchors (the part of the arc it sits beside)."""
    first = anchors[0]
    if math.dist(box.nearest_point(first), first) <= slack:
        return None  # the usual case, asked first: it runs for every label on every drag event
    edge, anchor = min(
        ((box.nearest_point(a), a) for a in anchors), key=lambda pair: math.dist(pair[0], pair[1])
    )
    if math.dist(edge, anchor) <= slack:
        return None
    return (edge, anchor)


class _PointGrid:
    """Points to keep labels off, each grown to a square of ``radius``, bucketed in cells so a
    box is checked against its neighbours only (a full spine has ~100 handles)."""

    def __init__(self, points: Sequence[Point], radius: float) -> None:
        self._radius = radius
        self._cell = max(radius * 16.0, 1e-9)
        cells: dict[tuple[int, int], list[Point]] = {}
        cell = self._cell
        for point in points:  # built on every drag event (the handles moved): kept lean
            key = (int(point[0] // cell), int(point[1] // cell))
            bucket = cells.get(key)
            if bucket is None:
                cells[key] = [point]
            else:
                bucket.append(point)
        self._cells = cells

    def any_in(self, rect: _Rect) -> bool:
        if not self._cells:
            return False
        r, cell = self._radius, self._cell
        left, top, right, bottom = rect[0] - r, rect[1] - r, rect[2] + r, rect[3] + r
        for cx in range(int(left // cell), int(right // cell) + 1):
            for cy in range(int(top // cell), int(bottom // cell) + 1):
                for x, y in self._cells.get((cx, cy), ()):
                    if left < x < right and top < y < bottom:
                        return True
        return False


def overlapping_pairs(placed: Sequence[PlacedLabel]) -> list[tuple[str, str]]:
    """Keys of every two labels whose boxes overlap (tests, and a check on exports)."""
    return [
        (a.label.key, b.label.key)
        for i, a in enumerate(placed)
        for b in placed[i + 1 :]
        if a.box.overlaps(b.box)
    ]
