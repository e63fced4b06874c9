"""What is drawn on the film besides the overlay, at a fixed size in device pixels, with the room
the label layout must leave for it: the PLANNED mark on a simulated film, and on an exported film
the legend of line styles (placed by the core's ``place_legend``, clear of the drawing)."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from alignment_planner.scene.labels import Box
from alignment_planner.scene.legend import legend, place_legend
from alignment_planner.scene.primitives import Overlay
from ui.canvas.legend_painter import legend_size, paint_legend
from ui.canvas.palette import HANDLE_RADIUS, label_font

PLANNED_MARK = "PLANNED (simulated)"
LEGEND_MARGIN_PX = 8.0  # between an export's legend and the film's edge


class Reserved(NamedTuple):
    boxes: tuple[Box, ...]
    """Every mark's box in display units: labels keep off them."""
    legend: Box | None
    """The legend's place, when it is drawn on the film."""


def _planned_mark_size(scale: float) -> tuple[QFont, float, float, float]:
    font = label_font(scale * 1.5)
    metrics = QFontMetricsF(font)
    pad = 6.0 * scale
    return font, metrics.horizontalAdvance(PLANNED_MARK) + 2 * pad, metrics.height() + pad, pad


def reserved(
    overlay: Overlay,
    film: Box | None,
    scale: float,
    scene_per_px: float,
    *,
    legend_on_film: bool,
    mark_corner: tuple[float, float] | None = None,
) -> Reserved:
    """The marks' boxes for output pixels of ``scene_per_px`` display units. The PLANNED mark sits
    at ``mark_corner`` (display units), by default the film's top left corner."""
    if film is None:
        return Reserved((), None)
    boxes: list[Box] = []
    if overlay.stage == "postop":
        _font, width, height, pad = _planned_mark_size(scale)
        left, top = mark_corner if mark_corner is not None else (film.left, film.top)
        boxes.append(
            Box(
                left,
                top,
                left + (width + 2 * pad) * scene_per_px,
                top + (height + 2 * pad) * scene_per_px,
            )
        )
    entries = legend(overlay) if legend_on_film else ()
    if not entries:
        return Reserved(tuple(boxes), None)
    width, height = legend_size(entries, scale)
    place = place_legend(
        overlay,
        film,
        (width * scene_per_px, height * scene_per_px),
        margin=LEGEND_MARGIN_PX * scale * scene_per_px,
        handle_radius=2 * HANDLE_RADIUS * scale * scene_per_px,
        avoid=tuple(boxes),
    )
    return Reserved((*boxes, place), place)


def paint_legend_on_film(painter: QPainter, overlay: Overlay, place: Box, scale: float) -> QRectF:
    """The legend at ``place`` (display units); returns where it went in device pixels."""
    transform = painter.worldTransform()
    width, height = place.right - place.left, place.bottom - place.top
    rect = transform.mapRect(QRectF(place.left, place.top, width, height))
    painter.save()
    painter.resetTransform()
    paint_legend(painter, rect, legend(overlay), scale)
    painter.restore()
    return rect


def paint_planned_mark(painter: QPainter, at: tuple[float, float], scale: float) -> QRectF:
    """ "PLANNED (simulated)" with its top left corner at ``at`` (display units, the film's
    corner or the corner of the part of it in view); returns its box in device pixels."""
    corner = painter.worldTransform().map(QPointF(*at))
    painter.save()
    painter.resetTransform()
    font, width, height, pad = _planned_mark_size(scale)
    painter.setFont(font)
    box = QRectF(corner.x() + pad, corner.y() + pad, width, height)
    painter.fillRect(box, QColor(120, 0, 80, 220))
    painter.setPen(QColor(255, 255, 255))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, PLANNED_MARK)
    painter.restore()
    return box
