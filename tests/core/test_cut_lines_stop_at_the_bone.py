"""A cut is drawn across the bone it goes through and no further (review finding 5): the cut line
and the wedge run from just in front of the body (or disc) to the back of the posterior elements,
where the laminae end, never out through the posterior soft tissue to the skin. Every osteotomy
type, at cervical, thoracic and lumbar levels, on every sample film: each end lies inside the
patient (soft tissue or bone on the film, not air), and the line's back end lies exactly
``POSTERIOR_ELEMENTS`` × the depth behind the posterior wall, worked out from the corners."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.anatomy.levels import parse_disc
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import load_radiograph
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.wedge_outline import FRONT_MARGIN, POSTERIOR_ELEMENTS
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import Line, Polygon

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))
CUTS = (
    Osteotomy("SPO", "T8-T9", 8.0), Osteotomy("SPO", "L3-L4", 10.0), Osteotomy("SPO", "C5-C6", 8.0),
    Osteotomy("PSO", "L3", 30.0), Osteotomy("PSO", "T11", 25.0), Osteotomy("PSO", "C7", 25.0),
    Osteotomy("EPSO", "L2", 35.0), Osteotomy("VCR", "T12", 40.0), Osteotomy("ACR", "L2-L3", 20.0),
    Osteotomy("INTERBODY", "L4-L5", 12.0), Osteotomy("TDR", "C5-C6", 6.0), Osteotomy("KYPHOPLASTY", "L1", 10.0),
)
AIR = 700  # the films' air reads about 250, soft tissue above 1100 (16-bit stored values)


def _inside(film: np.ndarray, pixel: tuple[float, float]) -> bool:
    x, y = round(pixel[0]), round(pixel[1])
    patch = film[max(y - 1, 0) : y + 2, max(x - 1, 0) : x + 2]
    return patch.size > 0 and float(patch.mean()) > AIR


def _depth_and_back(plan, cut):  # type: ignore[no-untyped-def]
    """The body's (or disc's) depth and its posterior wall midpoint, in pixels (0.4 mm isotropic)."""
    v = plan.landmarks.vertebrae
    disc = parse_disc(cut.level)
    if disc is not None:
        upper, lower = disc
        front = np.mean([v[upper].point("ant_inf"), v[lower].point("ant_sup")], axis=0)
        back = np.mean([v[upper].point("post_inf"), v[lower].point("post_sup")], axis=0)
    else:
        front = np.mean([v[cut.level].point("ant_sup"), v[cut.level].point("ant_inf")], axis=0)
        back = np.mean([v[cut.level].point("post_sup"), v[cut.level].point("post_inf")], axis=0)
    return float(np.linalg.norm(back - front)), back, front


@pytest.mark.parametrize("path", CASES, ids=[p.parent.name for p in CASES])
def test_every_cut_stops_at_the_bone(path: Path) -> None:
    film = np.asarray(load_radiograph(path.parent / "image.dcm").stored)
    base = read_plan(path)
    checked = 0
    for cut in CUTS:
        plan = replace(base, osteotomies=(cut,), procedures=(), compensation=None)
        if any(not plan.landmarks.vertebrae.get(level) for level in (parse_disc(cut.level) or (cut.level,))):
            continue
        overlay = build_overlay(plan, analyze(plan))
        line = next(p for p in overlay.primitives if isinstance(p, Line) and p.key == "cut:0")
        wedge = [p for p in overlay.primitives if isinstance(p, Polygon) and p.key == "cut:0:wedge"]
        ends = [line.a, line.b] + [q for polygon in wedge for q in polygon.points]
        for end in ends:  # display units are the film's pixels here (isotropic 0.4 mm)
            assert _inside(film, end), f"{cut.type} {cut.level}: {end} lies outside the patient"
        depth, back, front = _depth_and_back(plan, cut)
        backwards = (back - front) / depth
        hinge = np.asarray(line.a) + backwards * np.dot(back - np.asarray(line.a), backwards)
        behind_wall = float(np.dot(np.asarray(line.b) - back, backwards))
        hinge_behind = float(np.dot(hinge - back, backwards))
        assert behind_wall == pytest.approx(max(POSTERIOR_ELEMENTS * depth, hinge_behind), abs=1e-6), cut
        in_front = float(np.dot(front - np.asarray(line.a), backwards))
        assert in_front == pytest.approx(FRONT_MARGIN * depth, abs=1e-6) or in_front <= 0.0, cut
        checked += 1
    assert checked >= 10


def test_the_cut_line_is_no_longer_than_the_bone_it_crosses() -> None:
    """Scheuermann's four thoracic SPOs (the review's case): each line spans the disc and the
    posterior elements, 1 + 0.1 + 0.7 of the disc's depth, not a fixed 112 mm."""
    plan = read_plan(ROOT / "sample_cases" / "scheuermann_kyphosis" / "scheuermann_kyphosis.plan.json")
    overlay = build_overlay(plan, analyze(plan))
    for index, cut in enumerate(plan.osteotomies):
        line = next(p for p in overlay.primitives if isinstance(p, Line) and p.key == f"cut:{index}")
        depth, _back, _front = _depth_and_back(plan, cut)
        assert math.dist(line.a, line.b) == pytest.approx((1.0 + FRONT_MARGIN + POSTERIOR_ELEMENTS) * depth, rel=1e-6)
        assert math.dist(line.a, line.b) * 0.4 < 60.0  # mm: a thoracic disc is ~30 mm deep
