"""Bugs a surgeon met in the planned view and the wizard (issue 14, "Bugs seen"), each pinned."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Osteotomy
from tests.ui.conftest import SAMPLE_PLAN, click, open_and_wait, viewport_point
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui

IMAGE = SAMPLE_PLAN.parent / "image.dcm"


def _settle() -> None:
    for _ in range(6):
        QApplication.processEvents()


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())  # type: ignore[call-overload]
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].copy()


def _screen_matches_an_uncached_drawing(window: MainWindow) -> float:
    """The fraction of viewport pixels where what is on screen differs from the same scene drawn
    without any item cache (what must be there)."""
    gap = window.scene.gap_item  # its hatching's phase depends on caching; it is not overlay
    hatched = gap.isVisible()
    gap.hide()
    _settle()
    on_screen = _pixels(window.view.viewport().grab().toImage())
    items = window.scene.items()
    modes = [item.cacheMode() for item in items]
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    window.view.viewport().update()
    _settle()
    truth = _pixels(window.view.viewport().grab().toImage())
    for item, mode in zip(items, modes, strict=True):
        item.setCacheMode(mode)
    gap.setVisible(hatched)
    differs = np.abs(on_screen.astype(int) - truth.astype(int)).max(axis=2) > 40
    return float(differs.mean())


def _place_sample_points(window: MainWindow) -> None:
    plan = read_plan(SAMPLE_PLAN)
    c = window.controller
    for i, head in enumerate(plan.landmarks.femoral_heads):
        c.set_point_pixels(f"femoral_heads.{i}", head.center)
        c.end_gesture()
        _settle()
    for level, vertebra in plan.landmarks.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf", "center"):
            point = vertebra.point(name)
            if point is not None:
                c.set_point_pixels(f"{level}.{name}", point)
                c.end_gesture()
        _settle()


SEQUENCES = [
    ("place", "cut", "planned", "zoom"),
    ("place", "cut", "planned"),
    ("place", "planned", "cut", "preop", "planned"),
    ("place", "cut", "zoom", "planned", "zoom"),
]


@pytest.mark.parametrize("sequence", SEQUENCES, ids=["-".join(s) for s in SEQUENCES])
def test_the_overlay_on_screen_is_where_the_simulation_puts_it(qtbot, make_window, sequence) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, IMAGE)
    window.view.fit()
    for step in sequence:
        if step == "place":
            _place_sample_points(window)
        elif step == "cut":
            assert window.controller.add_osteotomy(Osteotomy("PSO", "L3", 30.0))
        elif step == "planned":
            window.controller.set_stage("postop")
        elif step == "preop":
            window.controller.set_stage("preop")
        else:
            window.view.zoom_by(1.3)
        assert _screen_matches_an_uncached_drawing(window) < 0.002, f"stale overlay after {step}"


def test_fit_shows_the_film_whatever_the_overlay_draws(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, IMAGE)
    window.view.fit()
    bare = window.view.zoom
    _place_sample_points(window)
    window.view.fit()
    assert window.view.zoom == pytest.approx(bare, rel=0.01)
    assert window.controller.add_osteotomy(Osteotomy("PSO", "L3", 40.0))
    window.controller.set_stage("postop")
    window.view.fit()
    window.controller.set_stage("preop")
    window.view.fit()
    assert window.view.zoom == pytest.approx(bare, rel=0.01), "back to pre-op, F leaves the film small"


def test_undo_moves_the_wizard_back_to_the_undone_point(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, IMAGE)
    window.view.fit()
    wizard, c = window.wizard, window.controller
    # The first vertebral corner (a femoral head is fitted from rim clicks or placed after the
    # first one).
    row = next(i for i, s in enumerate(wizard.steps) if s.clicks == 1 and s.level != "femoral_heads")
    wizard.steps_list.step_chosen.emit(row)  # as a click on that step in the list
    first = wizard.current
    assert first is not None and first == wizard.steps[row]
    spot = viewport_point(window, (400.0, 1200.0))
    click(window, spot)
    assert c.pixel_of(first.key) is not None and wizard.current != first
    window.edit.undo_action.trigger()  # Ctrl+Z
    assert c.pixel_of(first.key) is None
    assert wizard.current == first, "after Ctrl+Z the wizard must ask for the undone point again"
    click(window, spot)
    assert c.pixel_of(first.key) is not None
    second = wizard.steps[wizard.steps.index(first) + 1]
    assert c.pixel_of(second.key) is None, f"the click was stored as {second.key}"


def test_a_successful_solve_replaces_an_unreachable_message(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    c = window.controller
    assert c.plan.osteotomies
    c.solve_osteotomy(0, "SVA", -900.0)
    assert "cannot be reached" in window.statusBar().currentMessage()
    solution = c.solve_osteotomy(0, "SVA", 20.0)
    assert solution is not None and solution.reached
    message = window.statusBar().currentMessage()
    assert "cannot be reached" not in message
    assert "SVA 20.0 mm" in message and f"{solution.osteotomy.angle_deg:.1f}°" in message

