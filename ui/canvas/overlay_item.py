"""Paints an ``alignment_planner.overlay.Overlay``: one item for all constructions and handles.

Geometry is drawn in scene (display) units with cosmetic pens; labels and landmark handles are drawn
in device pixels at a fixed size, so they stay readable at every zoom (and in exports, where
``label_scale`` sizes them for the output resolution).
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.overlay import Arc, Circle, Label, Line, Overlay, Polygon

STYLE_COLOURS: dict[str, QColor] = {
    "body": QColor(255, 214, 0, 150),
    "endplate": QColor(255, 214, 0),
    "construction": QColor(80, 200, 255),
    "cobb": QColor(255, 140, 0),
    "plumb": QColor(255, 90, 90),
    "pelvis": QColor(0, 225, 140),
    "hip": QColor(0, 225, 140),
    "angle": QColor(80, 200, 255),
}
HANDLE_COLOURS = {"femoral_heads": QColor(0, 225, 140), "center": QColor(255, 140, 0)}
HANDLE_DEFAULT = QColor(255, 214, 0)
HANDLE_RADIUS = 4.5


class OverlayItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.overlay = Overlay()
        self.selected_key: str | None = None
        self.show_constructions = True
        self.label_scale = 1.0
        self._bounds = QRectF()
        self.setZValue(10)

    def set_overlay(self, overlay: Overlay) -> None:
        self.prepareGeometryChange()
        self.overlay = overlay
        self._bounds = self._compute_bounds()
        self.update()

    def set_selected(self, key: str | None) -> None:
        if key != self.selected_key:
            self.selected_key = key
            self.update()

    def _compute_bounds(self) -> QRectF:
        xs: list[float] = []
        ys: list[float] = []
        for item in self.overlay.primitives:
            if isinstance(item, Line):
                xs += [item.a[0], item.b[0]]
                ys += [item.a[1], item.b[1]]
            elif isinstance(item, Polygon):
                xs += [p[0] for p in item.points]
                ys += [p[1] for p in item.points]
            elif isinstance(item, Circle | Arc):
                xs += [item.center[0] - item.radius, item.center[0] + item.radius]
                ys += [item.center[1] - item.radius, item.center[1] + item.radius]
            else:
                xs.append(item.anchor[0])
                ys.append(item.anchor[1])
        xs += [h.position[0] for h in self.overlay.handles]
        ys += [h.position[1] for h in self.overlay.handles]
        if not xs:
            return QRectF()
        margin = 200.0  # labels are drawn in device space beside their anchors
        return QRectF(
            min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin, max(ys) - min(ys) + 2 * margin
        )

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        labels: list[Label] = []
        if self.show_constructions:
            for item in self.overlay.primitives:
                if isinstance(item, Label):
                    labels.append(item)
                    continue
                pen = QPen(STYLE_COLOURS[item.style], 1.6 * self.label_scale)
                pen.setCosmetic(True)
                if item.style == "construction":
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                if isinstance(item, Line):
                    painter.drawLine(QPointF(*item.a), QPointF(*item.b))
                elif isinstance(item, Polygon):
                    # Edges as lines: an antialiased drawPolygon costs ~20× as much here (drag bench).
                    corners = [QPointF(*p) for p in item.points]
                    painter.drawLines(
                        [QLineF(a, b) for a, b in zip(corners, corners[1:] + corners[:1], strict=True)]
                    )
                elif isinstance(item, Circle):
                    painter.drawEllipse(QPointF(*item.center), item.radius, item.radius)
                elif isinstance(item, Arc):
                    rect = QRectF(
                        item.center[0] - item.radius,
                        item.center[1] - item.radius,
                        2 * item.radius,
                        2 * item.radius,
                    )
                    painter.drawArc(rect, round(item.start_deg * 16), round(item.span_deg * 16))
        self._paint_device_space(painter, labels)

    def _paint_device_space(self, painter: QPainter, labels: list[Label]) -> None:
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        font = QFont()
        font.setPixelSize(max(9, round(12 * self.label_scale)))
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        pad = 3.0 * self.label_scale
        # Handles first (so labels can keep clear of them), labels last (so nothing hides them).
        zoomed_out = transform.m11() < 0.6 and self.label_scale == 1.0
        radius = (3.0 if zoomed_out else HANDLE_RADIUS) * self.label_scale
        taken = _Occupied()
        for handle in self.overlay.handles:
            centre = transform.map(QPointF(*handle.position))
            selected = handle.key == self.selected_key
            colour = HANDLE_COLOURS.get(handle.level, HANDLE_COLOURS.get(handle.point, HANDLE_DEFAULT))
            painter.setPen(QPen(QColor(0, 0, 0), 1.2))
            painter.setBrush(QBrush(QColor(255, 60, 60) if selected else colour))
            r = radius * (1.5 if selected else 1.0)
            painter.drawEllipse(centre, r, r)
            taken.add(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
        for label in labels:
            anchor = transform.map(QPointF(*label.anchor))
            width = metrics.horizontalAdvance(label.text)
            box = QRectF(
                anchor.x() - width / 2 - pad,
                anchor.y() - metrics.height() / 2 - pad,
                width + 2 * pad,
                metrics.height() + 2 * pad,
            )
            box = _free_spot(box, taken)
            taken.add(box)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(0, 0, 0, 185)))
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(STYLE_COLOURS[label.style].lighter(130))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label.text)
        painter.restore()


class _Occupied:
    """Rectangles already drawn in device space, bucketed by rows of 32 px so a label is only
    checked against its neighbours (a full spine has ~100 handles and ~10 labels per frame)."""

    ROW = 32.0

    def __init__(self) -> None:
        self._rows: dict[int, list[QRectF]] = {}

    def _span(self, box: QRectF) -> range:
        return range(int(box.top() // self.ROW), int(box.bottom() // self.ROW) + 1)

    def add(self, box: QRectF) -> None:
        for row in self._span(box):
            self._rows.setdefault(row, []).append(box)

    def hits(self, box: QRectF) -> bool:
        return any(box.intersects(other) for row in self._span(box) for other in self._rows.get(row, ()))


def _free_spot(box: QRectF, taken: _Occupied) -> QRectF:
    """Move a label box off what is already drawn: alternately below and above, one box height at
    a time (labels anchored near each other, such as SS and SVA at the sacrum, stay legible)."""
    if not taken.hits(box):
        return box
    step = box.height() + 1.0
    for n in range(1, 12):
        for direction in (1, -1):
            moved = box.translated(0, direction * n * step)
            if not taken.hits(moved):
                return moved
    return box
