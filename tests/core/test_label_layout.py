"""The label layout (alignment_planner/scene/labels.py): beside the construction, never on another
label, never past the film's edge; a leader line whenever a label had to move away."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pydicom
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.scene.labels import Box, layout_labels, overlapping_pairs
from alignment_planner.scene.legend import legend
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import Arc, Label

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))


def text_size(text: str) -> tuple[float, float]:
    return 7.5 * len(text) + 6.0, 20.0


def test_a_free_label_stays_on_its_anchor() -> None:
    (placed,) = layout_labels(
        [Label("a", (100.0, 100.0), "PT 20.0°", "angle")], text_size=text_size, units_per_px=1.0
    )
    assert placed.box.center == pytest.approx((100.0, 100.0))
    assert placed.leader is None


def test_labels_on_one_anchor_spread_out_with_leaders() -> None:
    labels = [Label(f"k{i}", (200.0, 200.0), f"label {i}", "angle") for i in range(6)]
    placed = layout_labels(labels, text_size=text_size, units_per_px=1.0)
    assert overlapping_pairs(placed) == []
    for p in placed[1:]:
        assert p.leader is not None and p.leader[1] == (200.0, 200.0)
        assert math.dist(p.box.center, (200.0, 200.0)) < 120.0, "a moved label stays near its anchor"


def test_a_label_at_the_film_edge_is_pushed_inside() -> None:
    film = Box(0.0, 0.0, 300.0, 600.0)
    (placed,) = layout_labels(
        [Label("tpa", (295.0, 5.0), "TPA 35.4°", "angle")], text_size=text_size, units_per_px=1.0, bounds=film
    )
    assert placed.box.inside(film)


def test_labels_keep_off_landmark_handles_when_they_can() -> None:
    anchor = (100.0, 100.0)
    (placed,) = layout_labels(
        [Label("a", anchor, "SS 40.0°", "angle")], text_size=text_size, units_per_px=1.0, keep_clear=[anchor]
    )
    assert not (placed.box.left < 100.0 < placed.box.right and placed.box.top < 100.0 < placed.box.bottom)


@settings(max_examples=60, deadline=None)
@given(
    anchors=st.lists(st.tuples(st.floats(0, 400), st.floats(0, 900)), min_size=1, max_size=25),
    zoom=st.floats(0.2, 4.0),
)
def test_never_overlapping_and_always_inside_the_film(
    anchors: list[tuple[float, float]], zoom: float
) -> None:
    film = Box(0.0, 0.0, 400.0, 900.0)
    labels = [Label(f"k{i}", a, f"X {i * 11.1:.1f}°", "angle") for i, a in enumerate(anchors)]
    placed = layout_labels(labels, text_size=text_size, units_per_px=1.0 / zoom, bounds=film)
    width_px = max(text_size(label.text)[0] for label in labels)
    if width_px / zoom < 400.0 and 20.0 / zoom * len(labels) * 1.5 < 900.0:
        assert overlapping_pairs(placed) == []
        assert all(p.box.inside(film) for p in placed)


@pytest.mark.parametrize("path", CASES, ids=[p.parent.name for p in CASES])
@pytest.mark.parametrize("stage", ["preop", "postop"])
def test_sample_cases_at_fit(path: Path, stage: str) -> None:
    """Every sample case, laid out as at fit in a 1366×768 window (film ≈ 700 px high)."""
    plan = read_plan(path)
    overlay = build_overlay(plan, analyze(plan), stage)  # type: ignore[arg-type]
    # The film's own extent in display units (its header's rows and columns), as the screen and
    # `render` bound the labels; a box made from the label anchors was narrower than any label
    # that names a long span ("fusion C4–S1 (planned)").
    assert plan.image is not None
    header = pydicom.dcmread(plan.image.resolve(path.parent), stop_before_pixels=True)  # type: ignore[arg-type]
    height = header.Rows * overlay.geometry.scale_y
    film = Box(0.0, 0.0, header.Columns * overlay.geometry.scale_x, height)
    labels = [p for p in overlay.primitives if isinstance(p, Label)]
    placed = layout_labels(
        labels,
        text_size=text_size,
        units_per_px=height / 700.0,
        bounds=film,
        keep_clear=[h.position for h in overlay.handles],
    )
    assert overlapping_pairs(placed) == []
    assert all(p.box.inside(film) for p in placed)


def test_arcs_at_the_hip_axis_have_distinct_radii_and_their_labels_sit_on_them() -> None:
    plan = read_plan(ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json")
    overlay = build_overlay(plan, analyze(plan))
    arcs = {p.key: p for p in overlay.primitives if isinstance(p, Arc)}
    at_hip = [arcs[k] for k in ("pelvis:pt", "TPA", "CPA")]
    assert len({a.center for a in at_hip}) == 1
    radii = sorted(a.radius for a in at_hip)
    assert all(b > a * 1.15 for a, b in itertools.pairwise(radii))
    labels = {p.key: p for p in overlay.primitives if isinstance(p, Label)}
    for arc in at_hip:
        anchor = labels[arc.key + ":label"].anchor
        assert math.dist(anchor, arc.center) == pytest.approx(arc.radius, rel=0.02)


def test_the_legend_names_each_style_drawn() -> None:
    plan = read_plan(ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json")
    overlay = build_overlay(plan, analyze(plan))
    styles = {style for style, _text in legend(overlay)}
    assert styles == {p.style for p in overlay.primitives}
