"""Practice mode on the film: each landmark's error drawn from where the resident put it to where
the expert did (issue 7 §3), coloured by its grade, with the distance where it matters."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.scene.primitives import DisplayGeometry
from alignment_planner.teaching.scoring import LandmarkDeviation

GRADE_COLOURS = {
    "good": QColor(60, 200, 90),
    "borderline": QColor(240, 190, 40),
    "outside": QColor(235, 70, 60),
    "not measurable": QColor(170, 170, 170),
}


class PracticeErrorsItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.errors: tuple[LandmarkDeviation, ...] = ()
        self.geometry = DisplayGeometry(1.0, 1.0)
        self._bounds = QRectF()
        self.setZValue(30)  # above the overlay

    def set_errors(self, errors: tuple[LandmarkDeviation, ...], geometry: DisplayGeometry) -> None:
        self.prepareGeometryChange()
        self.errors, self.geometry = errors, geometry
        points = [geometry.to_display(e.expert) for e in errors]
        points += [geometry.to_display(e.placed) for e in errors if e.placed is not None]
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            self._bounds = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(
                -200, -200, 200, 200
            )
        else:
            self._bounds = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()  # markers and text in screen pixels, whatever the zoom
        font = QFont()
        font.setPixelSize(11)
        font.setBold(True)
        painter.setFont(font)
        for error in self.errors:
            colour = GRADE_COLOURS[error.grade]
            expert = transform.map(QPointF(*self.geometry.to_display(error.expert)))
            pen = QPen(colour, 2.0)
            if error.placed is None:  # not placed: where it should have been, dashed
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(expert, 6.0, 6.0)
                continue
            placed = transform.map(QPointF(*self.geometry.to_display(error.placed)))
            painter.setPen(pen)
            painter.drawLine(placed, expert)
            painter.drawLine(expert + QPointF(-5, -5), expert + QPointF(5, 5))  # the expert's point: ×
            painter.drawLine(expert + QPointF(-5, 5), expert + QPointF(5, -5))
            if error.grade != "good" and error.error_mm is not None:
                painter.setPen(QPen(QColor(0, 0, 0), 3.0))
                text = f"{error.error_mm:.1f} mm"
                anchor = placed + QPointF(8, -6)
                painter.drawText(anchor, text)
                painter.setPen(colour)
                painter.drawText(anchor, text)
        painter.restore()
