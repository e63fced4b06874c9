"""The eliding status bar repaints only what is exposed (the cursor indicator changes on every move
of a drag). What is on screen must still be what a full paint draws: the message after a drag,
and a new message as soon as it is shown."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage, QRegion
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLE_PLAN, drag, open_and_wait, viewport_point

PROMPT = "Saved /a/plan/somewhere.plan.json"
LONG = "A long message " + "that goes on and on " * 20


def _on_screen(window, rect: QRect) -> QImage:  # type: ignore[no-untyped-def]
    """The bar's pixels as they are in the window's backing store (what the user sees)."""
    bar = window.statusBar()
    corner = bar.mapTo(window, rect.topLeft())
    shot = window.screen().grabWindow(window.winId(), corner.x(), corner.y(), rect.width(), rect.height())
    return shot.toImage().convertToFormat(QImage.Format.Format_RGB32)


def _full_paint(window, rect: QRect) -> QImage:  # type: ignore[no-untyped-def]
    """The same pixels from a paint of the whole bar."""
    return window.statusBar().grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)


def _whole(window) -> QRect:  # type: ignore[no-untyped-def]
    return window.statusBar().rect()


def test_after_a_drag_and_each_new_message_the_bar_shows_what_a_full_paint_draws(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    bar = window.statusBar()
    window.messages.status(PROMPT)
    QApplication.processEvents()
    # The message's own ink (the room up to the indicators shrinks once the cursor shows).
    message = QRect(0, 0, bar.fontMetrics().horizontalAdvance(PROMPT) + 12, bar.height())
    assert message.right() < bar.message_rect().right()
    shown_before = _on_screen(window, message)

    # A landmark dragged with real mouse events: the cursor indicator changes on every move.
    handle = next(h for h in window.controller.overlay.handles if h.key == "L4.ant_sup")
    start = viewport_point(window, handle.position)
    drag(window, start, start + QPoint(12, 9), Qt.MouseButton.LeftButton, steps=10)
    QApplication.processEvents()
    assert window.status.cursor.text()
    assert _on_screen(window, _whole(window)) == _full_paint(window, _whole(window))
    assert _on_screen(window, message) == shown_before, "the message is still there after the drag"

    window.messages.status(LONG)  # a new message: shown at once, elided before the indicators
    QApplication.processEvents()
    assert bar.shown_message().endswith("…")
    assert _on_screen(window, _whole(window)) == _full_paint(window, _whole(window))
    assert _on_screen(window, message) != shown_before

    window.messages.status(PROMPT)  # and back: the first message's pixels again
    QApplication.processEvents()
    assert _on_screen(window, message) == shown_before


def test_a_repaint_of_one_indicator_or_of_the_message_draws_what_a_full_paint_does(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    bar = window.statusBar()
    window.messages.status(LONG)
    window.status.cursor.setText("x 1520  y 4410 px   zoom 9 %")
    QApplication.processEvents()
    full = QImage(bar.size(), QImage.Format.Format_RGB32)
    full.fill(0)
    bar.render(full)
    for exposed in (window.status.cursor.geometry(), bar.message_rect(), window.status.stage.geometry()):
        partial = QImage(bar.size(), QImage.Format.Format_RGB32)
        partial.fill(0)
        bar.render(partial, exposed.topLeft(), QRegion(exposed))  # drawn where it is
        assert partial.copy(exposed) == full.copy(exposed), exposed
