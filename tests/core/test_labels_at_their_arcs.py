"""Angle labels sit beside their own arcs (review finding 4: the CPA label sat far from its arc,
and TPA's took the spot on CPA's arc). PT, TPA and CPA share the hip axis as their vertex: a value
printed on another angle's arc is read as that angle's. So an angle's label may sit anywhere along
its own arc (``Label.along``), keeps off the other angles' arcs (``keep_off``), and the angles'
labels are placed before the labels of long lines and brackets (SVA, fusions, procedures)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.scene.label_strokes import Stroke, arc_stroke, line_stroke
from alignment_planner.scene.labels import Box, angles_first, layout_labels
from alignment_planner.scene.overlay import ARC_LABEL_SPOTS, build_overlay
from alignment_planner.scene.primitives import Arc, Label

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))


def text_size(text: str) -> tuple[float, float]:
    return 7.5 * len(text) + 6.0, 20.0


def test_a_taken_anchor_sends_the_label_along_its_construction_not_away() -> None:
    # The middle of the arc is taken; a point further along it is free: the label sits there,
    # centred on its own arc, with no leader (it needs none), rather than rings from the middle.
    taken = Box(40.0, 80.0, 160.0, 120.0)
    label = Label("CPA:label", (100.0, 100.0), "CPA 39.8°", "angle", along=((300.0, 100.0),))
    (placed,) = layout_labels([label], text_size=text_size, units_per_px=1.0, reserved=[taken])
    assert placed.box.center == pytest.approx((300.0, 100.0))
    assert placed.leader is None


def test_a_label_moved_off_its_construction_points_to_the_nearest_part_of_it() -> None:
    everywhere = [Box(x - 60.0, 70.0, x + 60.0, 130.0) for x in (100.0, 300.0)]
    label = Label("CPA:label", (100.0, 100.0), "CPA 39.8°", "angle", along=((300.0, 100.0),))
    (placed,) = layout_labels([label], text_size=text_size, units_per_px=1.0, reserved=everywhere)
    assert placed.leader is not None
    near = min(label.anchors, key=lambda a: math.dist(placed.box.nearest_point(a), a))
    assert placed.leader[1] == near


def test_a_label_keeps_off_another_angles_arc_but_may_lie_on_its_own() -> None:
    line = line_stroke("TPA", (0.0, 100.0), (200.0, 100.0), 3.0)  # through the anchor
    tpa = Label("TPA:label", (100.0, 100.0), "TPA 35.4°", "angle")
    cpa = Label("CPA:label", (100.0, 100.0), "CPA 39.8°", "angle")
    (own,) = layout_labels([tpa], text_size=text_size, units_per_px=1.0, keep_off=[line])
    (other,) = layout_labels([cpa], text_size=text_size, units_per_px=1.0, keep_off=[line])
    assert own.box.center == pytest.approx((100.0, 100.0))  # its own arc: centred on it
    assert not (other.box.top < 100.0 < other.box.bottom)  # another's: beside it, off the line
    assert math.dist(other.box.center, (100.0, 100.0)) < 40.0  # and still next to its anchor


def test_a_strokes_cost_is_a_few_rings_not_a_ban() -> None:
    """Where every spot near the anchor lies on another stroke, the label still stays near."""
    strokes = [line_stroke("x", (0.0, y), (400.0, y), 3.0) for y in range(0, 400, 8)]
    label = Label("CPA:label", (200.0, 200.0), "CPA 39.8°", "angle")
    (placed,) = layout_labels([label], text_size=text_size, units_per_px=1.0, keep_off=strokes)
    assert placed.box.center == pytest.approx((200.0, 200.0))


def test_arc_strokes_lie_on_the_arc() -> None:
    arc = Arc("CPA", (0.0, 0.0), 50.0, 80.0, 40.0, "angle")
    stroke: Stroke = arc_stroke(arc, 3.0)
    assert stroke.owner == "CPA" and len(stroke.points) >= 2 * math.radians(40.0) * 50.0 / 3.0 / 2
    for x, y in stroke.points:
        assert math.hypot(x, y) == pytest.approx(50.0)
        assert 80.0 - 1e-9 <= math.degrees(math.atan2(-y, x)) <= 120.0 + 1e-9  # y down on screen


def test_angles_are_placed_before_long_lines_and_brackets() -> None:
    labels = [
        Label("plumb:label", (0.0, 0.0), "SVA 137.0 mm", "plumb"),
        Label("TPA:label", (0.0, 0.0), "TPA", "angle"),
        Label("fusion:0:label", (0.0, 0.0), "fusion", "fusion"),
        Label("CPA:label", (0.0, 0.0), "CPA", "angle"),
    ]
    assert [label.key for label in angles_first(labels)] == [
        "TPA:label", "CPA:label", "plumb:label", "fusion:0:label",
    ]


@pytest.mark.parametrize("path", CASES, ids=[p.parent.name for p in CASES])
def test_every_angle_label_may_sit_anywhere_along_its_own_arc(path: Path) -> None:
    plan = read_plan(path)
    overlay = build_overlay(plan, analyze(plan))
    arcs = {p.key: p for p in overlay.primitives if isinstance(p, Arc)}
    labels = [p for p in overlay.primitives if isinstance(p, Label) and p.style == "angle"]
    assert {label.key.removesuffix(":label") for label in labels} >= {"pelvis:pt", "TPA", "CPA"}
    for label in labels:
        arc = arcs[label.key.removesuffix(":label")]
        assert len(label.anchors) == len(ARC_LABEL_SPOTS)
        for point in label.anchors:
            assert math.dist(point, arc.center) == pytest.approx(arc.radius)
        middle = math.radians(arc.start_deg + arc.span_deg / 2)
        expected = (arc.center[0] + math.cos(middle) * arc.radius, arc.center[1] - math.sin(middle) * arc.radius)
        assert label.anchor == pytest.approx(expected)  # the middle first
