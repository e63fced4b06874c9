"""Planning in the GUI, driven like a user (issue 4 §5 and §7)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.plan.model import Compensation, Osteotomy
from tests.ui.conftest import SAMPLE_PLAN, click, drag, open_and_wait, viewport_point
from ui.panels.measurements import status_colour

pytestmark = pytest.mark.gui


def _fresh(qtbot, make_window):  # type: ignore[no-untyped-def]
    """The flatback sample without its PSO, pelvis fixed: a case to plan."""
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    c = window.controller
    c._show(replace(c.plan, osteotomies=(), compensation=None))
    c.history.reset(c.plan)
    return window


def test_add_a_pso_move_the_slider_and_undo(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.osteotomies, window.controller
    ll_before = float(window.measurements.value_text("LL"))
    panel.type_box.setCurrentIndex(panel.type_box.findData("PSO"))
    panel.level_box.setCurrentText("L3")
    panel.add_button.click()
    assert [(o.type, o.level, o.angle_deg) for o in c.plan.osteotomies] == [("PSO", "L3", 30.0)]
    assert float(window.measurements.value_text("LL", "postop")) == pytest.approx(ll_before + 30.0, abs=0.05)

    window.viewing.planned_action.trigger()  # the planned film: one region moves above the cut
    assert c.stage == "postop" and len(window.scene.fragment_items) == 1
    fragment = window.scene.fragment_items[0]
    first_transform = fragment.transform()

    # Drag the slider (one gesture = one undo step), with the keyboard as a user might.
    panel.slider.setFocus()
    panel.slider.sliderPressed.emit()
    assert window.scene.overlay_item.fast and fragment.fast  # preview quality while dragging
    for _ in range(50):  # 50 × 0.1° = +5°
        QTest.keyClick(panel.slider, Qt.Key.Key_Right)
    panel.slider.sliderReleased.emit()
    assert not window.scene.overlay_item.fast and not fragment.fast
    assert c.plan.osteotomies[0].angle_deg == pytest.approx(35.0)
    assert float(window.measurements.value_text("LL", "postop")) == pytest.approx(ll_before + 35.0, abs=0.05)
    assert fragment.transform() != first_transform
    assert panel.spin.value() == pytest.approx(35.0)

    c.undo()  # the whole slider gesture
    assert c.plan.osteotomies[0].angle_deg == pytest.approx(30.0)
    assert fragment.transform() == first_transform
    assert float(window.measurements.value_text("LL", "postop")) == pytest.approx(ll_before + 30.0, abs=0.05)
    c.undo()
    assert c.plan.osteotomies == ()
    assert window.scene.fragment_items == []


def test_fragment_motion_matches_the_planned_landmarks(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    c = window.controller
    c.add_osteotomy(Osteotomy("PSO", "L4", 28.0))
    c.set_compensation(Compensation("pt_target", 18.0))
    window.viewing.planned_action.trigger()
    frame, post = c.analysis.frame, c.analysis.postop_skeleton
    g = c.geometry
    top = window.scene.fragment_items[-1]
    for level in ("T1", "L1"):
        pixel = c.plan.landmarks.point(level, "ant_sup")
        shown = top.transform().map(QPointF(*g.to_display(pixel)))
        expected = g.to_display(frame.to_pixel(post.point(level, "ant_sup")))
        assert (shown.x(), shown.y()) == pytest.approx(expected, abs=1e-6)


def test_hinge_drag_moves_the_hinge_and_delete_resets_it(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    c = window.controller
    c.add_osteotomy(Osteotomy("PSO", "L3", 30.0))
    c.end_gesture()
    window.view.actual_size()
    hinge = next(h for h in c.overlay.handles if h.key == "osteotomy.0")
    window.view.centerOn(QPointF(*hinge.position))
    QApplication.processEvents()
    start = viewport_point(window, hinge.position)
    drag(window, start, start + QPoint(0, 20), Qt.MouseButton.LeftButton)
    moved = c.plan.osteotomies[0].hinge
    assert moved is not None and moved[1] == pytest.approx(c.geometry.to_pixel(hinge.position)[1] + 20, abs=1.0)
    assert c.history.undo_label == "Set PSO L3 hinge"
    window.edit.selected = "osteotomy.0"
    window.edit.delete_selected()
    assert c.plan.osteotomies[0].hinge is None


def test_solve_and_suggest_from_the_panel(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.osteotomies, window.controller
    panel.add_button.click()  # PSO L3 30°
    panel.solve_key.setCurrentIndex(panel.solve_key.findData("SVA"))
    panel.solve_value.setValue(25.0)
    panel.solve_button.click()
    assert analyze(c.plan).postop.values["SVA"].value == pytest.approx(25.0, abs=1e-3)
    assert window.measurements.value_text("SVA", "postop") == "25.0"
    panel.solve_value.setValue(-900.0)  # unreachable: nothing changes, the reason is shown
    angle = c.plan.osteotomies[0].angle_deg
    panel.solve_button.click()
    assert c.plan.osteotomies[0].angle_deg == angle
    assert "cannot be reached" in window.statusBar().currentMessage()

    c.remove_osteotomy(0)
    panel.goals.setText("PI_LL<10, SVA<40")
    panel.suggest_button.click()
    first = panel.suggestions.topLevelItem(0)
    assert panel.suggestions.topLevelItemCount() >= 1 and first.text(panel.suggestions.verdict_column) == "meets all"
    panel.suggestions.itemDoubleClicked.emit(first, 0)
    values = analyze(c.plan).postop.values
    assert values["PI_LL"].value <= 10.0 + 1e-6 and values["SVA"].value <= 40.0 + 1e-6  # type: ignore[operator]


def test_compensation_choice_labels_the_planned_values(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.osteotomies, window.controller
    panel.add_button.click()
    panel.model_box.setCurrentIndex(panel.model_box.findData("pt_ideal"))
    assert c.plan.compensation is not None and c.plan.compensation.model == "pt_ideal"
    assert "PI-based ideal" in window.measurements.calibration.text()
    assert "Yamato 2016" in panel.compensation_label.text()
    panel.model_box.setCurrentIndex(panel.model_box.findData("none"))
    assert "pelvis fixed" in window.measurements.calibration.text()


@pytest.mark.parametrize(
    ("osteotomy", "words"),
    [
        (Osteotomy("PSO", "L9", 30.0), "unknown level"),
        (Osteotomy("SPO", "L1-L3", 10.0), "L1-L3"),
        (Osteotomy("PSO", "L3", float("nan")), "angle"),
        (Osteotomy("PSO", "L3", 30.0, hinge=(-5000.0, 10.0)), "outside the"),
    ],
)
def test_bad_osteotomies_are_refused_with_the_plan_unchanged(qtbot, make_window, osteotomy, words) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    c = window.controller
    before = c.plan
    assert not c.add_osteotomy(osteotomy)
    assert c.plan is before and words in window.problems[-1]


def test_missing_hinge_landmarks_are_named(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    c = window.controller
    c.remove_point("L3.ant_inf")
    before = c.plan
    assert not c.add_osteotomy(Osteotomy("PSO", "L3", 30.0))
    assert c.plan is before and "L3.ant_inf" in window.problems[-1]


def test_fusion_is_recorded_and_drawn(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.procedures, window.controller
    count = len(c.plan.procedures)
    panel.type_box.setCurrentIndex(panel.type_box.findData("fusion"))
    panel.where_box.setCurrentText("T4")
    panel.to_box.setCurrentText("L2")
    panel.add_button.click()
    assert c.plan.procedures[-1].from_level == "T4" and len(c.plan.procedures) == count + 1
    keys = {p.key for p in c.overlay.primitives}
    assert f"fusion:{count}:bracket" in keys and f"fusion:{count}:label" in keys


def test_click_the_level_on_the_image(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.osteotomies, window.controller
    window.wizard.active.setChecked(False)
    lm = c.plan.landmarks
    for type_key, expected, (a, b) in (
        ("PSO", "L2", (lm.point("L2", "ant_sup"), lm.point("L2", "post_inf"))),  # the body's middle
        # the disc (L1-L2: the flatback's L2–S1 fusion is existing, no disc cut inside it)
        ("SPO", "L1-L2", (lm.point("L1", "post_inf"), lm.point("L2", "ant_sup"))),
    ):
        panel.type_box.setCurrentIndex(panel.type_box.findData(type_key))
        panel.pick_button.click()
        middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        click(window, viewport_point(window, c.geometry.to_display(middle)))
        assert c.plan.osteotomies[-1].type == type_key and c.plan.osteotomies[-1].level == expected
        assert not panel.pick_button.isChecked()
    count = len(c.plan.osteotomies)
    panel.pick_button.click()
    click(window, QPoint(2, 2))  # far from any vertebra
    assert len(c.plan.osteotomies) == count and "no " in window.statusBar().currentMessage()


def test_a_fusion_is_marked_existing_or_planned(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """contract.md §4.1: an existing fusion blocks disc cuts inside it; the Procedures box (where a
    fusion is added since the procedure catalogue) records which."""
    window = _fresh(qtbot, make_window)
    panel, c = window.procedures, window.controller
    count = len(c.plan.procedures)
    panel.type_box.setCurrentIndex(panel.type_box.findData("fusion"))
    panel.where_box.setCurrentText("L2")
    panel.to_box.setCurrentText("S1")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    status = panel.findChild(QComboBox, "option-status")
    status.setCurrentIndex(status.findData("existing"))
    added = c.plan.procedures[-1]
    assert len(c.plan.procedures) == count + 1 and added.existing
    assert any(
        panel.list.item(i).text().startswith("fusion L2–S1 (existing") for i in range(panel.list.count())
    )
    index = len(c.plan.procedures) - 1
    labels = [p for p in c.overlay.primitives if p.key == f"fusion:{index}:label"]
    assert labels and "(existing" in labels[0].text  # type: ignore[attr-defined]
    cuts = window.osteotomies
    cuts.type_box.setCurrentIndex(cuts.type_box.findData("SPO"))
    cuts.level_box.setCurrentText("L4-L5")
    cuts.add_button.click()
    assert not any(o.type == "SPO" for o in c.plan.osteotomies)  # refused, the plan unchanged
    assert "existing fusion L2–S1" in window.problems[-1]


def test_suggest_marks_over_correction_in_red(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel = window.osteotomies
    panel.goals.setText("PI_LL<-15")  # only reachable by over-correcting (PI−LL below −10°)
    qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    table = panel.suggestions
    column = table.verdict_column
    flagged = [table.topLevelItem(i) for i in range(table.topLevelItemCount())
               if "OVER-CORRECTS" in table.topLevelItem(i).text(column)]
    # The verdict cell is marked as outside (red), never as meeting the goals.
    outside = status_colour(table, "outside")
    assert flagged and all(item.background(column).color() == outside for item in flagged)


def test_compensation_shows_its_model_error_and_the_pelvis_fixed_values(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)  # the flatback: PSO L3 30°, PT released to 20°
    text = window.osteotomies.compensation_label.text()
    assert "± 4.1° PT, ± 27 mm SVA" in text and "Pelvis fixed instead: PT 31.0°" in text
