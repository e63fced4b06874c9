"""The overlay's colours (one per drawing style, scene/primitives.py ``Style``, and per kind of
handle), its label font and handle size, shared by the painters and the legend."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

HANDLE_RADIUS = 4.5  # device pixels at label scale 1

STYLE_COLOURS: dict[str, QColor] = {
    "body": QColor(190, 160, 20),  # opaque: blending a long translucent outline costs on a drag
    "endplate": QColor(255, 214, 0),
    "construction": QColor(80, 200, 255),
    "cobb": QColor(255, 140, 0),
    "plumb": QColor(255, 90, 90),
    "pelvis": QColor(0, 225, 140),
    "hip": QColor(0, 225, 140),
    "angle": QColor(80, 200, 255),
    "osteotomy": QColor(255, 80, 200),
    "wedge": QColor(255, 80, 200),
    "fusion": QColor(190, 160, 255),
    "annotation": QColor(150, 255, 90),
    "procedure": QColor(110, 235, 225),
}
HANDLE_COLOURS = {
    "femoral_heads": QColor(0, 225, 140),
    "center": QColor(255, 140, 0),
    "osteotomy": QColor(255, 80, 200),
    "annotation": QColor(150, 255, 90),
}
HANDLE_DEFAULT = QColor(255, 214, 0)


def label_font(scale: float) -> QFont:
    """The overlay's labels: bold, 12 px on screen, ``scale`` times that in exports."""
    font = QFont()
    font.setPixelSize(max(9, round(12 * scale)))
    font.setBold(True)
    return font
