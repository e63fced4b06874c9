"""Landmarking a case in 30 clicks, driven like a user (issue 17): the Standard scope walked with real
clicks, head circles, the corner assist and its Undo, the wizard following Undo/Redo, Enter/Space,
corners on demand for an osteotomy, the grouped step list, and practice with every scope."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication

from alignment_planner.anatomy.landmarking import Step, click_count
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.measurements.guide import CONTRACT_KEYS, steps_for
from alignment_planner.plan.model import ImageRef, Plan
from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner.synthetic.phantom import render_phantom
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from alignment_planner.teaching.cases import find_cases
from tests.ui.conftest import click, open_and_wait, send_mouse, viewport_point

pytestmark = pytest.mark.gui

MM = 0.5
HEAD_PX = 24.0 / MM  # the phantom draws 24 mm femoral heads
CORNERS = ("ant_sup", "post_sup", "post_inf", "ant_inf")


def _film(tmp_path: Path) -> tuple[Path, Landmarks]:
    spacing = PixelSpacing.isotropic(MM)
    truth = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(470.0, 1800.0))
    pixels = render_phantom(truth, (900, 2100), spacing, seed=3).pixels
    path = tmp_path / "film.dcm"
    write_dicom(path, pixels, PixelSpacing=[MM, MM], BitsStored=12)
    return path, truth


def _target(truth: Landmarks, step: Step) -> tuple[float, float]:
    if step.is_head:
        return truth.femoral_heads[int(step.point)].center
    point = truth.point(step.level, step.point)
    if point is None:  # a body centre: where the diagonals of the true corners cross (≈ their mean)
        corners = [truth.point(step.level, c) for c in CORNERS]
        return (sum(p[0] for p in corners) / 4, sum(p[1] for p in corners) / 4)  # type: ignore[index]
    return point


def _click_at(window, pixel: tuple[float, float]) -> None:  # type: ignore[no-untyped-def]
    click(window, viewport_point(window, window.controller.geometry.to_display(pixel)))


def _rim_clicks(window, centre: tuple[float, float], radius: float) -> int:  # type: ignore[no-untyped-def]
    for angle in (200.0, 270.0, 340.0):
        a = math.radians(angle)
        _click_at(window, (centre[0] + radius * math.cos(a), centre[1] - radius * math.sin(a)))
    return 3


def _walk(window, truth: Landmarks) -> int:  # type: ignore[no-untyped-def]
    """Click every step of the wizard where the truth is; returns the number of clicks made."""
    clicks = 0
    while (step := window.wizard.current) is not None:
        if step.is_head and step.clicks == 3:
            clicks += _rim_clicks(window, _target(truth, step), HEAD_PX)
        else:
            _click_at(window, _target(truth, step))
            clicks += 1
        assert clicks <= 200, "the wizard does not move on"
    return clicks


def _zoom_on(window, pixel: tuple[float, float]) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()  # the fit queued when the film opened runs first
    window.view.actual_size()
    window.view.zoom_by(2.0)  # 4 screen px per mm: a click lands within a tenth of a millimetre
    window.view.centerOn(QPointF(*window.controller.geometry.to_display(pixel)))
    QApplication.processEvents()


def test_standard_is_thirty_real_clicks_and_measures_every_contract_key(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    assert window.wizard.scope == "standard" and "30 clicks" in window.wizard.scope_box.currentText()
    assert _walk(window, truth) == 30
    assert window.wizard.current is None and "All points" in window.wizard.title.text()
    for key in CONTRACT_KEYS:
        assert window.measurements.value_text(key) != "—", key
    # Clicks land on whole screen pixels at fit zoom (≈ 2.5 image px); PI of the model spine is 52°.
    assert float(window.measurements.value_text("PI")) == pytest.approx(52.0, abs=3.0)
    heads = window.controller.plan.landmarks.femoral_heads
    assert heads[0].radius == pytest.approx(HEAD_PX, rel=0.1) and heads[1].radius == heads[0].radius
    assert "mm apart" in window.wizard.hips.text() and "oblique" not in window.wizard.hips.text()


def test_the_assist_moves_a_click_once_and_undo_puts_it_back_where_clicked(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    _rim_clicks(window, truth.femoral_heads[0].center, HEAD_PX)
    _click_at(window, truth.femoral_heads[1].center)  # the hips say which way the patient faces
    for name in ("post_sup", "ant_sup"):
        _click_at(window, truth.point("S1", name))  # type: ignore[arg-type]
    _click_at(window, truth.point("L4", "post_sup"))  # type: ignore[arg-type]
    assert window.wizard.current.key == "L4.ant_sup"
    true = truth.point("L4", "ant_sup")
    assert true is not None
    _zoom_on(window, true)
    clicked = (true[0] - 4.0, true[1] - 3.0)  # 2.5 mm off
    _click_at(window, clicked)
    c = window.controller
    label = c.history.undo_label
    placed = c.plan.landmarks.point("L4", "ant_sup")
    assert label is not None and label.startswith("Corner assist L4 anterior-superior corner")
    assert math.dist(placed, true) * MM < 1.0  # type: ignore[arg-type]
    assert window.scene.click_marks.trail is not None  # the move is shown
    assert window.wizard.current.key == "L2.post_inf"
    window.edit.undo_action.trigger()  # back to the click as made: the wizard stays
    as_clicked = c.plan.landmarks.point("L4", "ant_sup")
    assert math.dist(as_clicked, clicked) < 0.5  # type: ignore[arg-type]
    assert window.wizard.current.key == "L2.post_inf"
    window.edit.undo_action.trigger()  # the placement itself: the wizard goes back to it
    assert c.plan.landmarks.point("L4", "ant_sup") is None
    assert window.wizard.current.key == "L4.ant_sup"
    window.edit.redo_action.trigger()
    assert window.wizard.current.key == "L2.post_inf"
    # Off by a setting: the next click stays where it is made, and the setting is remembered.
    window.wizard.assist.setChecked(False)
    assert not window.settings.corner_assist(practice=False)
    corner = truth.point("L2", "post_inf")
    _zoom_on(window, corner)  # type: ignore[arg-type]
    _click_at(window, (corner[0] + 4.0, corner[1] + 3.0))  # type: ignore[index]
    assert c.history.undo_label == "Place L2 posterior-inferior corner"


def test_enter_and_space_skip_and_the_list_is_grouped_by_vertebra(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, _truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    window.wizard.set_scope("full")
    tree = window.wizard.steps_list
    assert tree.group_count() == 25  # heads, S1 and 23 vertebrae: not 96 rows
    assert tree.expanded_levels() == ["femoral_heads"]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    assert window.wizard.current.key == "femoral_heads.1"
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert window.wizard.current.key == "S1.post_sup"
    assert tree.expanded_levels() == ["S1"]
    window.wizard.back()
    window.wizard.back()
    assert window.wizard.current.key == "femoral_heads.0"


def test_a_drag_along_the_rim_fits_a_head_and_far_apart_heads_warn(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    centre = truth.femoral_heads[0].center
    arc = [(centre[0] + HEAD_PX * math.cos(math.radians(a)), centre[1] - HEAD_PX * math.sin(math.radians(a)))
           for a in range(160, 390, 10)]
    points = [viewport_point(window, window.controller.geometry.to_display(p)) for p in arc]
    send_mouse(window, QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
    for at in points[1:]:
        send_mouse(window, QEvent.Type.MouseMove, at, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
    send_mouse(window, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    heads = window.controller.plan.landmarks.femoral_heads
    assert len(heads) == 1 and math.dist(heads[0].center, centre) < 3.0
    assert heads[0].radius == pytest.approx(HEAD_PX, rel=0.08)
    assert window.wizard.current.key == "femoral_heads.1" and not window.scene.click_marks.rim
    _click_at(window, (centre[0] + 120.0, centre[1]))  # 60 mm apart: an oblique film
    assert "oblique" in window.wizard.hips.text()


def _standard_plan(tmp_path: Path, image: Path, truth: Landmarks) -> Path:
    landmarks = Landmarks()
    for step in steps_for("standard"):
        if step.is_head:
            landmarks = landmarks.with_femoral_heads((*landmarks.femoral_heads, truth.femoral_heads[int(step.point)]))
        else:
            landmarks = landmarks.with_point(step.level, step.point, _target(truth, step))
    plan = Plan(landmarks=landmarks, image=ImageRef(path=image.name, pixel_spacing=PixelSpacing.isotropic(MM)),
                facing="right")
    path = tmp_path / "standard.plan.json"
    write_plan(plan, path)
    return path


@pytest.mark.parametrize(("kind", "level", "asked", "changes"), [
    ("PSO", "L3", 4, "LL"), ("PSO", "T12", 2, "TLJ"), ("SPO", "L3-L4", 3, "LL"),
])
def test_a_cut_on_a_standard_case_asks_for_its_corners_then_simulates(  # type: ignore[no-untyped-def]
    qtbot, make_window, tmp_path, kind: str, level: str, asked: int, changes: str
) -> None:
    image, truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, _standard_plan(tmp_path, image, truth))
    assert window.wizard.current is None  # every Standard point is there
    before = window.measurements.value_text(changes, "postop")
    panel = window.osteotomies
    panel.type_box.setCurrentIndex(panel.type_box.findData(kind))
    panel.level_box.setCurrentText(level)
    panel.add_button.click()
    assert window.controller.plan.osteotomies == ()  # not simulated on invented corners
    assert window.wizard.on_demand and window.wizard.demand.isVisible()
    steps = window.wizard.steps
    assert click_count(steps) == asked and kind in window.wizard.demand.text()
    for step in steps:
        assert window.wizard.current == step
        _click_at(window, _target(truth, step))
    assert not window.wizard.on_demand and window.wizard.scope == "standard"
    (cut,) = window.controller.plan.osteotomies
    assert (cut.type, cut.level) == (kind, level)
    assert window.measurements.value_text(changes, "postop") != before


def test_cancelled_on_demand_points_add_nothing(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    image, truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, _standard_plan(tmp_path, image, truth))
    panel = window.osteotomies
    panel.type_box.setCurrentIndex(panel.type_box.findData("PSO"))
    panel.level_box.setCurrentText("L3")
    panel.add_button.click()
    window.wizard.cancel_demand.click()
    assert not window.wizard.on_demand and window.controller.plan.osteotomies == ()


@pytest.mark.parametrize("scope", ["standard", "minimal", "lumbopelvic", "full", "custom"])
def test_practice_works_with_every_scope(qtbot, make_window, tmp_path, scope: str) -> None:  # type: ignore[no-untyped-def]
    case = next(c for c in find_cases() if c.id == "normal_adult")
    window = make_window()
    with qtbot.waitSignal(window.controller.image_changed, timeout=20000):
        assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: not window.status.busy.isVisible(), timeout=20000)
    assert not window.wizard.assist.isChecked()  # practice: the resident's own clicks by default
    window.wizard.set_scope(scope)  # type: ignore[arg-type]
    if scope == "custom":
        window.wizard.choose_parameters(["TK", "SVA"])
    expert = window.practice.session.expert.landmarks
    steps = window.wizard.steps
    for step in steps:  # every asked point exactly where the expert put it
        if step.is_head:
            window.controller.set_femoral_head(int(step.point), expert.femoral_heads[int(step.point)].center, 50.0)
        else:
            window.controller.set_point_pixels(step.key, _target(expert, step))
    assert window.wizard.current is None
    score = window.practice.check_landmarks()
    assert score is not None
    scored = {e.key for e in score.landmarks}
    assert scored == {s.key for s in steps}  # what the scope asked for, nothing more
    assert all(e.error_mm == pytest.approx(0.0, abs=1e-6) for e in score.landmarks)
    wanted = {"custom": ["TK", "SVA"], "minimal": ["PI", "LL", "SVA"]}.get(scope, ["PI", "LL"])
    for key in wanted:
        assert window.practice_panel.judgement_of(key) == "within inter-observer variability", key
    window.practice.end_practice()
    assert window.wizard.assist.isChecked()  # planning's own setting again


def test_practice_scores_the_click_not_the_assisted_point(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = next(c for c in find_cases() if c.id == "normal_adult")
    window = make_window()
    with qtbot.waitSignal(window.controller.image_changed, timeout=20000):
        assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: not window.status.busy.isVisible(), timeout=20000)
    window.wizard.assist.setChecked(True)  # a resident may turn it on; the click is still scored
    expert = window.practice.session.expert.landmarks
    for i, head in enumerate(expert.femoral_heads):
        window.controller.set_femoral_head(i, head.center, 60.0)
    assert window.wizard.current.key == "S1.post_sup"
    true = expert.point("S1", "post_sup")
    _zoom_on(window, true)
    clicked = (true[0] + 5.0, true[1] - 3.0)  # type: ignore[index]
    _click_at(window, clicked)
    c = window.controller
    assert c.history.undo_label.startswith("Corner assist")
    assisted = c.plan.landmarks.point("S1", "post_sup")
    c.undo()
    as_clicked = c.plan.landmarks.point("S1", "post_sup")  # where the resident's click landed
    c.redo()
    assert math.dist(as_clicked, clicked) < 0.5  # type: ignore[arg-type]
    score = window.practice.check_landmarks()
    error = next(e for e in score.landmarks if e.key == "S1.post_sup")  # type: ignore[union-attr]
    assert error.error_mm == pytest.approx(math.dist(as_clicked, true) * 0.4)  # type: ignore[arg-type]
    assert error.error_mm != pytest.approx(math.dist(assisted, true) * 0.4)  # type: ignore[arg-type]


def test_enter_finishes_a_ball_calibration_instead_of_skipping(qtbot, make_window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    path, _truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *args, **kwargs: (25.0, True))
    window.calibration.start("ball")
    for angle in (0.0, 120.0, 240.0):  # a 25 mm ball drawn 100 px across: 0.25 mm/px
        a = math.radians(angle)
        _click_at(window, (300.0 + 50.0 * math.cos(a), 300.0 + 50.0 * math.sin(a)))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert not window.calibration.active
    assert window.wizard.current.key == "femoral_heads.0"  # the wizard did not skip
    spacing = window.controller.plan.calibration.spacing
    assert spacing is not None and spacing.column == pytest.approx(0.25, rel=0.06)


def test_a_click_on_an_unclicked_vertebra_picks_it_by_its_ghost(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    image, truth = _film(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, _standard_plan(tmp_path, image, truth))
    assert "L3" in window.scene.ghosts.polygons  # drawn, dashed, labelled "interpolated"
    assert window.controller.plan.landmarks.vertebra("L3") is None
    panel = window.osteotomies
    panel.type_box.setCurrentIndex(panel.type_box.findData("PSO"))
    panel.pick_button.click()
    _click_at(window, _target(truth, Step("L3", "center", "", "")))
    assert window.wizard.on_demand and {s.level for s in window.wizard.steps} == {"L3"}
    assert window.controller.plan.osteotomies == ()
