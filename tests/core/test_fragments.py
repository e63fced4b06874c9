"""Planned-image regions and motions (alignment_planner/fragments.py)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.ops import unary_union

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.scene.fragments import apply_affine, fragments
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SIZE = (2400.0, 7000.0)


def _plan(*osteotomies: Osteotomy, spacing: PixelSpacing, compensation: Compensation | None = None) -> Plan:
    return Plan(
        landmarks=build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(1300.0, 6200.0)),
        image=ImageRef(pixel_spacing=spacing),
        osteotomies=osteotomies,
        compensation=compensation,
    )


def _region_of(parts, pixel):  # type: ignore[no-untyped-def]
    hits = [f for f in parts if any(ShapelyPolygon(r).buffer(1e-6).contains(ShapelyPoint(pixel)) for r in f.rings)]
    assert len(hits) == 1, (pixel, [h.label for h in hits])
    return hits[0]


def test_nothing_planned_nothing_to_move() -> None:
    plan = _plan(spacing=PixelSpacing.isotropic(0.2))
    assert fragments(plan, analyze(plan), SIZE) == ()


@pytest.mark.parametrize("spacing", [PixelSpacing.isotropic(0.2), PixelSpacing(0.15, 0.2)], ids=["iso", "aniso"])
@pytest.mark.parametrize(
    "osteotomies",
    [
        (Osteotomy("PSO", "L3", 30.0),),
        (Osteotomy("PSO", "L4", 25.0), Osteotomy("SPO", "T11-T12", 10.0), Osteotomy("ACR", "L1-L2", 15.0)),
        (Osteotomy("KYPHOPLASTY", "T12", 10.0),),
    ],
    ids=["pso", "three-cuts", "kyphoplasty"],
)
@pytest.mark.parametrize("compensation", [None, Compensation("pt_target", 15.0)], ids=["fixed", "pt15"])
def test_every_landmark_moves_with_its_region(osteotomies, spacing, compensation) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(*osteotomies, spacing=spacing, compensation=compensation)
    analysis = analyze(plan)
    parts = fragments(plan, analysis, SIZE)
    assert len(parts) == len(osteotomies) + 1
    frame, post = analysis.frame, analysis.postop_skeleton
    assert frame is not None and post is not None
    checked = 0
    for level, vertebra in plan.landmarks.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            pixel = vertebra.point(name)
            if pixel is None or (level, name) in _near_a_cut(osteotomies):
                continue
            moved = apply_affine(_region_of(parts, pixel).motion, pixel)
            expected = frame.to_pixel(post.point(level, name))
            assert moved == pytest.approx(expected, abs=1e-6), f"{level}.{name}"
            checked += 1
    assert checked > 80


def _near_a_cut(osteotomies) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Points on the cut line itself (a vertebral cut's own corners may sit on either side)."""
    near = set()
    for o in osteotomies:
        if "-" not in o.level:
            near |= {(o.level, n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")}
    return near


def test_regions_tile_the_film() -> None:
    plan = _plan(Osteotomy("PSO", "L4", 25.0), Osteotomy("SPO", "T11-T12", 10.0), spacing=PixelSpacing.isotropic(0.2))
    parts = fragments(plan, analyze(plan), SIZE)
    polygons = [ShapelyPolygon(r) for f in parts for r in f.rings]
    assert unary_union(polygons).area == pytest.approx(SIZE[0] * SIZE[1], rel=1e-9)
    assert sum(p.area for p in polygons) == pytest.approx(SIZE[0] * SIZE[1], rel=1e-9)  # no overlap
    assert [f.label for f in parts] == ["below every cut", "above PSO L4", "above SPO T11-T12"]
