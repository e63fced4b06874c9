"""Practice mode on the film: each landmark's error drawn from where the resident put it to where
the expert did (issue 7 §3), coloured by its grade, with the distance where it matters."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.scene.label_strokes import SAMPLE_PX, Stroke, line_stroke
from alignment_planner.scene.labels import Box, PlacedLabel, layout_labels
from alignment_planner.scene.primitives import DisplayGeometry, Label
from alignment_planner.teaching.scoring import LandmarkDeviation
from ui.canvas.label_room import drawn_strokes, ghost_label_boxes, marks_to_keep_clear, overlay_label_boxes
from ui.canvas.overlay_item import OverlayItem

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
        self.placed_labels: tuple[PlacedLabel, ...] = ()  # the distances as last drawn (screen px)
        self._drawn_key: object = None
        self._drawn: tuple[Stroke, ...] = ()
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

    def _labels_before(self, transform: QTransform) -> tuple[Box, ...]:
        """The overlay's labels and the interpolated vertebrae's notes in screen pixels: no
        distance covers one (second review D1)."""
        scene = self.scene()
        return overlay_label_boxes(scene, transform) + ghost_label_boxes(scene, transform)

    def _strokes(self, transform: QTransform, lines: list[Stroke]) -> tuple[Stroke, ...]:
        """The error lines and the overlay's drawn lines in screen pixels; the overlay's sampled
        once per view and overlay (a paint comes with every scroll and zoom step)."""
        scene = self.scene()
        overlay = next((i for i in scene.items() if isinstance(i, OverlayItem)), None) if scene else None
        key = (
            tuple(transform.map(QPointF(x, y)).toTuple() for x, y in ((0.0, 0.0), (1.0, 1.0))),
            None if overlay is None else (overlay.overlay, overlay.show_constructions, overlay.isVisible()),
        )
        if key != self._drawn_key:
            self._drawn_key, self._drawn = key, drawn_strokes(scene, transform)
        return (*lines, *self._drawn)

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
        metrics = QFontMetricsF(font)
        labels: list[tuple[Label, QColor]] = []
        lines: list[Stroke] = []  # each error's line, owned by its landmark (its label may lie on it)
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
            lines.append(line_stroke(error.key, placed.toTuple(), expert.toTuple(), SAMPLE_PX, heavy=True))
            painter.drawLine(expert + QPointF(-5, -5), expert + QPointF(5, 5))  # the expert's point: ×
            painter.drawLine(expert + QPointF(-5, 5), expert + QPointF(5, -5))
            if error.grade != "good" and error.error_mm is not None:
                anchor = (placed.x(), placed.y())
                text = f"{error.error_mm:.1f} mm"
                labels.append((Label(error.key, anchor, text, "construction", "right"), colour))
        # The distances through the overlay's label layout (in screen pixels here), laid out as
        # its labels are: next to the click, never on one another, off the landmarks, the
        # resident's crosses and the drawn lines (each may lie on its own error line), with a
        # leader line when one had to move.
        self.placed_labels = (
            layout_labels(
                [label for label, _colour in labels],
                text_size=lambda text: (metrics.horizontalAdvance(text) + 4, metrics.height() + 2),
                units_per_px=1.0,
                keep_clear=marks_to_keep_clear(self.scene(), transform),
                keep_clear_px=6.0,
                reserved=self._labels_before(transform),
                keep_off=lambda: self._strokes(transform, lines),
            )
            if labels
            else ()
        )
        for placed_label, (_label, colour) in zip(self.placed_labels, labels, strict=True):
            box = placed_label.box
            if placed_label.leader is not None:
                painter.setPen(QPen(colour, 1.0))
                painter.drawLine(QPointF(*placed_label.leader[0]), QPointF(*placed_label.leader[1]))
            baseline = QPointF(box.left + 2, box.bottom - 1 - metrics.descent())
            painter.setPen(QPen(QColor(0, 0, 0), 3.0))
            painter.drawText(baseline, placed_label.label.text)
            painter.setPen(colour)
            painter.drawText(baseline, placed_label.label.text)
        painter.restore()
