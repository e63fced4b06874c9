"""On every sample film, pre-op and planned, as ``render`` draws it and at a 1920×1080 window's fit,
each angle's value is printed beside its own arc and never across another angle's arc (review
finding 4: CPA's label sat three label heights from its arc, TPA's lay on CPA's arc)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_image import load_image_for_output
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.scene.labels import Box, PlacedLabel
from alignment_planner.scene.primitives import Arc
from tests.ui.conftest import ROOT, open_and_wait
from ui.export.render import export_scene

pytestmark = pytest.mark.gui

CASES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))
HIP_ANGLES = ("pelvis:pt", "TPA", "CPA")  # one vertex, the hip axis


def _arc_points(arc: Arc, n: int = 90) -> list[tuple[float, float]]:
    points = []
    for i in range(n + 1):
        angle = math.radians(arc.start_deg + arc.span_deg * i / n)
        points.append((arc.center[0] + math.cos(angle) * arc.radius, arc.center[1] - math.sin(angle) * arc.radius))
    return points


def _heights_from(box: Box, points: list[tuple[float, float]]) -> float:
    return min(math.dist(box.nearest_point(p), p) for p in points) / (box.bottom - box.top)


def _check(layout: tuple[PlacedLabel, ...], arcs: dict[str, Arc], within: float, where: str) -> None:
    points = {key: _arc_points(arc) for key, arc in arcs.items()}
    for placed in layout:
        own = placed.label.key.removesuffix(":label")
        box = placed.box
        if placed.label.style == "angle":
            across = [k for k, pts in points.items() if k != own and any(
                box.left < x < box.right and box.top < y < box.bottom for x, y in pts)]
            assert across == [], f"{where}: {placed.label.text} printed across {across}"
        if own in HIP_ANGLES:
            distance = _heights_from(box, points[own])
            assert distance <= within, f"{where}: {placed.label.text} {distance:.1f} label heights from its arc"


@pytest.mark.parametrize("path", CASES, ids=[p.parent.name for p in CASES])
def test_rendered_films(qapp, path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(path)
    analysis = analyze(plan)
    radiograph = load_image_for_output(plan, path, action="rendering")
    for stage in ("preop", "postop") if analysis.simulated else ("preop",):
        scene = export_scene(plan, analysis, radiograph, stage)  # type: ignore[arg-type]
        overlay = scene.overlay_item
        overlay.label_scale = max(1.0, scene.film_rect().height() / 1200.0)  # as render_scene_image
        overlay.legend_on_film = True
        arcs = {p.key: p for p in overlay.overlay.primitives if isinstance(p, Arc)}
        _check(overlay.label_layout(1.0), arcs, 1.5, f"{path.parent.name} {stage}")


def test_the_planner_at_1920(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1920, 1080)
    for path in CASES:
        open_and_wait(qtbot, window, path)
        for stage in ("preop", "postop") if window.controller.analysis.simulated else ("preop",):
            window.controller.set_stage(stage)  # type: ignore[arg-type]
            window.view.fit()
            QApplication.processEvents()
            overlay = window.scene.overlay_item
            zoom = window.view.viewportTransform().m11()
            arcs = {p.key: p for p in overlay.overlay.primitives if isinstance(p, Arc)}
            _check(overlay.label_layout(1.0 / zoom), arcs, 2.0, f"{path.parent.name} {stage}")
        window.controller.set_stage("preop")
