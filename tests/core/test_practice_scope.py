"""Practice scores what the resident's landmarking scope asked for (issue 17: practice with every
scope), a placed body centre against the expert's (the mean of the expert's corners)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.teaching.scoring import score_landmarks

EXPERT = read_plan(Path(__file__).resolve().parents[2] / "sample_cases" / "normal_adult" / "normal_adult.plan.json")


def test_only_the_asked_points_are_scored_and_a_centre_meets_the_corner_mean() -> None:
    corners = [EXPERT.landmarks.point("T1", c) for c in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    mean = (sum(p[0] for p in corners) / 4, sum(p[1] for p in corners) / 4)  # type: ignore[index]
    placed = (
        Landmarks(femoral_heads=EXPERT.landmarks.femoral_heads)
        .with_point("T1", "center", (mean[0] + 3.0, mean[1] + 4.0))  # 5 px off
        .with_point("T1", "post_sup", EXPERT.landmarks.point("T1", "post_sup"))
    )
    asked = {"femoral_heads.0", "femoral_heads.1", "T1.center", "T1.post_sup", "T1.ant_sup"}
    score = score_landmarks(EXPERT, placed, asked)
    errors = {e.key: e.error_mm for e in score.landmarks}
    assert set(errors) == asked  # nothing Full spine would add
    assert errors["T1.center"] == pytest.approx(5.0 * 0.4)
    assert errors["T1.post_sup"] == 0.0 and errors["T1.ant_sup"] is None
    assert "4 of 5 landmarks placed" in score.summary()
    everything = score_landmarks(EXPERT, placed)  # no scope: every expert point, as before
    assert len(everything.landmarks) == 96 + 1  # and the centre the resident placed
    assert math.isfinite(everything.landmarks[0].expert[0])
