"""The overlay's colours (one per drawing style, scene/primitives.py ``Style``, and per kind of
handle), its label font and handle size, shared by the painters and the legend.

Every style the legend names has a colour of its own (pairwise CIE76 ΔE ≥ 30, tested), so a line
is identified by colour alone; the dashed styles differ in pattern too. The film is drawn on black
in the dark and the light theme alike, so one set serves both."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

HANDLE_RADIUS = 4.5  # device pixels at label scale 1

STYLE_COLOURS: dict[str, QColor] = {
    "body": QColor(214, 178, 110),  # opaque: blending a long translucent outline costs on a drag
    "endplate": QColor(255, 230, 0),
    "construction": QColor(190, 190, 190),
    "cobb": QColor(255, 140, 0),
    "plumb": QColor(255, 70, 70),
    "pelvis": QColor(0, 225, 140),
    "hip": QColor(150, 255, 60),
    "angle": QColor(60, 170, 255),
    "osteotomy": QColor(255, 60, 200),
    "wedge": QColor(170, 100, 255),
    "fusion": QColor(255, 180, 220),
    "annotation": QColor(150, 255, 90),
    "procedure": QColor(110, 235, 225),
    "registered": QColor(0, 240, 255),  # a follow-up window's planned spine, registered on S1
}
DASHED_STYLES = frozenset({"construction", "registered"})
"""Styles drawn dashed, on the film and in the legend."""
PLANNED_SPINE_STYLE = "registered"
PLANNED_SPINE_COLOUR = STYLE_COLOURS[PLANNED_SPINE_STYLE]
PLANNED_SPINE_MEANING = "planned spine, registered on S1 (dashed)"
HANDLE_COLOURS = {
    "femoral_heads": STYLE_COLOURS["hip"],
    "center": STYLE_COLOURS["cobb"],
    "osteotomy": STYLE_COLOURS["osteotomy"],
    "annotation": STYLE_COLOURS["annotation"],
}
HANDLE_DEFAULT = STYLE_COLOURS["endplate"]


def label_font(scale: float) -> QFont:
    """The overlay's labels: bold, 12 px on screen, ``scale`` times that in exports."""
    font = QFont()
    font.setPixelSize(max(9, round(12 * scale)))
    font.setBold(True)
    return font
