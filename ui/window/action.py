"""One way to make a menu action, shared by the window's action groups."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Shortcut = QKeySequence | QKeySequence.StandardKey | str | Sequence[QKeySequence]


def make_action(
    parent: QWidget,
    text: str,
    slot: Callable[[], object],
    shortcut: Shortcut | None = None,
    checkable: bool = False,
) -> QAction:
    """An action owned by the window (so that its shortcut works wherever the focus is in it)
    that calls ``slot`` without the ``checked`` argument."""
    action = QAction(text, parent)
    if shortcut is not None:
        if isinstance(shortcut, (QKeySequence, QKeySequence.StandardKey, str)):
            action.setShortcuts([QKeySequence(shortcut)])
        else:
            action.setShortcuts(list(shortcut))
    action.setCheckable(checkable)
    action.triggered.connect(lambda _checked=False: slot())
    return action
