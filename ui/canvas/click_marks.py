"""Marks of a landmark click in progress, drawn over the film and never saved (issue 17 §3–4):

* the rim points clicked so far for a femoral head (crosses), until the circle is fitted;
* the corner assist's move: a short animation from where the reader clicked to the corner found,
  the original click left as a hollow ring for a moment (Undo puts the point back there).

Sizes are in screen pixels (``ItemIgnoresTransformations`` would not do for a line between two
film points, so the pen is cosmetic and radii are divided by the view scale at paint time).
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

ANIMATION_MS = 220
LINGER_MS = 1400  # the original click stays visible this long after the move
RIM = QColor(80, 220, 255)
ASSIST = QColor(255, 210, 60)


class ClickMarks(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.setZValue(1000)
        self.rim: list[QPointF] = []
        self.trail: tuple[QPointF, QPointF] | None = None
        self.progress = 1.0  # of the assist's move, 0 → 1
        self._animation = QVariantAnimation()
        self._animation.setDuration(ANIMATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.valueChanged.connect(self._step)
        self._clear_later = QTimer()
        self._clear_later.setSingleShot(True)
        self._clear_later.timeout.connect(self.clear_trail)

    def set_rim(self, points: list[QPointF]) -> None:
        self.prepareGeometryChange()
        self.rim = list(points)
        self.update()

    def show_assist(self, clicked: QPointF, corner: QPointF) -> None:
        self.prepareGeometryChange()
        self.trail = (clicked, corner)
        self.progress = 0.0
        self._animation.stop()
        self._animation.start()
        self._clear_later.start(ANIMATION_MS + LINGER_MS)

    @property
    def animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    def clear_trail(self) -> None:
        self.prepareGeometryChange()
        self.trail = None
        self.update()

    def _step(self, value: object) -> None:
        self.progress = float(value)  # type: ignore[arg-type]
        self.update()

    def boundingRect(self) -> QRectF:
        points = list(self.rim) + (list(self.trail) if self.trail else [])
        if not points:
            return QRectF()
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        margin = 200.0  # generous: marks are a few screen pixels at any zoom a user works at
        return QRectF(min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin,
                      max(ys) - min(ys) + 2 * margin)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        scale = painter.worldTransform().m11() or 1.0
        size = 6.0 / scale  # screen pixels → scene units
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(RIM, 2)
        pen.setCosmetic(True)
        painter.setPen(pen)
        for p in self.rim:
            painter.drawLine(QPointF(p.x() - size, p.y()), QPointF(p.x() + size, p.y()))
            painter.drawLine(QPointF(p.x(), p.y() - size), QPointF(p.x(), p.y() + size))
        if self.trail is None:
            return
        clicked, corner = self.trail
        now = clicked + (corner - clicked) * self.progress
        pen = QPen(ASSIST, 1.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(clicked, size, size)  # where the reader clicked
        painter.drawLine(clicked, now)
        pen.setStyle(Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.setBrush(ASSIST)
        painter.drawEllipse(now, size * 0.5, size * 0.5)
