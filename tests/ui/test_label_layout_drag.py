"""Labels during and after a drag, with real mouse events: the layout is redone from cached text
sizes and the last offsets on every move, and must never show a label where it was, or sized for
the text it had."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLE_PLAN, drag, open_and_wait, viewport_point
from ui.canvas.overlay_item import LABEL_PAD_PX
from ui.canvas.palette import label_font


def _painted(window) -> dict[str, QRectF]:  # type: ignore[no-untyped-def]
    window.view.viewport().repaint()
    return dict(window.scene.overlay_item.painted_label_rects)


def _label(window, key: str):  # type: ignore[no-untyped-def]
    return next(p for p in window.controller.overlay.primitives if getattr(p, "key", None) == key)


def _on_screen(window, point: tuple[float, float]) -> QPointF:  # type: ignore[no-untyped-def]
    return window.view.viewportTransform().map(QPointF(*point))


def _open(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)  # a PSO at L3
    window.view.fit()
    QApplication.processEvents()
    return window


def test_a_cut_label_is_painted_at_its_cut_after_the_hinge_is_dragged(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, make_window)
    before = _painted(window)["cut:0:label"]
    anchor_before = _on_screen(window, _label(window, "cut:0:label").anchor)
    hinge = next(h for h in window.controller.overlay.handles if h.key == "osteotomy.0")
    start = viewport_point(window, hinge.position)
    drag(window, start, start + QPoint(0, 40), Qt.MouseButton.LeftButton, steps=10)
    QApplication.processEvents()
    assert window.controller.history.undo_count >= 1

    after = _painted(window)["cut:0:label"]
    anchor = _on_screen(window, _label(window, "cut:0:label").anchor)
    height = after.height()
    assert math.dist((anchor.x(), anchor.y()), (anchor_before.x(), anchor_before.y())) > 2 * height
    # At the new end of the cut line (on it or beside it), not where the cut was before the drag.
    nearest = (min(max(anchor.x(), after.left()), after.right()), min(max(anchor.y(), after.top()), after.bottom()))
    assert math.dist(nearest, (anchor.x(), anchor.y())) <= height, (after, anchor)
    assert not after.intersects(before)


def test_every_label_is_sized_for_its_current_text_after_a_landmark_drag(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, make_window)
    _painted(window)
    texts_before = {p.label.key: p.label.text for p in window.scene.overlay_item.label_layout(1 / window.view.zoom)}
    handle = next(h for h in window.controller.overlay.handles if h.key == "L1.ant_sup")
    start = viewport_point(window, handle.position)
    drag(window, start, start + QPoint(-14, 10), Qt.MouseButton.LeftButton, steps=10)
    QApplication.processEvents()

    painted = _painted(window)
    layout = {p.label.key: p.label for p in window.scene.overlay_item.label_layout(1 / window.view.zoom)}
    changed = [key for key, label in layout.items() if texts_before.get(key) != label.text]
    assert changed, "the drag changes some values (the test needs new texts)"
    metrics = QFontMetricsF(label_font(1.0))
    pad = 2 * LABEL_PAD_PX
    for key, label in layout.items():
        rect = painted[key]
        assert rect.width() == pytest.approx(metrics.horizontalAdvance(label.text) + pad), key
        assert rect.height() == pytest.approx(metrics.height() + pad), key


def test_ghosts_come_and_go_with_the_points_of_a_vertebra(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """A full landmarking has no interpolated vertebrae, and a drag leaves it so without redoing
    them; removing every point of L3 brings its ghost (and its note) back, placing one takes it
    away again."""
    window = _open(qtbot, make_window)
    assert window.scene.ghosts.polygons == {}
    handle = next(h for h in window.controller.overlay.handles if h.key == "L2.ant_sup")
    start = viewport_point(window, handle.position)
    drag(window, start, start + QPoint(6, 4), Qt.MouseButton.LeftButton, steps=4)
    assert window.scene.ghosts.polygons == {}
    l3 = window.controller.plan.landmarks.vertebra("L3")
    assert l3 is not None
    placed = {name: l3.point(name) for name in l3.present()}
    for name in placed:
        window.controller.remove_point(f"L3.{name}")
    assert set(window.scene.ghosts.polygons) == {"L3"}
    window.view.viewport().repaint()
    notes = window.scene.ghosts.label_layout(window.view.viewportTransform())
    assert [n.label.text for n in notes] == ["L3 (interpolated)"]
    window.controller.set_point_pixels("L3.ant_sup", placed["ant_sup"])  # type: ignore[arg-type]
    assert window.scene.ghosts.polygons == {}
