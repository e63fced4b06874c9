"""The colours of a judgement in every table (measurements against a target, a suggestion against
its goals, planned against achieved, the resident against the expert): one definition.

A fill is deep enough that text on it reads in the dark and the light theme alike, and the text
colour is not the theme's: it is chosen for each fill as the one of near-black and near-white
with the higher WCAG 2 contrast ratio (≥ 4.5:1 for every fill, tested), so no cell shows pale
text on a pale fill whatever the theme."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidgetItem

JUDGEMENT_FILLS: dict[str, QColor] = {
    "within": QColor(34, 96, 50),
    "borderline": QColor(120, 96, 16),
    "outside": QColor(130, 36, 36),
    "not measurable": QColor(80, 80, 84),
}
"""A practice grade "good" is "within" here (within inter-observer variability)."""
GRADE_TO_JUDGEMENT = {"good": "within", "borderline": "borderline", "outside": "outside",
                      "not measurable": "not measurable"}
_DARK_INK = QColor(16, 16, 16)
_LIGHT_INK = QColor(245, 245, 245)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_for(fill: QColor) -> QColor:
    """The text colour that reads best on ``fill``."""
    return max((_LIGHT_INK, _DARK_INK), key=lambda ink: contrast_ratio(ink, fill))


def paint_judgement(item: QTableWidgetItem, judgement: str | None) -> None:
    """Colour a cell by a judgement (None: the table's own colours)."""
    if judgement is None:
        item.setBackground(QBrush())
        item.setForeground(QBrush())
        return
    fill = JUDGEMENT_FILLS[GRADE_TO_JUDGEMENT.get(judgement, judgement)]
    item.setBackground(QBrush(fill))
    item.setForeground(QBrush(ink_for(fill)))
