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
    action.setToolTip(tooltip_text(action))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def tooltip_text(action: QAction) -> str:
    """"Fit to window (F)": what the action does and its key, for toolbar buttons and menus."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
    keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
    keys = [k for k in keys if k]
    return f"{text} ({', '.join(keys)})" if keys else text
