"""The outline each cut draws on the pre-op film (alignment_planner/procedures/wedge_outline.py):
every procedure type has one, with the cut's angle at its apex, on the right side of the spine."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.simulate import initial_hinge
from alignment_planner.procedures.wedge_outline import wedge_outline
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import Polygon

PLAN = read_plan(Path(__file__).resolve().parents[2] / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json")
ANALYSIS = analyze(PLAN)
SKELETON = ANALYSIS.preop_skeleton
FRAME = ANALYSIS.frame
LEVEL = {"disc": "L4-L5", "vertebra": "L3"}


def _outline(type_key: str, angle: float):  # type: ignore[no-untyped-def]
    osteotomy = Osteotomy(type_key, LEVEL[PROCEDURE_TYPES[type_key].site], angle)
    assert SKELETON is not None and FRAME is not None
    hinge = initial_hinge(SKELETON, osteotomy, FRAME)
    return wedge_outline(SKELETON, osteotomy, hinge), hinge


def _apex_angle(apex: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    u = (a[0] - apex[0], a[1] - apex[1])
    v = (b[0] - apex[0], b[1] - apex[1])
    return math.degrees(math.acos((u[0] * v[0] + u[1] * v[1]) / (math.hypot(*u) * math.hypot(*v))))


@pytest.mark.parametrize("type_key", ["PSO", "EPSO", "SPO"])
def test_closing_wedges_have_the_cut_angle_at_the_hinge_and_open_backwards(type_key: str) -> None:
    outline, hinge = _outline(type_key, 30.0)
    assert outline.kind == "removed"
    apex, a, b = outline.outline
    assert apex == hinge
    assert _apex_angle(apex, a, b) == pytest.approx(30.0, abs=1e-6)
    # x points to the patient's front in the anatomical frame: the bone removed lies behind.
    assert a[0] < hinge[0] and b[0] < hinge[0]


@pytest.mark.parametrize("type_key", ["ACR", "INTERBODY"])
def test_opening_wedges_open_the_disc_in_front_with_a_cage(type_key: str) -> None:
    outline, hinge = _outline(type_key, 20.0)
    assert outline.kind == "opened" and outline.cage is not None and len(outline.cage) == 4
    apex, front, opened = outline.outline
    assert apex == hinge
    assert _apex_angle(apex, front, opened) == pytest.approx(20.0, abs=1e-6)
    assert opened[1] > front[1], "the upper endplate's front is lifted"
    cage_xs = [p[0] for p in outline.cage]
    assert min(cage_xs) > hinge[0] - 1.0, "the cage sits in the disc, in front of the hinge"


def test_vcr_removes_the_whole_segment() -> None:
    outline, _hinge = _outline("VCR", 40.0)
    assert outline.kind == "removed"
    assert SKELETON is not None
    for corner in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
        assert SKELETON.point("L3", corner) in outline.outline


def test_kyphoplasty_restores_the_anterior_height() -> None:
    outline, _hinge = _outline("KYPHOPLASTY", 10.0)
    assert SKELETON is not None
    post, ant, lifted = outline.outline
    assert post == SKELETON.point("L3", "post_sup") and ant == SKELETON.point("L3", "ant_sup")
    assert lifted[1] > ant[1]
    assert _apex_angle(post, ant, lifted) == pytest.approx(10.0, abs=1e-6)


@pytest.mark.parametrize("type_key", sorted(PROCEDURE_TYPES))
def test_every_type_draws_its_outline_on_the_preop_film_only(type_key: str) -> None:
    kind = PROCEDURE_TYPES[type_key]
    plan = replace(PLAN, osteotomies=(Osteotomy(type_key, LEVEL[kind.site], kind.default_angle),))
    analysis = analyze(plan)
    wedges = [p for p in build_overlay(plan, analysis).primitives if isinstance(p, Polygon) and p.style == "wedge"]
    assert len(wedges) == 1
    planned = build_overlay(plan, analysis, "postop").primitives
    assert not [p for p in planned if isinstance(p, Polygon) and p.style == "wedge"]


def test_an_spo_wedge_stops_at_the_posterior_elements() -> None:
    """Review D: the SPO's closure was drawn 1.3 disc depths behind the hinge, out to the skin.
    It ends, like a PSO's, POSTERIOR_ELEMENTS × the depth behind the posterior wall (the back of
    the laminae): measured along the disc's front-to-back axis from the posterior disc corners."""
    from alignment_planner.geometry.primitives import midpoint
    from alignment_planner.procedures.wedge_outline import POSTERIOR_ELEMENTS

    assert SKELETON is not None
    outline, hinge = _outline("SPO", 10.0)
    front = midpoint(SKELETON.point("L4", "ant_inf"), SKELETON.point("L5", "ant_sup"))
    back = midpoint(SKELETON.point("L4", "post_inf"), SKELETON.point("L5", "post_sup"))
    depth = math.dist(front, back)
    axis = ((back[0] - front[0]) / depth, (back[1] - front[1]) / depth)
    behind_wall = [(p[0] - back[0]) * axis[0] + (p[1] - back[1]) * axis[1] for p in outline.outline[1:]]
    assert hinge == back  # the default SPO hinge: the posterior disc
    for extent in behind_wall:  # each ray, 5° off the axis: its end projects to the same depth
        assert extent == pytest.approx(POSTERIOR_ELEMENTS * depth, rel=1e-9)
