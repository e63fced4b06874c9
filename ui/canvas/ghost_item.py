"""Interpolated vertebrae drawn dashed and labelled as such (``alignment_planner.scene.ghosts``):
where the unclicked bodies probably are, never a landmark. Not part of exports."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.scene.ghosts import Ghost
from alignment_planner.scene.primitives import DisplayGeometry

GHOST = QColor(120, 200, 255, 230)  # dashed light blue: clearly not a placed (yellow) landmark


class GhostItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.setZValue(5)  # over the film, under the overlay
        self.polygons: dict[str, QPolygonF] = {}

    def set_ghosts(self, ghosts: dict[str, Ghost], geometry: DisplayGeometry) -> None:
        self.prepareGeometryChange()
        self.polygons = {
            level: QPolygonF([QPointF(*geometry.to_display(p)) for p in corners])
            for level, corners in ghosts.items()
        }
        self.update()

    def boundingRect(self) -> QRectF:
        rect = QRectF()
        for polygon in self.polygons.values():
            rect = rect.united(polygon.boundingRect())
        return rect.adjusted(-200, -40, 40, 40)  # room for the labels

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        pen = QPen(GHOST, 1.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        scale = painter.worldTransform().m11() or 1.0
        font = QFont()
        font.setItalic(True)
        font.setPointSizeF(max(1.0, 8.0 / scale))
        painter.setFont(font)
        for level, polygon in self.polygons.items():
            painter.drawPolygon(polygon)
            anchor = polygon.boundingRect()
            left, middle = anchor.left() - 160.0 / scale, anchor.center().y() - 8.0 / scale
            painter.drawText(
                QRectF(left, middle, 150.0 / scale, 16.0 / scale),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{level} (interpolated)",
            )
