"""What each line style on the film means: the legend drawn beside the film on screen, in
``render`` and in the PDF (one list, so the three agree), and where it goes on a rendered film.

On a rendered film (``render``, the PNG export) the legend is drawn on the film itself: it takes a
corner, or failing that a place along the film's edge, where it covers no drawn construction and
no landmark (never the spine), and the label layout keeps every label off it (``reserved``)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Polygon
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry.base import BaseGeometry

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.labels import Box
from alignment_planner.scene.primitives import Arc, Circle, Label, Line, Overlay, Style
from alignment_planner.scene.primitives import Polygon as OverlayPolygon

MEANINGS: dict[Style, str] = {
    "body": "vertebral body",
    "endplate": "endplate",
    "cobb": "Cobb angle lines",
    "construction": "construction (dashed)",
    "angle": "angle and arc",
    "pelvis": "sacral plate, hip axis to S1",
    "hip": "femoral heads",
    "plumb": "C7 plumb line, SVA",
    "osteotomy": "osteotomy cut",
    "wedge": "bone removed or gap opened",
    "fusion": "fusion, rod",
}
EDGE_STEPS = 24
"""Places tried along each edge of the film when no corner is free."""
ARC_STEP_DEG = 5.0


def legend(overlay: Overlay) -> tuple[tuple[Style, str], ...]:
    """The styles this overlay draws, in a fixed order, with what they mean."""
    present = {primitive.style for primitive in overlay.primitives}
    return tuple((style, text) for style, text in MEANINGS.items() if style in present)


def place_legend(
    overlay: Overlay,
    film: Box,
    size: tuple[float, float],
    *,
    margin: float,
    handle_radius: float,
    avoid: Sequence[Box] = (),
) -> Box:
    """Where a legend of ``size`` (display units) goes on ``film``: the first corner (bottom left,
    bottom right, top right, top left), then the first place along an edge, that touches no drawn
    line, outline or arc, no landmark handle (grown by ``handle_radius``) and none of ``avoid``
    (the PLANNED mark), ``margin`` inside the film's edge. Where every place touches something
    (a film crowded edge to edge), the one covering the least of the drawing. A legend larger than
    the film keeps to its top left corner (it cannot be whole anyway)."""
    width, height = size
    parts = _drawing(overlay, handle_radius)
    tree = shapely.STRtree(parts)
    best: tuple[float, Box] | None = None
    for box in _places(film, width, height, margin):
        if any(box.overlaps(other) for other in avoid):
            continue
        shape = shapely.box(box.left, box.top, box.right, box.bottom)
        touched = parts[tree.query(shape, predicate="intersects")]
        if len(touched) == 0:
            return box
        covered = shapely.intersection(touched, shape)
        cost = float(np.sum(shapely.length(covered)) + np.sum(shapely.area(covered)))
        if best is None or cost < best[0]:
            best = (cost, box)
    if best is not None:
        return best[1]
    return Box(film.left + margin, film.top + margin, film.left + margin + width, film.top + margin + height)


def _places(film: Box, width: float, height: float, margin: float) -> Iterator[Box]:
    left, right = film.left + margin, film.right - margin - width
    top, bottom = film.top + margin, film.bottom - margin - height
    if right < left or bottom < top:
        return
    for x, y in ((left, bottom), (right, bottom), (right, top), (left, top)):
        yield Box(x, y, x + width, y + height)
    for step in range(1, EDGE_STEPS):
        t = step / EDGE_STEPS
        y = bottom + (top - bottom) * t  # up the side edges from the bottom
        x = left + (right - left) * t  # along the bottom and top edges
        for px, py in ((left, y), (right, y), (x, bottom), (x, top)):
            yield Box(px, py, px + width, py + height)


def _drawing(overlay: Overlay, handle_radius: float) -> NDArray[np.object_]:
    """Everything drawn on the film but the labels (which are laid out around the legend), one
    shape per primitive (GEOS cannot intersect a mixed collection as one)."""
    parts: list[BaseGeometry] = []
    for p in overlay.primitives:
        if isinstance(p, Label):
            continue
        if isinstance(p, Line):
            parts.append(LineString([p.a, p.b]) if p.a != p.b else ShapelyPoint(p.a))
        elif isinstance(p, OverlayPolygon):
            if len(p.points) >= 3:
                parts.append(Polygon(p.points))
            elif p.points:
                parts.append(LineString(p.points) if len(p.points) == 2 else ShapelyPoint(p.points[0]))
        elif isinstance(p, Circle):
            parts.append(ShapelyPoint(p.center).buffer(p.radius).exterior)
        elif isinstance(p, Arc):
            parts.append(_arc(p))
    parts.extend(ShapelyPoint(h.position).buffer(handle_radius) for h in overlay.handles)
    return np.array(parts, dtype=object)


def _arc(arc: Arc) -> LineString | ShapelyPoint:
    """The arc as a polyline (Qt's convention: degrees counter-clockwise on screen, y down)."""
    steps = max(2, math.ceil(abs(arc.span_deg) / ARC_STEP_DEG) + 1)
    points: list[Point] = []
    for i in range(steps):
        angle = math.radians(arc.start_deg + arc.span_deg * i / (steps - 1))
        x, y = arc.center
        points.append((x + arc.radius * math.cos(angle), y - arc.radius * math.sin(angle)))
    return LineString(points) if arc.radius > 0 else ShapelyPoint(arc.center)
