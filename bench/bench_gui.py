"""Issue 3 performance targets on a 3000×9000 16-bit radiograph (medians, JSON on stdout).

- landmark drag → all measurements and the overlay updated (and painted): ≤ 4 ms per move event,
  also with a PSO planned and ten free measurements drawn on the film (issue 18; the same drag
  without them is the control), and when dragging one of their points
- window/level change → displayed (buffer rewritten and painted): ≤ 25 ms (full resolution; the
  half-resolution preview used during a drag is reported too)
- open an uncompressed 3000×9000 DICOM to first paint: ≤ 1.5× pydicom's own read + decode
- start to a usable window (``alignment-planner`` on the sample case): ≤ 2 s

    QT_QPA_PLATFORM=offscreen python bench/bench_gui.py
    BENCH_CLOCK=thread QT_QPA_PLATFORM=offscreen python bench/bench_gui.py   # CPU time per event
"""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A fresh settings file per run: a layout saved by an earlier run must not change this one.
os.environ.setdefault(
    "ALIGNMENT_PLANNER_SETTINGS", str(Path(tempfile.mkdtemp(prefix="ap-bench-")) / "settings.ini")
)
os.environ.setdefault("ALIGNMENT_PLANNER_RECOVERY_DIR", tempfile.mkdtemp(prefix="ap-bench-recovery-"))

import pydicom
from PySide6.QtCore import QEvent, QPointF, Qt, QThreadPool
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from alignment_planner.anatomy.landmarking import landmark_name
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.imaging import Window
from alignment_planner.plan.model import Annotation
from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner.synthetic.image import render_radiograph
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from ui.app import application
from ui.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
# Drag and slider events are timed by the wall clock; BENCH_CLOCK=thread times the GUI thread's CPU
# instead, which stays meaningful on a machine shared with other work (the wall clock there
# measures the scheduler). Everything else is wall time.
_event_clock = time.thread_time if os.environ.get("BENCH_CLOCK") == "thread" else time.perf_counter
SPACING = PixelSpacing.isotropic(0.143)


def _median_ms(samples: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(samples), 2),
        "min": round(min(samples), 2),
        "max": round(max(samples), 2),
        "n": len(samples),
    }


def _make_image(folder: Path) -> Path:
    landmarks = build_landmarks(SpineSpec(), spacing=SPACING, hip_pixel=(1500.0, 7700.0))
    pixels = render_radiograph(landmarks, (3000, 9000), SPACING)
    return write_dicom(
        folder / "big.dcm",
        pixels,
        PixelSpacing=[0.143, 0.143],
        BitsStored=12,
        WindowCenter=3000,
        WindowWidth=4000,
    )


