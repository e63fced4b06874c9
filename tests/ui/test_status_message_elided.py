"""A long status message ends in "…" before the permanent indicators instead of being cut off at
"pre-op" (second review N7: "…place the|pre-op")."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui

LONG = (
    "PSO at L4 needs L4 posterior-inferior corner, L4 anterior-inferior corner, L5 posterior-superior "
    "corner and L5 anterior-superior corner: place them on the pre-op film, then it is simulated and "
    "the planned values, the wedge and its closure are shown in the table and on the film"
)


def _strip(window, left: int, right: int) -> list[int]:  # type: ignore[no-untyped-def]
    """The pixels of the status bar between two x positions (its middle rows)."""
    image = window.statusBar().grab().toImage()
    rows = range(image.height() // 4, 3 * image.height() // 4)
    return [image.pixel(x, y) for x in range(left, right) for y in rows]


def test_a_long_message_ends_in_an_ellipsis_before_the_indicators(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    bar, stage = window.statusBar(), window.status.stage
    window.messages.status("")
    QApplication.processEvents()
    gap = (stage.x() - 8, stage.x() - 1)  # the room just before "pre-op"
    blank = _strip(window, *gap)

    window.messages.status("M" * 400)  # ink everywhere it is drawn
    QApplication.processEvents()
    assert _strip(window, *gap) == blank, "the message runs up to the indicator"

    window.messages.status(LONG)
    QApplication.processEvents()
    assert bar.currentMessage() == LONG  # the message itself is whole (tests and scripts read it)
    shown = bar.shown_message()
    assert shown.endswith("…") and LONG.startswith(shown[:-1].rstrip())
    assert bar.fontMetrics().horizontalAdvance(shown) < stage.x()
    assert bar.toolTip() == LONG

    window.messages.status("Saved")  # a short one is drawn whole
    QApplication.processEvents()
    assert bar.shown_message() == "Saved"
