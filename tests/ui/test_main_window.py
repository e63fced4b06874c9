"""The desktop planner driven like a user, offscreen (issue 3 §10)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.measurements.guide import steps_for
from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner.synthetic.image import render_radiograph
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from tests.ui.conftest import SAMPLE_PLAN, click, drag, open_and_wait, viewport_point

pytestmark = pytest.mark.gui


def _png16(tmp_path: Path) -> tuple[Path, object]:
    spacing = PixelSpacing.isotropic(0.5)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(470.0, 1800.0))
    pixels = render_radiograph(landmarks, (900, 2100), spacing)
    path = tmp_path / "film.png"
    Image.fromarray(pixels).save(path)
    return path, landmarks


def test_open_a_plan_shows_its_image_and_measurements(qtbot, make_window) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    assert window.scene.image_item is not None
    assert window.measurements.value_text("PI") == "62.0"
    assert window.measurements.value_text("LL", "postop") == "55.0"
    assert "flatback_pso.plan.json" in window.windowTitle() and "*" not in window.windowTitle()
    assert "DICOM pixel spacing" in window.status.scale.text()


@pytest.mark.parametrize("kind", ["dcm", "png", "jpg", "tif"])
def test_open_each_image_kind(qtbot, make_window, tmp_path: Path, kind: str) -> None:
    pixels = (np.arange(300 * 200).reshape(300, 200) % 4096).astype(np.uint16)
    path = tmp_path / f"x.{kind}"
    if kind == "dcm":
        write_dicom(path, pixels, PixelSpacing=[0.2, 0.2], BitsStored=12)
    elif kind == "jpg":
        Image.fromarray((pixels // 16).astype(np.uint8)).save(path)
    else:
        Image.fromarray(pixels).save(path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    item = window.scene.image_item
    assert item is not None and item.radiograph.width == 200 and item.radiograph.height == 300
    assert window.controller.plan.image is not None
    assert (window.controller.plan.calibration.spacing is not None) == (kind == "dcm")


def test_bad_image_is_reported_and_the_open_plan_stays(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    before = window.controller.plan
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    with qtbot.waitSignal(window.controller.problem, timeout=10000):
        window.files.open_path(bad)
    qtbot.waitUntil(lambda: bool(window.problems))
    assert "damaged or truncated" in window.problems[-1]
    assert window.controller.plan is before and window.scene.image_item is not None
    window.files.open_path(tmp_path / "nope.json")
    assert "no such file" in window.problems[-1] and window.controller.plan is before


def test_wizard_places_points_with_clicks(qtbot, make_window, tmp_path: Path) -> None:
    path, truth = _png16(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    window.wizard.set_scope("minimal")
    geometry = window.controller.geometry
    for step in steps_for("minimal"):
        assert window.wizard.current == step
        if step.level == "femoral_heads" and step.point == "0":  # three clicks on its rim
            cx, cy = truth.femoral_heads[0].center  # type: ignore[attr-defined]
            for dx, dy in ((-48.0, 0.0), (0.0, -48.0), (48.0, 0.0)):  # 24 mm at 0.5 mm/px
                click(window, viewport_point(window, geometry.to_display((cx + dx, cy + dy))))
            continue
        if step.level == "femoral_heads":
            target = truth.femoral_heads[int(step.point)].center  # type: ignore[attr-defined]
        elif step.point == "center":  # where the diagonals cross: the mean of the corners here
            corners = [truth.point(step.level, c) for c in ("ant_sup", "post_sup", "post_inf", "ant_inf")]  # type: ignore[attr-defined]
            target = (sum(p[0] for p in corners) / 4, sum(p[1] for p in corners) / 4)
        else:
            target = truth.point(step.level, step.point)  # type: ignore[attr-defined]
        click(window, viewport_point(window, geometry.to_display(target)))
    assert window.wizard.current is None
    # The clicks land on whole screen pixels; at fit zoom that is about 2 image px.
    assert float(window.measurements.value_text("PI")) == pytest.approx(52.0, abs=3.0)
    assert float(window.measurements.value_text("PT")) == pytest.approx(13.0, abs=2.0)
    assert window.measurements.value_text("LL") != "—"
    assert window.controller.dirty


def test_back_and_skip(qtbot, make_window, tmp_path: Path) -> None:
    path, _truth = _png16(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    assert window.wizard.current.key == "femoral_heads.0"
    window.wizard.skip()
    assert window.wizard.current.key == "femoral_heads.1"
    window.wizard.back()
    assert window.wizard.current.key == "femoral_heads.0"


def test_drag_a_landmark_updates_the_panel_and_undoes_in_one_step(qtbot, make_window) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.view.zoom_by(2.0)
    handle = next(h for h in window.controller.overlay.handles if h.key == "S1.ant_sup")
    window.view.centerOn(QPointF(*handle.position))
    QApplication.processEvents()
    start = viewport_point(window, handle.position)
    ss_before = window.measurements.value_text("SS")
    drag(window, start, start + QPoint(0, 25), Qt.MouseButton.LeftButton)
    assert window.measurements.value_text("SS") != ss_before
    assert window.controller.history.undo_label == "Move S1 anterior-superior corner"
    assert "*" in window.windowTitle()
    window.edit.undo_action.trigger()
    assert window.measurements.value_text("SS") == ss_before
    assert not window.controller.history.can_undo
    window.edit.redo_action.trigger()
    assert window.measurements.value_text("SS") != ss_before


def test_arrow_keys_nudge_the_selected_point(qtbot, make_window) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.edit.handle_pressed("L3.ant_sup")
    x, y = window.controller.pixel_of("L3.ant_sup")
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window.controller.pixel_of("L3.ant_sup") == pytest.approx((x + 1, y + 10))
    window.edit.delete_selected()
    assert window.controller.pixel_of("L3.ant_sup") is None


def test_save_and_reopen_gives_the_same_measurements(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.controller.nudge("T1.ant_sup", 5, -3)
    target = tmp_path / "sub" / "mine.plan.json"
    target.parent.mkdir()
    assert window.files.save_to(target)
    assert "*" not in window.windowTitle()
    saved = json.loads(target.read_text())
    assert (
        saved["image"]["path"]
        == "../"
        + str(Path("..") / SAMPLE_PLAN.parent.relative_to(SAMPLE_PLAN.parents[1]) / "image.dcm").replace(
            "../", "", 1
        )
        or saved["image"]["path"]
    )
    assert (target.parent / saved["image"]["path"]).resolve() == (SAMPLE_PLAN.parent / "image.dcm").resolve()
    values = {k: v.value for k, v in window.controller.analysis.preop.values.items()}
    other = make_window()
    open_and_wait(qtbot, other, target)
    assert {k: v.value for k, v in other.controller.analysis.preop.values.items()} == values


def test_failed_save_keeps_the_plan_and_says_so(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.controller.nudge("T1.ant_sup", 5, 0)
    assert not window.files.save_to(tmp_path / "missing-folder" / "p.json")
    assert "not saved" in window.problems[-1] and window.controller.dirty


def test_window_level_drag_changes_the_displayed_pixels(qtbot, make_window) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    item = window.scene.image_item
    before = item.displayed_pixels().copy()
    centre = window.view.viewport().rect().center()
    drag(window, centre, centre + QPoint(120, 60), Qt.MouseButton.RightButton)
    after = item.displayed_pixels()
    assert not np.array_equal(before, after)
    assert item.display_window.width > item.radiograph.default_window.width
    assert window.status.window_level.text().startswith("C ")
    window.viewing.reset_window()
    assert np.array_equal(item.displayed_pixels(), before)
    window.viewing.invert_action.trigger()
    assert np.array_equal(item.displayed_pixels(), 255 - before)


def test_unsaved_changes_prompt(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.controller.nudge("L1.ant_sup", 2, 0)
    asked: list[bool] = []
    window.messages.ask_unsaved = lambda: asked.append(True) or QMessageBox.StandardButton.Cancel
    path, _truth = _png16(tmp_path)
    assert not window.files.open_path(path)
    assert asked and window.controller.dirty and window.controller.path is not None
    window.messages.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    open_and_wait(qtbot, window, path)
    assert window.controller.path is None and not window.controller.dirty


def test_distance_calibration_tool(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    path, _truth = _png16(tmp_path)
    window = make_window()
    open_and_wait(qtbot, window, path)
    assert window.controller.plan.calibration.spacing is None
    monkeypatch.setattr("ui.window.calibration_actions.QInputDialog.getDouble", lambda *a, **k: (100.0, True))
    window.calibration.start("distance")
    click(window, viewport_point(window, (100.0, 100.0)))
    click(window, viewport_point(window, (100.0, 500.0)))
    calibration = window.controller.plan.calibration
    assert calibration.source == "manual-distance" and calibration.spacing is not None
    assert calibration.spacing.row == pytest.approx(100.0 / 400.0, rel=0.02)
    assert window.controller.history.undo_label == "Calibrate (manual, on a known distance)"
    assert "manual, on a known distance" in window.measurements.calibration.text()
    assert "manual, on a known distance" in window.status.scale.text()


def test_settings_remember_layout_and_recent_files(qtbot, make_window) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.resize(640, 470)
    closed_at = (window.size().width(), window.size().height())  # docks impose a minimum width
    assert closed_at[1] == 470
    window.close()
    again = make_window()
    # The height shows the geometry came back; the width is clamped by the docks' minimum widths,
    # which depend on their content, on a small offscreen screen.
    assert again.size().height() == closed_at[1]
    assert SAMPLE_PLAN.resolve() in again.settings.recent_files()
    assert again.files.recent_menu.actions()[0].text() == str(SAMPLE_PLAN.resolve())


def test_drop_a_file_opens_it(qtbot, make_window) -> None:
    window = make_window()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(SAMPLE_PLAN))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.controller.image_changed, timeout=20000):
        window.dropEvent(event)
    assert window.controller.path == SAMPLE_PLAN.resolve()


def test_what_is_painted_follows_the_window_after_panning(qtbot, make_window) -> None:
    """Only visible bands are re-windowed on a change; scrolling must bring the rest up to date
    (a stale band would show the old window)."""
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.viewing.constructions_action.setChecked(False)
    window.viewing.toggle_constructions()
    window.scene.overlay_item.setVisible(False)
    item = window.scene.image_item
    view = window.view
    view.actual_size()
    view.centerOn(QPointF(450, 200))  # the top of the film at 100 %
    QApplication.processEvents()
    view.viewport().grab()
    window.viewing.invert_action.trigger()  # a change of table while only the top is visible
    view.viewport().grab()
    # Now the bottom, not windowed since the change: a spot far from mid-grey (so that a stale,
    # inverted band would show), and far enough from the edges for the view to centre on it.
    pixels = item.displayed_pixels()
    half_w, half_h = view.viewport().width() // 2 + 10, view.viewport().height() // 2 + 10
    rows, columns = pixels.shape
    spots = [(x, y) for y in range(max(rows * 2 // 3, half_h), rows - half_h, 25)
             for x in range(half_w, columns - half_w, 25)]
    target = max(spots, key=lambda p: abs(pixels[p[1] - 5: p[1] + 5, p[0] - 5: p[0] + 5].mean() - 127.5))
    view.centerOn(QPointF(*target))
    QApplication.processEvents()
    shot = view.viewport().grab().toImage()
    centre = view.viewport().rect().center()
    scene = view.mapToScene(centre)
    x, y = int(scene.x()), int(scene.y())
    expected = item.displayed_pixels()[y - 5 : y + 5, x - 5 : x + 5].astype(float).mean()
    painted = np.mean([shot.pixelColor(centre.x() + dx, centre.y() + dy).red()
                       for dx in range(-4, 5) for dy in range(-4, 5)])
    stale = 255 - expected
    assert abs(painted - expected) < 12 and abs(expected - stale) > 40, (painted, expected)
