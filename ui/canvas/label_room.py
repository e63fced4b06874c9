"""The labels already on the film, in screen pixels, for an item that lays out its own labels
after them: the overlay's (PT, PSO L4 30° …), then the interpolated vertebrae's notes, then the
practice errors' distances. Each later item passes the earlier boxes to ``layout_labels`` as
``reserved``, so the three sets are one layout and none is printed over another (second review D1);
the drawn lines and the landmarks are passed too (``drawn_strokes``, ``marks_to_keep_clear``), so
that a later label keeps off them as the overlay's own labels do.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsScene

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.label_strokes import SAMPLE_PX, Stroke, arc_stroke, line_stroke
from alignment_planner.scene.labels import Box
from alignment_planner.scene.primitives import Arc, Circle, Line, Polygon
from ui.canvas.overlay_item import OverlayItem


def overlay_label_boxes(scene: QGraphicsScene | None, transform: QTransform) -> tuple[Box, ...]:
    """The overlay's labels as laid out for this zoom, mapped to screen pixels by ``transform``."""
    overlay = next((i for i in scene.items() if isinstance(i, OverlayItem)), None) if scene else None
    if overlay is None or not overlay.isVisible():
        return ()
    zoom = transform.m11() or 1.0
    boxes = []
    for placed in overlay.label_layout(1.0 / zoom):
        box = placed.box
        mapped = transform.mapRect(QRectF(box.left, box.top, box.right - box.left, box.bottom - box.top))
        boxes.append(Box(mapped.left(), mapped.top(), mapped.right(), mapped.bottom()))
    return tuple(boxes)


def ghost_label_boxes(scene: QGraphicsScene | None, transform: QTransform) -> tuple[Box, ...]:
    """The interpolated vertebrae's notes as laid out for this view, in screen pixels."""
    from ui.canvas.ghost_item import GhostItem  # which lays its notes out around the overlay's, here

    ghosts = next((i for i in scene.items() if isinstance(i, GhostItem)), None) if scene else None
    if ghosts is None or not ghosts.isVisible():
        return ()
    return tuple(placed.box for placed in ghosts.label_layout(transform))


def marks_to_keep_clear(scene: QGraphicsScene | None, transform: QTransform) -> tuple[Point, ...]:
    """The landmark handles and the practice errors' ends, in screen pixels: a note beside an
    interpolated vertebra keeps off them (it may be laid out before the errors are drawn)."""
    from ui.canvas.practice_item import PracticeErrorsItem

    points: list[Point] = []
    for item in scene.items() if scene else ():
        if isinstance(item, OverlayItem) and item.isVisible():
            handles = (h.position for h in item.overlay.handles)
            points += [(q.x(), q.y()) for q in (transform.map(QPointF(*h)) for h in handles)]
        elif isinstance(item, PracticeErrorsItem) and item.isVisible():
            ends = [item.geometry.to_display(e.expert) for e in item.errors]
            ends += [item.geometry.to_display(e.placed) for e in item.errors if e.placed is not None]
            points += [(q.x(), q.y()) for q in (transform.map(QPointF(*end)) for end in ends)]
    return tuple(points)


def drawn_strokes(scene: QGraphicsScene | None, transform: QTransform) -> tuple[Stroke, ...]:
    """The overlay's lines, outlines, arcs and circles as drawn (the constructions only when
    shown), in screen pixels, each owned by its primitive's key."""
    overlay = next((i for i in scene.items() if isinstance(i, OverlayItem)), None) if scene else None
    if overlay is None or not overlay.isVisible():
        return ()

    def screen(p: Point) -> Point:
        q = transform.map(QPointF(*p))
        return (q.x(), q.y())

    zoom = transform.m11() or 1.0
    strokes: list[Stroke] = []
    for p in overlay.overlay.primitives:
        if not overlay.show_constructions and p.style != "annotation":
            continue
        if isinstance(p, Line):
            strokes.append(line_stroke(p.key, screen(p.a), screen(p.b), SAMPLE_PX))
        elif isinstance(p, Polygon) and len(p.points) > 1:
            corners = [screen(q) for q in (*p.points, p.points[0])]
            edges = (line_stroke(p.key, a, b, SAMPLE_PX).points for a, b in itertools.pairwise(corners))
            strokes.append(Stroke(p.key, tuple(q for edge in edges for q in edge)))
        elif isinstance(p, Arc | Circle):
            arc = p if isinstance(p, Arc) else Arc(p.key, p.center, p.radius, 0.0, 360.0, p.style)
            sampled = arc_stroke(arc, SAMPLE_PX / zoom)
            strokes.append(Stroke(p.key, tuple(screen(q) for q in sampled.points)))
    return tuple(strokes)
