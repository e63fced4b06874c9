"""One undo history for a plan and its follow-up windows (issue 19): a landmark placed with the
mouse in the follow-up window is one step of the plan's history, undone from the plan's window
(and the reverse), redone from either; both Edit menus name the step; the follow-up window, its
wizard, the side-by-side table and the saved file follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_planner.anatomy.landmarking import landmark_name
from alignment_planner.files.plan_reader import read_plan
from tests.ui.conftest import open_and_wait
from tests.ui.test_followups_gui import _case, add_followup_and_wait
from tests.ui.test_landmarking_wizard import HEAD_PX, _click_at, _rim_clicks, _target

pytestmark = pytest.mark.gui


def _open_followup(qtbot, make_window, tmp_path: Path):  # type: ignore[no-untyped-def]
    plan_path, film, truth = _case(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, plan_path)
    fw = add_followup_and_wait(qtbot, window, film).window
    return window, fw, truth, plan_path


def _place_heads(fw, truth) -> None:  # type: ignore[no-untyped-def]
    """The wizard's first steps, the femoral heads: three clicks on the first one's rim, then the
    second one's centre."""
    while (step := fw.wizard.current) is not None and step.is_head:
        if step.clicks == 3:
            _rim_clicks(fw, _target(truth.landmarks, step), HEAD_PX)
        else:
            _click_at(fw, _target(truth.landmarks, step))
    assert len(fw.controller.plan.landmarks.femoral_heads) == 2


def _click_next(fw, truth) -> str:  # type: ignore[no-untyped-def]
    step = fw.wizard.current
    assert step is not None and not step.is_head
    _click_at(fw, _target(truth.landmarks, step))
    return f"{step.level}.{step.point}"


def test_a_followup_landmark_is_undone_from_the_plan_window_and_redone(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window, fw, truth, plan_path = _open_followup(qtbot, make_window, tmp_path)
    plan = window.controller
    fw.wizard.assist.setChecked(False)  # one click, one step (the corner assist is a step of its own)
    # Adding the film and attaching its image are one step, named in both windows.
    assert window.edit.undo_action.text() == "&Undo Add follow-up film (1 year)"
    assert fw.edit.undo_action.text() == "&Undo Add follow-up film (1 year)"
    _place_heads(fw, truth)
    steps_before = plan.history.undo_count
    key = _click_next(fw, truth)  # a real click in the follow-up window
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) is not None
    assert plan.history.undo_count == steps_before + 1  # one step of the plan's history
    expected = f"&Undo Place {landmark_name(key)} (follow-up 1 year)"
    assert window.edit.undo_action.text() == expected
    assert fw.edit.undo_action.text() == expected
    assert not window.edit.redo_action.isEnabled() and not fw.edit.redo_action.isEnabled()
    assert plan.dirty

    # Ctrl+Z in the plan's window undoes the click made in the follow-up window …
    window.edit.undo_action.trigger()
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) is None
    assert fw.controller.plan.landmarks.point(*key.split(".")) is None  # … and the film shows it
    assert fw.wizard.current is not None and f"{fw.wizard.current.level}.{fw.wizard.current.point}" == key
    assert plan.history.undo_count == steps_before  # nothing pushed back by the follow-up window
    for edit in (window.edit, fw.edit):
        assert edit.redo_action.isEnabled()
        assert edit.redo_action.text() == f"&Redo Place {landmark_name(key)} (follow-up 1 year)"
        assert edit.undo_action.text().endswith("(follow-up 1 year)")  # the second head, before it

    # … and Redo in the follow-up window brings it back, in both.
    fw.edit.redo_action.trigger()
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) == fw.controller.plan.landmarks.point(
        *key.split(".")
    )
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) is not None
    assert not window.edit.redo_action.isEnabled() and not fw.edit.redo_action.isEnabled()

    # Undo from the follow-up window undoes the same history (no new step, the plan follows).
    fw.edit.undo_action.trigger()
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) is None
    assert plan.history.undo_count == steps_before
    assert window.edit.redo_action.text() == f"&Redo Place {landmark_name(key)} (follow-up 1 year)"

    # Saved: the file holds the state undone to; the plan is clean, both windows agree.
    assert window.files.save()
    assert not plan.dirty
    saved = read_plan(plan_path).followups[0]
    assert saved.landmarks.point(*key.split(".")) is None
    assert len(saved.landmarks.femoral_heads) == 2
    # Redo after the save: the plan is dirty again, and the table shows the redone landmark.
    window.edit.redo_action.trigger()
    assert plan.dirty
    window.followups.refresh_table()
    [result] = window.followups_panel.results
    assert result.followup.landmarks.point(*key.split(".")) is not None


