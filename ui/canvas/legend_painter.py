"""The legend of line styles painted in device pixels: in the view's corner on screen, and on the
film of a rendered PNG (where the core's ``place_legend`` chose its place)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap

from alignment_planner.scene.primitives import Style
from ui.canvas.palette import DASHED_STYLES, STYLE_COLOURS

Entries = tuple[tuple[Style | str, str], ...]
"""(style, meaning): a core ``Style``, or a style of the window's own (``palette.DASHED_STYLES``)."""
FONT_PX = 11
SWATCH_PX = 18  # the sample stroke
INSET_PX = 6  # from the box's edge to the stroke
GAP_PX = 6  # from the stroke to its text


def legend_font(scale: float) -> QFont:
    font = QFont()
    font.setPixelSize(max(FONT_PX, round(FONT_PX * scale)))
    return font


def legend_size(entries: Entries, scale: float) -> tuple[float, float]:
    """Width and height in device pixels of the legend box at ``scale`` (exports draw it larger)."""
    metrics = QFontMetricsF(legend_font(scale))
    line = metrics.height() + 2 * scale
    text = max((metrics.horizontalAdvance(t) for _style, t in entries), default=0.0)
    width = text + (INSET_PX * 2 + SWATCH_PX + GAP_PX) * scale
    height = line * len(entries) + 8 * scale
    return width, height


def paint_legend(painter: QPainter, box: QRectF, entries: Entries, scale: float) -> None:
    """The legend in ``box`` (device pixels; the painter's transform is reset by the caller)."""
    font = legend_font(scale)
    metrics = QFontMetricsF(font)
    line = metrics.height() + 2 * scale
    painter.save()
    painter.setFont(font)
    painter.fillRect(box, QColor(0, 0, 0, 170))
    for index, (style, text) in enumerate(entries):
        y = box.top() + 4 * scale + line * index + line / 2
        pen = QPen(STYLE_COLOURS[style], 2 * scale)
        if style in DASHED_STYLES:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        start = box.left() + INSET_PX * scale
        painter.drawLine(QPointF(start, y), QPointF(start + SWATCH_PX * scale, y))
        painter.setPen(QColor(220, 220, 220))
        text_x = start + (SWATCH_PX + GAP_PX) * scale
        painter.drawText(QPointF(text_x, y + metrics.ascent() / 2 - 1), text)
    painter.restore()


class LegendPixmap:
    """The screen's legend drawn once per set of styles: the view repaints on every drag event,
    and painting the legend afresh (a translucent box, eleven strokes and texts) cost ~1.4 ms of
    the 4 ms a drag event may take."""

    def __init__(self) -> None:
        self._key: tuple[Entries, float] | None = None
        self._pixmap = QPixmap()

    def get(self, entries: Entries, device_pixel_ratio: float) -> QPixmap:
        key = (entries, device_pixel_ratio)
        if key != self._key:
            width, height = legend_size(entries, 1.0)
            pixmap = QPixmap(round(width * device_pixel_ratio), round(height * device_pixel_ratio))
            pixmap.setDevicePixelRatio(device_pixel_ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            paint_legend(painter, QRectF(0, 0, width, height), entries, 1.0)
            painter.end()
            self._key, self._pixmap = key, pixmap
        return self._pixmap
