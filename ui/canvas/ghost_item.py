"""Interpolated vertebrae drawn dashed and labelled as such (``alignment_planner.scene.ghosts``):
where the unclicked bodies probably are, never a landmark. Not part of exports.

The notes go through the overlay's label layout, after the overlay's own labels (CL, TK …), so
none is printed over a measurement or over another note (second review D1)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.scene.ghosts import Ghost
from alignment_planner.scene.labels import PlacedLabel, layout_labels
from alignment_planner.scene.primitives import DisplayGeometry, Label
from ui.canvas.label_room import marks_to_keep_clear, overlay_label_boxes

GHOST = QColor(120, 200, 255, 230)  # dashed light blue: clearly not a placed (yellow) landmark
NOTE_GAP_PX = 8.0
"""Between a ghost's left edge and its note, in screen pixels."""
MARK_CLEARANCE_PX = 7.0
"""How far a note keeps from a handle or an error's cross (their radius, in screen pixels)."""


def note_font() -> QFont:
    font = QFont()
    font.setItalic(True)
    font.setPixelSize(11)
    return font


class GhostItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.setZValue(5)  # over the film, under the overlay
        self.polygons: dict[str, QPolygonF] = {}
        self._layout: tuple[tuple[float, ...], tuple[PlacedLabel, ...]] | None = None

    def set_ghosts(self, ghosts: dict[str, Ghost], geometry: DisplayGeometry) -> None:
        if not ghosts and not self.polygons:
            return  # none before and none now (every drag event of a full landmarking)
        self.prepareGeometryChange()
        self.polygons = {
            level: QPolygonF([QPointF(*geometry.to_display(p)) for p in corners])
            for level, corners in ghosts.items()
        }
        self._layout = None
        self.update()

    def boundingRect(self) -> QRectF:
        rect = QRectF()
        for polygon in self.polygons.values():
            rect = rect.united(polygon.boundingRect())
        return rect.adjusted(-400, -200, 200, 200)  # room for the notes, wherever the layout puts them

    def label_layout(self, transform: QTransform) -> tuple[PlacedLabel, ...]:
        """The notes laid out in screen pixels for the view's ``transform``, around the overlay's
        labels (the same for the paint and for the items laid out after these)."""
        if not self.polygons:
            return ()
        reserved = overlay_label_boxes(self.scene(), transform)
        clear = marks_to_keep_clear(self.scene(), transform)
        key = (transform.m11(), transform.m12(), transform.m21(), transform.m22(), transform.dx(),
               transform.dy(), *(v for b in reserved for v in (b.left, b.top, b.right, b.bottom)),
               *(v for point in clear for v in point))
        if self._layout is not None and self._layout[0] == key:
            return self._layout[1]
        metrics = QFontMetricsF(note_font())
        labels = []
        for level, polygon in self.polygons.items():
            shape = transform.map(polygon).boundingRect()
            anchor = (shape.left() - NOTE_GAP_PX, shape.center().y())
            labels.append(Label(f"ghost:{level}", anchor, f"{level} (interpolated)", "construction", "left"))
        placed = layout_labels(
            labels,
            text_size=lambda text: (metrics.horizontalAdvance(text) + 4, metrics.height() + 2),
            units_per_px=1.0,
            reserved=reserved,
            keep_clear=clear,
            keep_clear_px=MARK_CLEARANCE_PX,
        )
        self._layout = (key, placed)
        return placed

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        if not self.polygons:
            return
        pen = QPen(GHOST, 1.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for polygon in self.polygons.values():
            painter.drawPolygon(polygon)
        placed = self.label_layout(painter.worldTransform())
        painter.save()
        painter.resetTransform()  # the notes in screen pixels, whatever the zoom
        painter.setFont(note_font())
        metrics = QFontMetricsF(note_font())
        for note in placed:
            box = note.box
            if note.leader is not None:
                painter.setPen(QPen(GHOST, 1.0))
                painter.drawLine(QPointF(*note.leader[0]), QPointF(*note.leader[1]))
            painter.setPen(GHOST)
            painter.drawText(QPointF(box.left + 2, box.bottom - 1 - metrics.descent()), note.label.text)
        painter.restore()
