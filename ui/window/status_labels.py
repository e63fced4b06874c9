"""The permanent widgets of the status bar: stage, cursor, window/level, scale, and a busy bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar


class StatusLabels:
    def __init__(self, bar: QStatusBar) -> None:
        self.stage = QLabel("pre-op")
        self.cursor = QLabel()
        self.window_level = QLabel()
        self.scale = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        for widget in (self.stage, self.cursor, self.window_level, self.scale, self.busy):
            bar.addPermanentWidget(widget)
