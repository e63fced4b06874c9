"""Colour themes: dark by default (films are read in a dim room, and a bright frame around a black
film dazzles), light on request (View → Light theme). Fusion style, so both look the same on
every platform."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_DARK = {
    Role.Window: QColor(37, 38, 41),
    Role.WindowText: QColor(222, 222, 222),
    Role.Base: QColor(27, 28, 30),
    Role.AlternateBase: QColor(44, 45, 49),
    Role.ToolTipBase: QColor(50, 50, 54),
    Role.ToolTipText: QColor(235, 235, 235),
    Role.PlaceholderText: QColor(130, 130, 130),
    Role.Text: QColor(222, 222, 222),
    Role.Button: QColor(50, 51, 55),
    Role.ButtonText: QColor(222, 222, 222),
    Role.BrightText: QColor(255, 90, 90),
    Role.Link: QColor(90, 170, 255),
    Role.Highlight: QColor(46, 104, 170),
    Role.HighlightedText: QColor(255, 255, 255),
    Role.Light: QColor(70, 71, 76),
    Role.Midlight: QColor(58, 59, 63),
    Role.Mid: QColor(45, 46, 50),
    Role.Dark: QColor(22, 22, 24),
    Role.Shadow: QColor(0, 0, 0),
}
_DISABLED = {
    Role.WindowText: QColor(120, 120, 120),
    Role.Text: QColor(120, 120, 120),
    Role.ButtonText: QColor(120, 120, 120),
}

THEMES = ("dark", "light")


def apply_theme(theme: str) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.setStyle("Fusion")
    if theme == "light":
        palette = app.style().standardPalette()
    else:
        palette = QPalette()
        for role, colour in _DARK.items():
            palette.setColor(role, colour)
        for role, colour in _DISABLED.items():
            palette.setColor(Group.Disabled, role, colour)
    app.setPalette(palette)