def _wait(app: QApplication, condition: Callable[[], object], timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        app.processEvents()
        if time.perf_counter() > end:
            raise TimeoutError("timed out")
        time.sleep(0.0005)


def _dispose(app: QApplication, window: MainWindow) -> None:
    """Free a closed window now (and its 54 MB film): later measurements then run in a process
    holding one window, as the application does, not five."""
    window.deleteLater()
    app.processEvents()
    gc.collect()


def bench_open(app: QApplication, path: Path) -> dict[str, object]:
    pydicom_ms = []
    for _ in range(5):
        start = time.perf_counter()
        pydicom.dcmread(path).pixel_array  # noqa: B018 - the read + decode being timed
        pydicom_ms.append(1000 * (time.perf_counter() - start))
    open_ms = []
    for _ in range(5):
        window = MainWindow()
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        start = time.perf_counter()
        window.controller.open_image(path)
        _wait(app, lambda w=window: w.scene.image_item is not None)
        window.view.fit()
        window.view.viewport().repaint()
        open_ms.append(1000 * (time.perf_counter() - start))
        QThreadPool.globalInstance().waitForDone()  # the hash started after the paint; each open alone
        window.controller.history.mark_saved()
        window.close()
        _dispose(app, window)
    ratio = statistics.median(open_ms) / statistics.median(pydicom_ms)
    return {
        "pydicom_read_decode_ms": _median_ms(pydicom_ms),
        "open_to_first_paint_ms": _median_ms(open_ms),
        "open_ratio_to_pydicom": round(ratio, 2),
    }


def _drag(window: MainWindow, key: str, undo_label: str | None = None) -> list[float]:
    """Real pointer events through the view: press on the handle, then 200 moves with the button
    held. Each sample is the move event's handling (hit, plan, analysis, overlay, panel, wizard,
    status bar) plus a synchronous repaint of the viewport."""
    viewport = window.view.viewport()
    undo_steps = window.controller.history.undo_count
    x, y = window.controller.pixel_of(key)  # type: ignore[misc]
    origin = window.view.mapFromScene(QPointF(x, y))
    left = Qt.MouseButton.LeftButton
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(origin),
            QPointF(origin),
            left,
            left,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    drag_ms = []
    for step in range(200):
        position = QPointF(origin.x() + 5 + (step % 20), origin.y() + 5 + (step % 7))
        event = QMouseEvent(
            QEvent.Type.MouseMove,
            position,
            viewport.mapToGlobal(position),
            Qt.MouseButton.NoButton,
            left,
            Qt.KeyboardModifier.NoModifier,
        )
        start = _event_clock()
        QApplication.sendEvent(viewport, event)
        viewport.repaint()
        drag_ms.append(1000 * (_event_clock() - start))
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseButtonRelease,
            position,
            viewport.mapToGlobal(position),
            left,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    moved = window.controller.pixel_of(key)
    assert moved is not None and moved != (x, y), "the drag did not move the landmark"
    expected_label = undo_label or f"Move {landmark_name(key)}"
    assert window.controller.history.undo_label == expected_label, "a drag is one undo step"
    assert window.controller.history.undo_count == undo_steps + 1
    return drag_ms


def _slider(app: QApplication, window: MainWindow) -> list[float]:
    """Issue 4: a PSO at L3 on the planned film, fit to the window; each sample is one slider step
    (plan, analysis, overlay, fragments, table, panel) plus a synchronous repaint."""
    panel = window.osteotomies
    panel.type_box.setCurrentIndex(panel.type_box.findData("PSO"))
    panel.level_box.setCurrentText("L3")
    panel.add_button.click()
    window.viewing.planned_action.trigger()
    window.view.fit()
    app.processEvents()
    assert window.scene.fragment_items, "no planned-image fragment"
    return _slider_steps(window)


def _slider_steps(window: MainWindow) -> list[float]:
    """100 steps of the selected osteotomy's angle slider on the planned film."""
    panel = window.osteotomies
    panel.slider.sliderPressed.emit()
    samples = []
    for step in range(100):
        value = 250 + (step % 40) * 5  # 25.0° … 44.5° in 0.5° steps
        start = _event_clock()
        panel.slider.setValue(value)
        window.view.viewport().repaint()
        samples.append(1000 * (_event_clock() - start))
    panel.slider.sliderReleased.emit()
    assert window.controller.plan.osteotomies[-1].angle_deg == value / 10.0
    return samples


def _ten_annotations(window: MainWindow) -> None:
    """Ten free measurements of every kind around the lumbar spine and pelvis (issue 18)."""
    def at(key: str) -> tuple[float, float]:
        point = window.controller.pixel_of(key)
        assert point is not None
        return point

    drawn = [
        Annotation("distance", (at("L3.post_sup"), at("L3.post_inf")), "L3 height"),
        Annotation("distance", (at("L4.ant_inf"), at("L5.ant_sup"))),
        Annotation("angle", (at("L1.ant_sup"), at("L1.post_sup"), at("L1.post_inf"))),
        Annotation("angle", (at("L5.ant_inf"), at("L5.post_inf"), at("S1.post_sup"))),
        Annotation("cobb", (at("T12.post_sup"), at("T12.ant_sup"), at("L4.post_inf"), at("L4.ant_inf"))),
        Annotation("cobb", (at("L2.post_sup"), at("L2.ant_sup"), at("L5.post_inf"), at("L5.ant_inf"))),
        Annotation("vertical", (at("T10.post_sup"), at("S1.post_sup")), "T10 plumb"),
        Annotation("horizontal", (at("S1.post_sup"), at("L5.post_inf"))),
        Annotation("text", (at("L2.ant_sup"),), text="Modic 1"),
        Annotation("arrow", ((at("L4.post_sup")[0] - 300, at("L4.post_sup")[1]), at("L4.post_sup")),
                   text="pars"),
    ]
    for annotation in drawn:
        window.controller.add_annotation(annotation)


def open_full_plan(app: QApplication, path: Path) -> MainWindow:
    """A 1400×900 window on the big film with a full C2–S1 plan placed, fitted: where every
    interaction measure (here and in profile_drag.py) starts."""
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.controller.open_image(path)
    _wait(app, lambda: window.scene.image_item is not None)
    truth = build_landmarks(SpineSpec(), spacing=SPACING, hip_pixel=(1500.0, 7700.0))
    for level, vertebra in truth.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            point = vertebra.point(name)
            if point is not None:
                window.controller.set_point_pixels(f"{level}.{name}", point)
    for i, head in enumerate(truth.femoral_heads):
        window.controller.set_point_pixels(f"femoral_heads.{i}", head.center)
    window.view.fit()
    app.processEvents()
    return window


def bench_interaction(app: QApplication, path: Path) -> dict[str, object]:
    window = open_full_plan(app, path)
    drag_fit = _drag(window, "L3.ant_sup")
    window.view.zoom_by(1.0 / window.view.zoom)  # 100 %, where points are usually placed
    window.view.centerOn(QPointF(*window.controller.pixel_of("L3.ant_sup")))  # type: ignore[misc]
    app.processEvents()
    drag_100 = _drag(window, "L3.ant_sup")
    item = window.scene.image_item
    assert item is not None
    full_ms, preview_ms = [], []
    for step in range(30):
        level = Window(2500 + 10 * step, 3000 + 20 * step)
        start = time.perf_counter()
        item.set_window(level)
        window.view.viewport().repaint()
        full_ms.append(1000 * (time.perf_counter() - start))
        start = time.perf_counter()
        item.set_window(level, preview=True)
        window.view.viewport().repaint()
        preview_ms.append(1000 * (time.perf_counter() - start))
    viewport = window.view.viewport().size()
    slider_ms = _slider(app, window)
    window.viewing.planned_action.trigger()  # back to the pre-op film, where measurements are drawn
    window.view.fit()
    app.processEvents()
    drag_planned = _drag(window, "L3.ant_sup")  # the control: the same plan, nothing drawn
    _ten_annotations(window)
    app.processEvents()
    drag_annotated = _drag(window, "L3.ant_sup")
    drag_annotation_point = _drag(window, "annotation.4.1", "Move measurement point")
    window.viewing.planned_action.trigger()  # the planned film: the measurements move with the cut
    app.processEvents()
    slider_annotated = _slider_steps(window)
    window.controller.history.mark_saved()
    window.close()
    return {
        "osteotomy_slider_step_ms": _median_ms(slider_ms),
        "osteotomy_slider_step_with_ten_annotations_ms": _median_ms(slider_annotated),
        "viewport_px": [viewport.width(), viewport.height()],
        "drag_event_ms": _median_ms(drag_fit),
        "drag_event_at_100_percent_ms": _median_ms(drag_100),
        "drag_event_with_a_pso_ms": _median_ms(drag_planned),
        "drag_event_with_a_pso_and_ten_annotations_ms": _median_ms(drag_annotated),
        "drag_annotation_point_ms": _median_ms(drag_annotation_point),
        "window_level_full_ms": _median_ms(full_ms),
        "window_level_preview_ms": _median_ms(preview_ms),
    }


def bench_start() -> dict[str, object]:
    env = {**os.environ, "ALIGNMENT_PLANNER_EXIT_WHEN_READY": "1"}
    reported, wall = [], []
    for _ in range(5):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "alignment_planner"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        wall.append(1000 * (time.perf_counter() - start))
        found = re.search(r"ready after (\d+) ms", result.stderr)
        if found:
            reported.append(float(found.group(1)))
    return {"start_to_usable_window_wall_ms": _median_ms(wall), "start_in_process_ms": _median_ms(reported)}


def main() -> int:
    app = application()
    with tempfile.TemporaryDirectory(prefix="ap-bench-gui-") as folder:
        path = _make_image(Path(folder))
        result: dict[str, object] = {
            "image": "3000x9000 uint16, uncompressed DICOM",
            "image_mb": round(path.stat().st_size / 1e6, 1),
            "event_clock": "thread CPU time" if _event_clock is time.thread_time else "wall",
        }
        result.update(bench_open(app, path))
        result.update(bench_interaction(app, path))
    result.update(bench_start())
    result["targets"] = {
        "drag_event_ms.median": "<= 4",
        "drag_event_with_a_pso_and_ten_annotations_ms.median": "<= 4",
        "drag_annotation_point_ms.median": "<= 4",
        "osteotomy_slider_step_ms.median": "<= 8",
        "osteotomy_slider_step_with_ten_annotations_ms.median": "<= 8",
        "window_level_full_ms.median": "<= 25",
        "open_ratio_to_pydicom": "<= 1.5",
        "start_to_usable_window_wall_ms.median": "<= 2000",
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
