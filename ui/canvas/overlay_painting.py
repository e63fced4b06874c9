"""How the overlay's primitives, landmark handles and labels are painted: lines batched per style,
handles and labels at a fixed size in device pixels. Pens and brushes are made once per style and
scale, not per item: the live part of the overlay and every label are painted on each drag event."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF

from alignment_planner.scene.primitives import Arc, Circle, Handle, Label, Line, Polygon, Primitive
from ui.canvas.palette import HANDLE_COLOURS, HANDLE_DEFAULT, HANDLE_RADIUS, STYLE_COLOURS

FILLED_STYLES = frozenset({"wedge"})  # polygons drawn filled (the bone a cut removes)


class PaintStyle(Protocol):
    """What the painter asks of the overlay item it paints for."""

    fast: bool
    show_constructions: bool
    selected_key: str | None

    @property
    def label_scale(self) -> float: ...


def _pen(style_name: str, scale: float) -> QPen:
    pen = _PENS.get((style_name, scale))
    if pen is None:
        pen = QPen(STYLE_COLOURS[style_name], 1.6 * scale)
        pen.setCosmetic(True)
        if style_name == "construction":
            pen.setStyle(Qt.PenStyle.DashLine)
        _PENS[(style_name, scale)] = pen
    return pen


_PENS: dict[tuple[str, float], QPen] = {}


# Labels are painted on every drag event: their pens and background are made once, not per label.
LABEL_BACKGROUND = QBrush(QColor(0, 0, 0, 200))
_TEXT_PENS: dict[str, QPen] = {}
_LEADER_PENS: dict[tuple[str, float], QPen] = {}


def text_pen(style_name: str) -> QPen:
    pen = _TEXT_PENS.get(style_name)
    if pen is None:
        pen = _TEXT_PENS[style_name] = QPen(STYLE_COLOURS[style_name].lighter(130))
    return pen


def leader_pen(style_name: str, scale: float) -> QPen:
    pen = _LEADER_PENS.get((style_name, scale))
    if pen is None:
        pen = _LEADER_PENS[(style_name, scale)] = QPen(STYLE_COLOURS[style_name], 1.0 * scale)
    return pen


def paint_layer(
    painter: QPainter,
    style: PaintStyle,
    primitives: tuple[Primitive, ...],
    handles: tuple[Handle, ...],
) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, not style.fast)
    # Hiding the constructions (C) leaves the measurements the user drew.
    shown = primitives if style.show_constructions else [p for p in primitives if p.style == "annotation"]
    if shown:
        # Straight segments are batched per style into one drawLines call: a planned spine moves
        # every outline above the cut on each slider step, so all of them are painted each time.
        segments: dict[str, list[QLineF]] = {}
        curves: list[Circle | Arc] = []
        fills: list[Polygon] = []
        for item in shown:
            if isinstance(item, Label):
                continue  # laid out and drawn by OverlayItem._paint_labels
            if isinstance(item, Line):
                segments.setdefault(item.style, []).append(QLineF(*item.a, *item.b))
            elif isinstance(item, Polygon):
                if item.style in FILLED_STYLES:
                    fills.append(item)
                    continue
                # Edges as lines: an antialiased drawPolygon costs ~20× as much here (drag bench).
                points = item.points
                batch = segments.setdefault(item.style, [])
                for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
                    batch.append(QLineF(ax, ay, bx, by))
            else:
                curves.append(item)
        for polygon in fills:  # the bone a cut removes: a translucent fill under the lines
            colour = QColor(STYLE_COLOURS[polygon.style])
            colour.setAlpha(90)
            painter.setBrush(colour)
            painter.setPen(_pen(polygon.style, style.label_scale))
            painter.drawPolygon(QPolygonF([QPointF(*p) for p in polygon.points]))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for style_name, lines in segments.items():
            painter.setPen(_pen(style_name, style.label_scale))
            painter.drawLines(lines)
        for curve in curves:
            painter.setPen(_pen(curve.style, style.label_scale))
            if isinstance(curve, Circle):
                painter.drawEllipse(QPointF(*curve.center), curve.radius, curve.radius)
            else:
                rect = QRectF(
                    curve.center[0] - curve.radius,
                    curve.center[1] - curve.radius,
                    2 * curve.radius,
                    2 * curve.radius,
                )
                painter.drawArc(rect, round(curve.start_deg * 16), round(curve.span_deg * 16))
    paint_handles(painter, style, handles)


def paint_handles(painter: QPainter, style: PaintStyle, handles: tuple[Handle, ...]) -> None:
    """Landmark dots at a fixed size in device pixels."""
    transform = painter.worldTransform()
    painter.save()
    painter.resetTransform()
    zoomed_out = transform.m11() < 0.6 and style.label_scale == 1.0
    radius = (3.0 if zoomed_out else HANDLE_RADIUS) * style.label_scale
    outline = QPen(QColor(0, 0, 0), 1.2)
    for handle in handles:
        centre = transform.map(QPointF(*handle.position))
        selected = handle.key == style.selected_key
        colour = HANDLE_COLOURS.get(handle.level, HANDLE_COLOURS.get(handle.point, HANDLE_DEFAULT))
        painter.setPen(outline)
        painter.setBrush(QBrush(QColor(255, 60, 60) if selected else colour))
        r = radius * (1.5 if selected else 1.0)
        painter.drawEllipse(centre, r, r)
    painter.restore()
