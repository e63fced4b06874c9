"""The planned image: the film cut into regions, each moved rigidly by its osteotomies
(alignment_planner/fragments.py). Every region draws the same shared buffers through
``RadiographItem.paint_image``, clipped to its polygon and placed by an item transform
(imaging.md B5: about 3 ms a frame, no resampling in numpy). Where a wedge opens, nothing is
drawn, so the hatched gap item below shows through; where one closes, the upper region overlaps.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.fragments import Affine
from alignment_planner.scene.primitives import DisplayGeometry
from ui.canvas.image_item import RadiographItem


def region_path(rings: tuple[tuple[Point, ...], ...], geometry: DisplayGeometry) -> QPainterPath:
    path = QPainterPath()
    for ring in rings:
        path.addPolygon(QPolygonF([QPointF(*geometry.to_display(p)) for p in ring]))
        path.closeSubpath()
    return path


def display_transform(affine: Affine, geometry: DisplayGeometry) -> QTransform:
    """A pixel affine map as a transform of display coordinates (pixels scaled per axis)."""
    a, b, c, d, tx, ty = affine
    sx, sy = geometry.scale_x, geometry.scale_y
    return QTransform(a, c * sy / sx, b * sx / sy, d, sx * tx, sy * ty)


class FragmentItem(QGraphicsItem):
    def __init__(self, base: RadiographItem) -> None:
        super().__init__()
        self.base = base
        self.path = QPainterPath()
        self.label = ""
        self.fast = False  # during an angle drag: no smoothing
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_region(self, path: QPainterPath, label: str) -> None:
        self.prepareGeometryChange()
        self.path = path
        self.label = label
        self.setToolTip(f"image region {label}")

    def boundingRect(self) -> QRectF:
        return self.path.boundingRect()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del widget
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not self.fast)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # a cut edge, not a line
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.base.texture(painter, option))
        painter.drawPath(self.path)


class GapItem(QGraphicsRectItem):
    """Under the planned film: hatched, so an opened wedge reads as "no image here"."""

    def __init__(self) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.setBrush(QBrush(QColor(110, 110, 110), Qt.BrushStyle.BDiagPattern))
        self.setZValue(-1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # a pattern fill is slow
