"""The legs stay when the pelvis turns (review finding 6; clinical.md §3.3 step 5, §4.6): a pelvic
compensation turns the trunk and pelvis about the hip axis, on the femoral heads; the femora do not
turn with it. On the planned film the femoral shafts stay as they were, the femoral heads stay
where they are, and a measurement drawn on a femur does not tilt.

The flatback sample releases PT 31° → 20° (PT released to at most 20°): φ = 11.0°."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.ops import unary_union

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Annotation
from alignment_planner.scene.fragments import IDENTITY, LEGS_LABEL, apply_affine, fragments
from alignment_planner.scene.planned_annotations import planned_annotations

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"
SIZE = (1125.0, 2625.0)  # the sample film, 0.4 mm/px


def _setup():  # type: ignore[no-untyped-def]
    plan = read_plan(FLATBACK)
    analysis = analyze(plan)
    assert analysis.compensation_deg == pytest.approx(11.0, abs=0.01)
    return plan, analysis


def _pixel(analysis, forward_mm: float, up_mm: float):  # type: ignore[no-untyped-def]
    """A pre-op pixel at an offset (mm, anatomical frame) from the hip axis."""
    hip = analysis.preop_skeleton.hip_axis()
    return analysis.frame.to_pixel((hip[0] + forward_mm, hip[1] + up_mm))


def _region_of(parts, pixel):  # type: ignore[no-untyped-def]
    hits = [f for f in parts if any(ShapelyPolygon(r).buffer(1e-6).contains(ShapelyPoint(pixel)) for r in f.rings)]
    assert len(hits) == 1, (pixel, [h.label for h in hits])
    return hits[0]


def test_the_femora_stay_and_the_pelvis_turns_on_them() -> None:
    plan, analysis = _setup()
    parts = fragments(plan, analysis, SIZE)
    assert [f.label for f in parts] == [LEGS_LABEL, "below every cut", "above PSO L3"]
    legs, pelvis = parts[0], parts[1]
    assert legs.motion == IDENTITY
    # A femoral shaft 60–180 mm below the hips (the film ends 190 mm below them), and the heads.
    for down in (60.0, 120.0, 180.0):
        shaft = _pixel(analysis, 0.0, -down)
        assert _region_of(parts, shaft) is legs
        assert apply_affine(_region_of(parts, shaft).motion, shaft) == pytest.approx(shaft)
    for head in plan.landmarks.femoral_heads:
        assert _region_of(parts, head.center) is legs
    # The iliac wing, 60 mm above the hips and behind them, turns by φ about the hip axis.
    ilium = _pixel(analysis, -30.0, 60.0)
    assert _region_of(parts, ilium) is pelvis
    hip = analysis.frame.to_pixel(analysis.preop_skeleton.hip_axis())
    moved = apply_affine(pelvis.motion, ilium)
    assert math.dist(moved, hip) == pytest.approx(math.dist(ilium, hip), rel=1e-9)  # about the hip axis
    turned = math.degrees(
        math.atan2(moved[1] - hip[1], moved[0] - hip[0]) - math.atan2(ilium[1] - hip[1], ilium[0] - hip[0])
    )
    assert abs(turned) == pytest.approx(11.0, abs=0.01)


def test_the_regions_still_tile_the_film() -> None:
    plan, analysis = _setup()
    polygons = [ShapelyPolygon(r) for f in fragments(plan, analysis, SIZE) for r in f.rings]
    assert unary_union(polygons).area == pytest.approx(SIZE[0] * SIZE[1], rel=1e-9)
    assert sum(p.area for p in polygons) == pytest.approx(SIZE[0] * SIZE[1], rel=1e-9)


def test_every_vertebra_still_moves_with_its_region() -> None:
    plan, analysis = _setup()
    parts = fragments(plan, analysis, SIZE)
    for level, vertebra in plan.landmarks.vertebrae.items():
        if level == "L3":
            continue  # the PSO's own vertebra lies on its cut line
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            pixel = vertebra.point(name)
            if pixel is not None:
                expected = analysis.frame.to_pixel(analysis.postop_skeleton.point(level, name))
                assert apply_affine(_region_of(parts, pixel).motion, pixel) == pytest.approx(expected, abs=1e-6)


def test_the_femoral_heads_do_not_move_in_the_model() -> None:
    """Both head centres lie on the axis the pelvis turns about: turning them about their
    midpoint on the film would move each by half their separation times φ."""
    _plan, analysis = _setup()
    assert analysis.postop_skeleton.heads == analysis.preop_skeleton.heads
    assert analysis.postop_skeleton.hip_axis() == analysis.preop_skeleton.hip_axis()


def test_no_turn_no_legs_apart() -> None:
    plan, _analysis = _setup()
    fixed = replace(plan, compensation=None)
    assert [f.label for f in fragments(fixed, analyze(fixed), SIZE)] == ["below every cut", "above PSO L3"]


def test_a_line_drawn_along_a_femur_does_not_tilt() -> None:
    plan, analysis = _setup()
    shaft = (_pixel(analysis, 0.0, -60.0), _pixel(analysis, 5.0, -180.0))
    ilium = (_pixel(analysis, -40.0, 50.0), _pixel(analysis, -10.0, 90.0))
    plan = replace(plan, annotations=(Annotation("distance", shaft), Annotation("distance", ilium)))
    femur, pelvis = planned_annotations(plan, analyze(plan))
    assert femur.annotation.points == shaft
    assert pelvis.annotation.points != ilium
