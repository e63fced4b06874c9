"""A status bar whose message ends in "…" before the permanent indicators ("pre-op", "PLANNED",
window/level, scale) instead of being cut off at them, where the cut text read as if it ran on
under the indicator ("…place the|pre-op"). The whole message is the bar's tooltip."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QStatusBar, QStyle, QStyleOption, QWidget

MESSAGE_LEFT = 6  # QStatusBar's own margins around a message (qstatusbar.cpp messageRect)
MESSAGE_RIGHT_GAP = 12
INDICATOR_GAP = 8  # clear space between the "…" and the first indicator


class ElidingStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []
        self.messageChanged.connect(self._message_changed)

    def addPermanentWidget(self, widget: QWidget, /, stretch: int | None = 0) -> None:
        self._permanent.append(widget)
        super().addPermanentWidget(widget, stretch or 0)

    def message_rect(self) -> QRect:
        """Where the message may be drawn: up to the first visible indicator."""
        right = self.width() - MESSAGE_RIGHT_GAP
        visible = [w.x() for w in self._permanent if w.isVisible() and w.width() > 0]
        if visible:
            right = min(right, min(visible) - INDICATOR_GAP)
        return QRect(MESSAGE_LEFT, 0, max(right - MESSAGE_LEFT, 0), self.height())

    def shown_message(self) -> str:
        """The message as drawn: whole if it fits, else cut with "…" before the indicators."""
        return self._elided(self.message_rect().width())

    def _elided(self, width: int) -> str:
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.TextElideMode.ElideRight, width)

    def _message_changed(self, message: str) -> None:
        self.setToolTip(message)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        # What QStatusBar draws while a message shows (the indicators' frames, then the message),
        # with the message elided to its room. Only what the exposed rectangle touches, as
        # QStatusBar does: the cursor indicator changes on every move of a drag, and its repaint
        # exposes just its own strip, far from the message (eliding the message and drawing it
        # clipped away cost ~0.25 ms of each drag event).
        exposed = event.rect()
        frames = [
            (widget, frame)
            for widget, frame in ((w, w.geometry().adjusted(-2, -1, 2, 1)) for w in self._permanent)
            if widget.isVisible() and frame.intersects(exposed)
        ]
        message_rect = self.message_rect()
        with_message = message_rect.intersects(exposed)
        if not frames and not with_message:
            return
        painter = QPainter(self)
        for widget, frame in frames:
            option = QStyleOption()
            option.rect = frame
            option.palette = self.palette()
            option.state = QStyle.StateFlag.State_None
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, option, painter, widget)
        if with_message:
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                message_rect,
                Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine,
                self._elided(message_rect.width()),
            )
        painter.end()