def test_a_plan_window_edit_is_undone_from_the_followup_window(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window, fw, truth, _plan_path = _open_followup(qtbot, make_window, tmp_path)
    plan = window.controller
    _place_heads(fw, truth)
    steps = plan.history.undo_count
    key = _click_next(fw, truth)  # with the corner assist: "Place …" then "Corner assist …"
    made = plan.history.undo_count - steps
    assert 1 <= made <= 2
    # An edit in the plan's window (a pre-op landmark moved by a nudge) comes after it.
    preop = plan.plan.landmarks
    before = preop.point("L3", "ant_sup")
    assert before is not None
    plan.nudge("L3.ant_sup", 4.0, 0.0)
    plan.end_gesture()
    assert fw.edit.undo_action.text() == f"&Undo Move {landmark_name('L3.ant_sup')}"
    # Undo in the follow-up window undoes the plan's latest step — the plan window's nudge —
    # never skipping it to reach its own click: one history, in order.
    fw.edit.undo_action.trigger()
    assert plan.plan.landmarks.point("L3", "ant_sup") == before
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) is not None
    for _ in range(made):
        assert fw.edit.undo_action.text().endswith("(follow-up 1 year)")
        fw.edit.undo_action.trigger()
    assert plan.plan.followups[0].landmarks.point(*key.split(".")) is None
    assert fw.controller.plan.landmarks.point(*key.split(".")) is None
    # Undoing back past the follow-up's addition removes it, and its window closes.
    while plan.history.can_undo:
        window.edit.undo_action.trigger()
    assert plan.plan.followups == ()
    qtbot.waitUntil(lambda: not fw.isVisible(), timeout=5000)
    assert not window.edit.undo_action.isEnabled()


def test_a_run_of_nudges_in_the_followup_window_is_one_step(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window, fw, truth, _plan_path = _open_followup(qtbot, make_window, tmp_path)
    plan = window.controller
    fw.wizard.assist.setChecked(False)
    _place_heads(fw, truth)
    key = _click_next(fw, truth)
    steps = plan.history.undo_count
    # Arrow-key nudges of the selected point merge into one step until the gesture ends.
    for _ in range(3):
        assert fw.edit.nudge_selected(1.0, 0.0)
    assert plan.history.undo_count == steps + 1
    assert window.edit.undo_action.text() == f"&Undo Move {landmark_name(key)} (follow-up 1 year)"
    fw.controller.end_gesture()  # sealed in the plan's history too
    assert fw.edit.nudge_selected(1.0, 0.0)
    assert plan.history.undo_count == steps + 2
    window.edit.undo_action.trigger()
    window.edit.undo_action.trigger()
    placed = plan.plan.followups[0].landmarks.point(*key.split("."))
    assert placed is not None and fw.controller.plan.landmarks.point(*key.split(".")) == placed


def test_opening_another_plan_closes_the_followup_windows(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The window belonged to the plan as it was opened: reopening (or opening another plan with
    follow-ups of its own) closes it instead of showing the other plan's follow-up on this film."""
    window, fw, truth, plan_path = _open_followup(qtbot, make_window, tmp_path)
    fw.wizard.assist.setChecked(False)
    _place_heads(fw, truth)
    assert window.files.save()
    assert read_plan(plan_path).followups  # the plan now has a follow-up of its own
    open_and_wait(qtbot, window, plan_path)
    qtbot.waitUntil(lambda: not fw.isVisible(), timeout=5000)
    assert window.followups.windows == {}
    assert not window.edit.undo_action.isEnabled()
    # Its follow-up reopens in a window of its own, on the plan as now opened.
    again = window.followups.open(0)
    qtbot.addWidget(again.window)
    assert not again.stale
    assert len(again.window.controller.plan.landmarks.femoral_heads) == 2
