"""Practice: the resident's error distances are laid out like the overlay's labels (review finding
9): never on another label, and off the landmarks, the crosses and the drawn lines wherever a spot
near the click is clear of them, on every sample case at 1366×768 and 1920×1080.

Where none is (the hip-to-C2 and hip-to-T1 rays, the C7 plumb line and the Cobb lines cross the
whole spine at a fit zoom), a distance may still lie on a line: the bounds below are what this
layout achieves on the sample cases; the old one put 41 % (1366) and 66 % (1920) of them on a
drawn line and 20 % on a landmark or cross."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from alignment_planner.scene.label_strokes import SAMPLE_PX, line_stroke
from alignment_planner.scene.labels import Box, layout_labels
from alignment_planner.scene.primitives import Label
from alignment_planner.teaching.cases import find_cases
from ui.canvas.label_room import drawn_strokes, ghost_label_boxes, marks_to_keep_clear, overlay_label_boxes

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _practice_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNMENT_PLANNER_PRACTICE_DIR", str(tmp_path / "attempts"))
    monkeypatch.setenv("ALIGNMENT_PLANNER_CACHE_DIR", str(tmp_path / "cache"))


CLICKED = ("C2", "C7", "T1", "T4", "T10", "T12", "L1", "L2", "L3", "L4", "L5", "S1")


def _practise(qtbot, window, case) -> None:  # type: ignore[no-untyped-def]
    assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: window.scene.image_item is not None and not window.status.busy.isVisible(), timeout=20000)
    expert = window.practice.session.expert.landmarks
    for i, head in enumerate(expert.femoral_heads):
        window.controller.set_point_pixels(f"femoral_heads.{i}", head.center)
    for index, level in enumerate(CLICKED):
        vertebra = expert.vertebrae.get(level)
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf") if vertebra else ():
            point = vertebra.point(name)
            if point is not None:  # 1.6–6.4 mm off: every grade but "good" gets a distance
                shift = 4.0 + 4.0 * ((index + len(name)) % 4)
                window.controller.set_point_pixels(f"{level}.{name}", (point[0] + shift, point[1] - shift / 2))
    window.practice_panel.check_button.click()
    window.view.fit()
    for _ in range(3):
        QApplication.processEvents()
    window.view.viewport().grab()  # paint: the distances are laid out for this view


def _inside(box: Box, x: float, y: float) -> bool:
    return box.left < x < box.right and box.top < y < box.bottom


@pytest.mark.parametrize(("size", "on_line", "on_mark"), [((1366, 768), 0.25, 0.12), ((1920, 1080), 0.30, 0.06)])
def test_distances_keep_off_labels_landmarks_and_lines(qtbot, make_window, size, on_line, on_mark) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(*size)
    total = over_line = over_mark = 0
    for case in find_cases():
        _practise(qtbot, window, case)
        item = window.practice_errors
        transform = window.view.viewportTransform()
        placed = item.placed_labels
        assert placed, case.id
        others = overlay_label_boxes(window.scene, transform) + ghost_label_boxes(window.scene, transform)
        boxes = [p.box for p in placed] + list(others)
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), (case.id, a, b)  # never on another label
        strokes = list(drawn_strokes(window.scene, transform))
        for error in item.errors:
            if error.placed is not None:
                ends = [transform.map(QPointF(*item.geometry.to_display(p))) for p in (error.placed, error.expert)]
                strokes.append(line_stroke(error.key, ends[0].toTuple(), ends[1].toTuple(), SAMPLE_PX))
        marks = marks_to_keep_clear(window.scene, transform)
        for label in placed:
            total += 1
            box = label.box
            over_line += any(
                s.owner != label.label.key and any(_inside(box, x, y) for x, y in s.points) for s in strokes
            )
            over_mark += any(_inside(box, x, y) for x, y in marks)
        window.practice.end_practice()
        window.controller.history.mark_saved()  # the next case opens without a question
    assert total > 100
    assert over_line <= on_line * total, f"{over_line} of {total} distances on a drawn line"
    assert over_mark <= on_mark * total, f"{over_mark} of {total} distances on a landmark or cross"


def test_a_distance_keeps_off_another_landmarks_error_like_a_landmark(qapp) -> None:  # type: ignore[no-untyped-def]
    """Heavy strokes (the error lines) cost what a landmark does: the label moves up to a few
    rings to keep off another landmark's error, but lies freely on its own."""
    size = lambda text: (60.0, 14.0)  # noqa: E731
    other = line_stroke("L3.ant_sup", (200.0, 92.0), (280.0, 108.0), 3.0, heavy=True)
    own = line_stroke("L3.post_sup", (200.0, 92.0), (280.0, 108.0), 3.0, heavy=True)
    label = Label("L3.post_sup", (200.0, 100.0), "7.2 mm", "construction", "right")
    (beside_other,) = layout_labels([label], text_size=size, units_per_px=1.0, keep_off=[other])
    (beside_own,) = layout_labels([label], text_size=size, units_per_px=1.0, keep_off=[own])
    assert not any(_inside(beside_other.box, x, y) for x, y in other.points)
    assert beside_own.box == Box(202.0, 93.0, 262.0, 107.0)  # its own error: right of the click
