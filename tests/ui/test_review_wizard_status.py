"""Review findings A7, C6 and D (2026-11-30): an opened plan does not leave the wizard armed, the
planned film never takes a landmark click, prompts do not outlive what they asked for, and the
wizard asks for nothing before a film is open."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from tests.ui.conftest import SAMPLE_PLAN, click, open_and_wait, viewport_point

pytestmark = pytest.mark.gui


def _film_centre(window):  # type: ignore[no-untyped-def]
    rect = window.scene.film_rect()
    return viewport_point(window, (rect.center().x(), rect.center().y()))


def test_no_film_open_asks_to_open_one(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.wizard.current is None
    assert window.wizard.title.text() == "Open a film to start"
    assert "Femoral head" not in window.wizard.title.text()
    assert not window.statusBar().currentMessage().startswith("Click:")


def test_an_opened_complete_plan_is_not_armed_and_a_stray_click_adds_nothing(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    assert window.wizard.current is None
    assert not window.landmarking.wants_click()
    assert window.wizard.title.text().startswith("Plan complete")
    assert "L1 body centre" in window.wizard.instruction.text()  # offered, not demanded
    assert window.wizard.optional_button.isVisible()
    assert not window.statusBar().currentMessage().startswith("Click:")
    before = window.controller.plan.landmarks
    click(window, _film_centre(window))
    QApplication.processEvents()
    assert window.controller.plan.landmarks == before
    # The optional points are there for the asking.
    window.wizard.optional_button.click()
    assert window.wizard.current is not None and window.landmarking.wants_click()
    assert window.statusBar().currentMessage() == f"Click: {window.wizard.current.title}"


def test_an_incomplete_plan_still_asks_for_its_first_missing_point(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(SAMPLE_PLAN)
    vertebrae = {k: v for k, v in plan.landmarks.vertebrae.items() if k != "S1"}
    partial = replace(plan, landmarks=replace(plan.landmarks, vertebrae=vertebrae))
    path = tmp_path / "partial.plan.json"
    image = plan.image
    assert image is not None and image.path is not None
    write_plan(replace(partial, image=replace(image, path=str(SAMPLE_PLAN.parent / image.path))), path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    assert window.wizard.current is not None and window.wizard.current.level == "S1"
    assert window.landmarking.wants_click()


def test_the_planned_film_never_takes_a_landmark_click(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.wizard.optional_button.click()  # armed on the pre-op film
    assert window.statusBar().currentMessage().startswith("Click:")
    window.viewing.planned_action.trigger()
    assert window.controller.stage == "postop"
    assert not window.landmarking.wants_click()
    assert not window.statusBar().currentMessage().startswith("Click:")
    before = window.controller.plan.landmarks
    click(window, _film_centre(window))
    QApplication.processEvents()
    assert window.controller.plan.landmarks == before
    window.viewing.planned_action.trigger()  # back on the pre-op film, the prompt returns
    assert window.statusBar().currentMessage().startswith("Click:")


def test_the_prompt_goes_once_every_point_is_placed(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.wizard.optional_button.click()
    assert window.statusBar().currentMessage().startswith("Click:")
    truth = window.controller.plan.landmarks
    while (step := window.wizard.current) is not None:  # the optional centres, clicked
        corners = [truth.point(step.level, c) for c in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
        known = [p for p in corners if p is not None] or [(1000.0, 1000.0)]
        at = (sum(p[0] for p in known) / len(known), sum(p[1] for p in known) / len(known))
        click(window, viewport_point(window, window.controller.geometry.to_display(at)))
    assert window.wizard.title.text() == "All points of this scope are placed"
    assert not window.statusBar().currentMessage().startswith("Click:")


def test_after_the_corners_a_cut_asked_for_nothing_more_is_asked(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """C6/A7: once the corners an osteotomy needed are placed on a complete plan, the wizard does
    not go on to demand the optional points, and the corner prompt does not stay."""
    plan = read_plan(SAMPLE_PLAN)
    truth = plan.landmarks
    vertebrae = {k: v for k, v in truth.vertebrae.items() if k != "L2"}
    image = plan.image
    assert image is not None and image.path is not None
    lacking = replace(plan, landmarks=replace(truth, vertebrae=vertebrae),
                      image=replace(image, path=str(SAMPLE_PLAN.parent / image.path)))
    path = tmp_path / "no_l2.plan.json"
    write_plan(lacking, path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    assert window.wizard.current is None
    panel = window.osteotomies
    panel.type_box.setCurrentIndex(panel.type_box.findData("PSO"))
    panel.level_box.setCurrentText("L2")
    panel.add_button.click()
    assert window.wizard.on_demand
    while (step := window.wizard.current) is not None and window.wizard.on_demand:
        point = truth.point(step.level, step.point)
        assert point is not None
        click(window, viewport_point(window, window.controller.geometry.to_display(point)))
    assert any(o.level == "L2" for o in window.controller.plan.osteotomies)
    assert window.wizard.current is None and not window.landmarking.wants_click()
    assert not window.statusBar().currentMessage().startswith("Click:")
