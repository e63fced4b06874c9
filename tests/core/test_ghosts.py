"""Interpolated ghosts of unclicked vertebrae (issue 17 §2): for drawing and picking only."""

from __future__ import annotations

import math
from pathlib import Path

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.measurements.guide import steps_for
from alignment_planner.scene.ghosts import ghost_vertebrae, with_ghosts

EXPERT = read_plan(Path(__file__).resolve().parents[2] / "sample_cases" / "normal_adult" / "normal_adult.plan.json")


def _standard_corners() -> Landmarks:
    landmarks = Landmarks()
    for step in steps_for("standard"):
        point = None if step.is_head else EXPERT.landmarks.point(step.level, step.point)
        if point is not None:
            landmarks = landmarks.with_point(step.level, step.point, point)
    return landmarks


def test_ghosts_only_for_unclicked_vertebrae_between_placed_endplates() -> None:
    landmarks = _standard_corners()
    ghosts = ghost_vertebrae(landmarks)
    assert "L3" in ghosts and "T7" in ghosts and "C4" in ghosts
    assert not set(ghosts) & set(landmarks.vertebrae)  # a vertebra with any point is no ghost
    only_lumbar = Landmarks().with_point("L4", "post_sup", (0.0, 0.0)).with_point("L4", "ant_sup", (40.0, 0.0))
    assert ghost_vertebrae(only_lumbar) == {}  # one endplate: nothing to interpolate between


def test_a_ghost_lies_near_the_true_body_on_a_standard_case() -> None:
    ghosts = ghost_vertebrae(_standard_corners())
    mm = EXPERT.calibration.spacing.row  # type: ignore[union-attr]
    for level, corners in ghosts.items():
        truth = [EXPERT.landmarks.point(level, n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
        worst = max(math.dist(g, t) for g, t in zip(corners, truth, strict=True))  # type: ignore[arg-type]
        assert worst * mm < 10.0, level  # a drawing aid, labelled as interpolated


def test_ghosts_never_reach_the_landmarks() -> None:
    landmarks = _standard_corners()
    ghosts = ghost_vertebrae(landmarks)
    assert landmarks.point("L3", "ant_sup") is None  # the function builds nothing into the plan
    picked = with_ghosts(landmarks)
    assert picked.point("L3", "ant_sup") == ghosts["L3"][0]
