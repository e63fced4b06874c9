"""Guard against a Qt binding that corrupts reference counts (PySide6 6.12.0 on Python < 3.12)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPen


def test_void_qt_calls_keep_none_alive() -> None:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    pen = QPen(QColor(1, 2, 3), 1.5)
    before = sys.getrefcount(None)
    for _ in range(200):
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawLine(QPointF(0, 0), QPointF(5, 5))
    painter.end()
    # A correct binding leaves None's count where it was; 6.12.0 loses one reference per call.
    assert sys.getrefcount(None) - before > -50, "this PySide6 build leaks references to None"
