"""A small drawing of what to click next: a vertebral body with the wanted point marked (the points
of that body already placed shown too), the sacrum, or a femoral head with its rim."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from alignment_planner.anatomy.landmarking import Step

_CORNER_POSITION = {  # in a unit square drawn with the patient facing right
    "post_sup": (0.0, 0.0),
    "ant_sup": (1.0, 0.0),
    "ant_inf": (1.0, 1.0),
    "post_inf": (0.0, 1.0),
    "center": (0.5, 0.5),
}
TARGET = QColor(255, 70, 70)
PLACED = QColor(120, 200, 120)


class Schematic(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.step: Step | None = None
        self.placed: frozenset[str] = frozenset()
        self.rim_clicks = 0
        self.setFixedHeight(96)
        self.setMinimumWidth(140)

    def show_step(self, step: Step | None, placed: frozenset[str] = frozenset(), rim_clicks: int = 0) -> None:
        """``placed``: the points of the same vertebra already placed; ``rim_clicks``: the rim
        points clicked so far for a femoral head."""
        self.step, self.placed, self.rim_clicks = step, placed, rim_clicks
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(25, 25, 25))
        step = self.step
        if step is None:
            return
        w, h = self.width(), self.height()
        painter.setPen(QPen(QColor(200, 200, 200), 2))
        if step.is_head:
            self._head(painter, step, QPointF(w / 2, h / 2 - 4), h / 3)
            return
        box = QRectF(w / 2 - h * 0.45, h * 0.14, h * 0.9, h * 0.55)
        if step.level == "S1":
            painter.drawPolygon(
                QPolygonF([box.topLeft(), box.topRight(), QPointF(box.center().x(), box.bottom())])
            )
        else:
            painter.drawRect(box)
        painter.setPen(QColor(170, 170, 170))
        painter.drawText(QRectF(0, h - 18, w, 16), Qt.AlignmentFlag.AlignCenter, "◀ posterior   anterior ▶")
        for name in self.placed:
            self._dot(painter, box, name, PLACED, 4)
        self._dot(painter, box, step.point, TARGET, 6)

    @staticmethod
    def _dot(painter: QPainter, box: QRectF, name: str, colour: QColor, size: float) -> None:
        fx, fy = _CORNER_POSITION.get(name, (0.5, 0.5))
        painter.setBrush(colour)
        painter.setPen(QPen(colour, 1))
        painter.drawEllipse(QPointF(box.left() + fx * box.width(), box.top() + fy * box.height()), size, size)

    def _head(self, painter: QPainter, step: Step, centre: QPointF, radius: float) -> None:
        painter.drawEllipse(centre, radius, radius)
        painter.setBrush(TARGET)
        painter.setPen(QPen(TARGET, 1))
        if step.clicks == 1:  # the second head: its centre
            painter.drawEllipse(centre, 5, 5)
            return
        for i in range(step.clicks):  # rim points, the ones already clicked in green
            angle = math.radians(200 + i * 70)
            at = QPointF(centre.x() + radius * math.cos(angle), centre.y() - radius * math.sin(angle))
            colour = PLACED if i < self.rim_clicks else TARGET
            painter.setBrush(colour)
            painter.setPen(QPen(colour, 1))
            painter.drawEllipse(at, 5, 5)
