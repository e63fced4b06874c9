"""Icons for the drawing tools, painted at run time (nothing to ship or download): each shows
what the tool draws, in the colour the measurements are drawn in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

SIZE = 32
INK = QColor(40, 120, 20)


def _distance(p: QPainter) -> None:
    p.drawLine(QLineF(6, 26, 26, 6))
    p.drawLine(QLineF(3, 23, 9, 29))
    p.drawLine(QLineF(23, 3, 29, 9))


def _angle(p: QPainter) -> None:
    p.drawLine(QLineF(5, 27, 28, 27))
    p.drawLine(QLineF(5, 27, 22, 6))
    p.drawArc(QRectF(-5, 17, 20, 20), 0, 51 * 16)


def _cobb(p: QPainter) -> None:
    p.drawLine(QLineF(3, 8, 29, 4))
    p.drawLine(QLineF(3, 20, 29, 28))


def _vertical(p: QPainter) -> None:
    p.drawLine(QLineF(20, 3, 20, 29))
    p.drawLine(QLineF(6, 24, 20, 24))
    p.drawEllipse(QPointF(6, 24), 2, 2)


def _horizontal(p: QPainter) -> None:
    p.drawLine(QLineF(3, 12, 29, 12))
    p.drawLine(QLineF(24, 12, 24, 26))
    p.drawEllipse(QPointF(24, 26), 2, 2)


def _text(p: QPainter) -> None:
    font = QFont()
    font.setPixelSize(24)
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(0, 0, SIZE, SIZE), Qt.AlignmentFlag.AlignCenter, "T")


def _arrow(p: QPainter) -> None:
    p.drawLine(QLineF(5, 27, 26, 6))
    p.drawLine(QLineF(26, 6, 17, 8))
    p.drawLine(QLineF(26, 6, 24, 15))


_DRAW: dict[str, Callable[[QPainter], None]] = {
    "distance": _distance, "angle": _angle, "cobb": _cobb, "vertical": _vertical,
    "horizontal": _horizontal, "text": _text, "arrow": _arrow,
}


def tool_icon(kind: str) -> QIcon:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(INK, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    _DRAW[kind](painter)
    painter.end()
    return QIcon(pixmap)
