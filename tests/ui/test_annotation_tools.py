"""Free measurements in the GUI (issue 18): each tool drawn with real mouse clicks and its key,
dragged by a handle, renamed, deleted, undone one step at a time, saved and reopened with the
same values; the planned film; practice mode leaves them alone."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from alignment_planner.scene.planned_annotations import annotation_values
from tests.ui.conftest import SAMPLE_PLAN, click, drag, open_and_wait, viewport_point
from ui.panels.annotations import NAME, NOTE, POST, PRE
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui

SPACING = 0.4  # the flatback sample: 0.4 mm/px, PSO at L3 30°
CENTRE = (360.0, 1500.0)  # image pixels, the thoracolumbar junction


def _window(qtbot, make_window) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.wizard.active.setChecked(False)  # clicks are not landmarks here
    window.viewing.actual_size_action.trigger()  # 1:1: a click lands within half an image pixel
    window.view.centerOn(QPointF(*window.controller.geometry.to_display(CENTRE)))
    QApplication.processEvents()
    return window


def _key(qtbot, window: MainWindow, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, key)


def _click_pixels(window: MainWindow, *pixels: tuple[float, float]) -> None:
    for p in pixels:
        click(window, viewport_point(window, window.controller.geometry.to_display(p)))


def _close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.75) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _draw_all(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    x, y = CENTRE
    window.annotations.ask_text = lambda title, current: "Modic 1" if title == "Text note" else ""
    steps = [
        (Qt.Key.Key_D, [(x - 100, y - 100), (x + 50, y + 100)]),
        (Qt.Key.Key_A, [(x + 100, y - 50), (x, y), (x + 100, y + 50)]),
        (Qt.Key.Key_L, [(x + 100, y - 120), (x - 60, y - 120), (x - 50, y + 80), (x + 90, y + 80 + 140 * math.tan(math.radians(20)))]),
        (Qt.Key.Key_V, [(x + 40, y - 150), (x - 10, y + 150)]),
        (Qt.Key.Key_T, [(x - 120, y - 140)]),
        (Qt.Key.Key_N, [(x - 140, y + 60), (x - 60, y + 20)]),
    ]
    for count, (key, pixels) in enumerate(steps, start=1):
        undo_before = window.controller.history.undo_count
        _key(qtbot, window, key)
        assert window.annotations.active, key
        _click_pixels(window, *pixels)
        assert len(window.controller.plan.annotations) == count
        assert window.controller.history.undo_count == undo_before + 1  # one step per measurement
        drawn = window.controller.plan.annotations[-1]
        assert all(_close(p, q) for p, q in zip(drawn.points, pixels, strict=True)), (drawn, pixels)
    # Horizontal: the line alone, ended with Return (which does not skip a wizard point meanwhile).
    step = window.wizard.current
    _key(qtbot, window, Qt.Key.Key_H)
    _click_pixels(window, (x, y + 200))
    _key(qtbot, window, Qt.Key.Key_Return)
    assert window.controller.plan.annotations[-1].type == "horizontal"
    assert len(window.controller.plan.annotations[-1].points) == 1
    assert window.wizard.current == step
    _key(qtbot, window, Qt.Key.Key_Escape)  # stop drawing
    assert not window.annotations.active


def test_each_tool_draws_with_clicks_and_shows_values_by_hand(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, make_window)
    _draw_all(qtbot, window)
    plan = window.controller.plan
    assert [a.type for a in plan.annotations] == [
        "distance", "angle", "cobb", "vertical", "text", "arrow", "horizontal"
    ]
    distance, angle, cobb, vertical, text, arrow, _horizontal = plan.annotations
    table = window.annotations.panel.table
    # By hand from the points the clicks stored (0.4 mm/px, facing right):
    (ax, ay), (bx, by) = distance.points
    assert table.item(0, PRE).text() == f"{math.hypot(bx - ax, by - ay) * SPACING:.1f} mm"
    (p, q, r) = angle.points
    u, v = (p[0] - q[0], p[1] - q[1]), (r[0] - q[0], r[1] - q[1])
    by_hand = math.degrees(math.acos((u[0] * v[0] + u[1] * v[1]) / (math.hypot(*u) * math.hypot(*v))))
    assert table.item(1, PRE).text() == f"{by_hand:.1f}°"
    assert by_hand == pytest.approx(2 * math.degrees(math.atan(0.5)), abs=0.8)  # as aimed
    (a, b, c, d) = cobb.points
    t1, t2 = math.atan2(b[1] - a[1], b[0] - a[0]), math.atan2(d[1] - c[1], d[0] - c[0])
    acute = math.degrees(abs(t1 - t2)) % 180.0
    acute = min(acute, 180.0 - acute)
    assert table.item(2, PRE).text() == f"{acute:.1f}°"
    assert acute == pytest.approx(20.0, abs=0.8)  # line 1 drawn right-to-left, as aimed
    assert table.item(3, PRE).text() == f"{(vertical.points[0][0] - vertical.points[1][0]) * SPACING:.1f} mm"
    assert text.text == "Modic 1" and arrow.text is None
    assert table.item(4, NOTE).text() == "Modic 1"
    # The PSO at L3 is below all of them: the planned column shows each carried along unchanged.
    assert table.item(0, POST).text() == table.item(0, PRE).text()


def test_drag_rename_delete_undo_save_and_reopen(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, make_window)
    _draw_all(qtbot, window)
    c = window.controller
    # Drag the distance's second end by 30 screen pixels (1:1 zoom): one undo step.
    end = next(h for h in c.overlay.handles if h.key == "annotation.0.1")
    start = viewport_point(window, end.position)
    before = c.plan.annotations[0]
    drag(window, start, start + QPoint(30, 0), Qt.MouseButton.LeftButton)
    moved = c.plan.annotations[0]
    assert moved.points[0] == before.points[0]
    assert moved.points[1][0] == pytest.approx(before.points[1][0] + 30.0, abs=0.75)
    assert c.history.undo_label == "Move measurement point"
    value_text = window.annotations.panel.table.item(0, PRE).text()
    (ax, ay), (bx, by) = moved.points
    assert value_text == f"{math.hypot(bx - ax, by - ay) * SPACING:.1f} mm"
    window.edit.undo_action.trigger()
    assert c.plan.annotations[0] == before
    window.edit.redo_action.trigger()
    # Rename in the list (an edit of the name cell, as a double-click does).
    window.annotations.panel.table.item(0, NAME).setText("cage height")
    assert c.plan.annotations[0].label == "cage height"
    assert c.history.undo_label == "Rename measurement"
    assert any(getattr(p, "text", "").startswith("cage height ") for p in c.overlay.primitives)
    # Delete the Cobb: select one of its points on the film, then Delete.
    cobb_point = next(h for h in c.overlay.handles if h.key == "annotation.2.3")
    click(window, viewport_point(window, cobb_point.position))
    assert window.edit.selected == "annotation.2.3"
    assert window.annotations.panel.current_row() == 2
    window.edit.delete_action.trigger()
    assert [a.type for a in c.plan.annotations] == ["distance", "angle", "vertical", "text", "arrow", "horizontal"]
    window.edit.undo_action.trigger()
    assert c.plan.annotations[2].type == "cobb"
    # Save, reopen in a new window: the same measurements and values.
    target = tmp_path / "drawn.plan.json"
    c.save(target)
    expected = [(v.name, v.value, w.value) for v, w in annotation_values(c.plan, c.analysis)]
    reopened = make_window()
    open_and_wait(qtbot, reopened, target)
    r = reopened.controller
    assert r.plan.annotations == c.plan.annotations
    assert [(v.name, v.value, w.value) for v, w in annotation_values(r.plan, r.analysis)] == expected
    table = reopened.annotations.panel.table
    assert table.rowCount() == 7 and table.item(0, NAME).text() == "cage height"


def test_planned_film_moves_a_measurement_across_the_cut(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, make_window)
    landmarks = window.controller.plan.landmarks
    t12, l4 = landmarks.vertebrae["T12"], landmarks.vertebrae["L4"]
    window.view.fit()
    QApplication.processEvents()
    _key(qtbot, window, Qt.Key.Key_L)
    _click_pixels(window, t12.post_sup, t12.ant_sup, l4.post_inf, l4.ant_inf)  # type: ignore[arg-type]
    table = window.annotations.panel.table
    pre, post = float(table.item(0, PRE).text().rstrip("°")), float(table.item(0, POST).text().rstrip("°"))
    assert post == pytest.approx(pre + 30.0, abs=0.11)  # the PSO closes 30° between the lines
    assert "spans PSO L3" in table.item(0, NOTE).text()
    window.viewing.planned_action.trigger()
    labels = [p.text for p in window.controller.overlay.primitives if p.key == "annotation:0:label"]  # type: ignore[union-attr]
    assert labels == [f"{post:.1f}° (spans PSO L3)"]
    # Choosing a tool on the planned film goes back to the pre-op film, where points are drawn.
    _key(qtbot, window, Qt.Key.Key_D)
    assert window.controller.stage == "preop"


def test_practice_starts_without_the_experts_measurements(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from alignment_planner.files.plan_reader import read_plan
    from alignment_planner.files.plan_writer import write_plan
    from alignment_planner.plan.model import Annotation
    from alignment_planner.teaching.cases import load_case

    expert = read_plan(SAMPLE_PLAN)
    folder = tmp_path / "cases" / "flatback_pso"
    shutil.copytree(SAMPLE_PLAN.parent, folder)
    plan_path = folder / SAMPLE_PLAN.name
    write_plan(replace(expert, annotations=(Annotation("text", ((9.0, 9.0),), text="the answer"),)), plan_path)
    case = load_case(folder)
    window = make_window()
    with qtbot.waitSignal(window.controller.image_changed, timeout=20000):
        assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: window.scene.image_item is not None, timeout=20000)
    assert window.controller.plan.annotations == ()
    assert window.annotations.panel.table.rowCount() == 0
    assert not [p for p in window.controller.overlay.primitives if p.key.startswith("annotation")]
