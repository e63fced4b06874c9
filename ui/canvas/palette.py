"""The overlay's colours: one per drawing style (scene/primitives.py ``Style``) and per kind of
handle, shared by the painters and the legend."""

from __future__ import annotations

from PySide6.QtGui import QColor

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
