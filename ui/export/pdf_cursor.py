"""What every page of the PDF report shares: the cursor that walks down the page (and starts a
new one when the next block does not fit), the report's font and wrapped text."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPdfWriter

from alignment_planner.output.reader_text import for_reader

DPI = 300
GREY = QColor(90, 90, 90)


@dataclass
class DrawCursor:
    painter: QPainter
    writer: QPdfWriter
    width: float
    height: float
    y: float = 0.0

    def dots(self, mm: float) -> float:
        return mm * DPI / 25.4

    def room(self, needed: float) -> None:
        if self.y + needed > self.height:
            self.writer.newPage()
            self.y = 0.0


def font(points: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")  # carries °, ±, −, Δ; falls back through fontconfig otherwise
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def text(
    cursor: DrawCursor, text: str, points: float, *, bold: bool = False, colour: QColor | None = None
) -> None:
    text = for_reader(text)  # sources stay in the code and the registries, not on paper
    painter = cursor.painter
    painter.setFont(font(points, bold))
    painter.setPen(colour or QColor(0, 0, 0))
    flags = Qt.TextFlag.TextWordWrap
    bounds = painter.boundingRect(QRectF(0, 0, cursor.width, 10_000), int(flags), text)
    cursor.room(bounds.height())
    painter.drawText(QRectF(0, cursor.y, cursor.width, bounds.height()), int(flags), text)
    cursor.y += bounds.height() + cursor.dots(0.8)


