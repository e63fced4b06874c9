"""Review 2 D1 in practice: after Check and Compare the film carries the overlay's labels (CL, TK,
PSO L4 30° …), the interpolated vertebrae's notes and the resident's error distances. They are one
layout: no painted label covers another."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from alignment_planner.teaching.cases import find_cases


@pytest.fixture(autouse=True)
def _practice_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNMENT_PLANNER_PRACTICE_DIR", str(tmp_path / "attempts"))
    monkeypatch.setenv("ALIGNMENT_PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "attempts"


# The levels a resident clicks in a shortened scope: the ones between are drawn interpolated.
CLICKED = ("C2", "C7", "T1", "T4", "T10", "T12", "L1", "L2", "L3", "L4", "L5", "S1")


def test_practice_compare_labels_do_not_overlap(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    case = next(c for c in find_cases() if c.id == "flatback_pso")
    assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: window.scene.image_item is not None and not window.status.busy.isVisible(), timeout=20000)
    session = window.practice.session
    assert session is not None
    expert = session.expert.landmarks
    for i, head in enumerate(expert.femoral_heads):
        window.controller.set_point_pixels(f"femoral_heads.{i}", head.center)
    for index, level in enumerate(CLICKED):
        vertebra = expert.vertebrae.get(level)
        if vertebra is None:
            continue
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            point = vertebra.point(name)
            if point is not None:  # off by 4–16 px (1.6–6.4 mm at 0.4 mm/px): distances are drawn
                shift = 4.0 + 4.0 * ((index + len(name)) % 4)
                window.controller.set_point_pixels(f"{level}.{name}", (point[0] + shift, point[1] - shift / 2))
    window.practice_panel.check_button.click()
    assert session.score is not None
    panel = window.osteotomies
    panel.type_box.setCurrentIndex(panel.type_box.findData("PSO"))
    panel.level_box.setCurrentText("L4")
    panel.add_button.click()
    window.practice_panel.compare_button.click()
    assert session.comparison is not None
    window.view.fit()
    for _ in range(5):
        QApplication.processEvents()
    window.view.viewport().grab()  # paint: every item lays out its labels for this view

    transform = window.view.viewportTransform()
    zoom = transform.m11()
    boxes: list[tuple[str, QRectF]] = []
    for placed in window.scene.overlay_item.label_layout(1.0 / zoom):
        b = placed.box
        boxes.append((placed.label.text, transform.mapRect(QRectF(b.left, b.top, b.right - b.left, b.bottom - b.top))))
    ghosts = window.scene.ghosts.label_layout(transform)
    assert ghosts, "the test needs interpolated vertebrae on the film"
    boxes += [(p.label.text, QRectF(p.box.left, p.box.top, p.box.right - p.box.left, p.box.bottom - p.box.top))
              for p in ghosts]
    distances = window.practice_errors.placed_labels
    assert distances, "the test needs error distances on the film"
    boxes += [(p.label.text, QRectF(p.box.left, p.box.top, p.box.right - p.box.left, p.box.bottom - p.box.top))
              for p in distances]
    assert any("PSO L4" in text for text, _box in boxes)
    cut = next(p for p in window.scene.overlay_item.label_layout(1.0 / zoom) if "PSO L4" in p.label.text)
    # The cut's label at its cut (the end of the cut line), not levels away with a leader.
    cut = next(p for p in window.scene.overlay_item.label_layout(1.0 / zoom) if "PSO L4" in p.label.text)
    label_height = cut.box.bottom - cut.box.top
    assert cut.box.top - label_height <= cut.label.anchor[1] <= cut.box.bottom + label_height, (cut.box, cut.label.anchor)
    overlapping = [(a, b) for (a, ra), (b, rb) in itertools.combinations(boxes, 2) if ra.intersects(rb)]
    assert overlapping == []
