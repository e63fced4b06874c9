"""Review 2 B1: practice mode on a 1366×768 screen. While the resident places landmarks the
Landmarks wizard shows its instruction and its Back/Skip buttons (not a 90 px sliver above the
score); once there is a score, the score gets the room."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QDockWidget, QScrollArea, QWidget

from alignment_planner.teaching.cases import find_cases


@pytest.fixture(autouse=True)
def _practice_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNMENT_PLANNER_PRACTICE_DIR", str(tmp_path / "attempts"))
    monkeypatch.setenv("ALIGNMENT_PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "attempts"


def _in_view(widget: QWidget) -> bool:
    """``widget`` is shown whole: inside the viewport of its scroll area and inside its dock."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    rect = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            viewport = parent.viewport()
            if not QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size()).contains(rect):
                return False
        if isinstance(parent, QDockWidget):
            return QRect(parent.mapToGlobal(QPoint(0, 0)), parent.size()).contains(rect)
        parent = parent.parentWidget()
    return True


def test_the_wizard_is_readable_while_placing_at_1366(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.height() <= 768)
    case = next(c for c in find_cases() if c.id == "flatback_pso")
    assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: window.scene.image_item is not None and not window.status.busy.isVisible(), timeout=20000)
    for _ in range(5):  # the docks are given their room after the window has laid itself out
        QApplication.processEvents()
    qtbot.wait(50)
    wizard = window.wizard
    assert window.task_tabs.currentWidget().isAncestorOf(wizard)
    assert wizard.instruction.text()
    for widget in (wizard.title, wizard.instruction, wizard.back_button, wizard.skip_button):
        assert _in_view(widget), f"{widget.objectName() or type(widget).__name__} is clipped while placing"
    # The practice panel still shows its buttons and what to do.
    for widget in (window.practice_panel.check_button, window.practice_panel.end_button):
        assert _in_view(widget)
    tasks_before = window.tasks_dock.height()
    practice_before = window.practice_dock.height()

    # Scored: the score takes the room the wizard no longer needs.
    session = window.practice.session
    assert session is not None
    for level, vertebra in session.expert.landmarks.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            point = vertebra.point(name)
            if point is not None:
                window.controller.set_point_pixels(f"{level}.{name}", point)
    window.practice_panel.check_button.click()
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(50)
    assert window.practice_dock.height() > practice_before
    assert window.tasks_dock.height() < tasks_before
    assert _in_view(window.practice_panel.table)
