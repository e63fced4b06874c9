"""Practice scoring: tests that kill the survivors of ``bash tools/mutation.sh practice`` (issue 15
§7). Each expected value is worked out by hand from the film's geometry (contract.md §2's body
centre, the film's pixel spacing) or from clinical.md §5.1, never taken from the scorer."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.anatomy.landmarks import FemoralHead
from alignment_planner.plan.model import Osteotomy
from alignment_planner.targets.presets import EDGE_TOLERANCE
from alignment_planner.teaching.scoring import (
    PracticeError,
    compare_plans,
    compare_values,
    grade,
    score_landmarks,
)
from tests.core.issue15_plans import flatback

MM_PER_PX = 0.4  # the flatback film's isotropic pixel spacing


def test_a_pt_error_a_rounding_step_past_2_degrees_is_still_good() -> None:
    """clinical.md §5.1: PT repeatability 2–9° (Kyrölä 2018). An error of 2° plus rounding noise
    (1e-9) lies on the 2° edge, which is inclusive: good, not borderline; likewise 9° + noise is
    borderline, not outside."""
    assert grade(2.0 + EDGE_TOLERANCE, 2.0, 9.0) == "good"
    assert grade(-(2.0 + EDGE_TOLERANCE), 2.0, 9.0) == "good"
    assert grade(9.0 + EDGE_TOLERANCE, 2.0, 9.0) == "borderline"


def test_a_resident_centre_is_scored_against_the_mean_of_the_experts_four_corners() -> None:
    """contract.md §2: a body centre not placed explicitly is the mean of the four corners. The
    expert marked L3's corners only; the resident clicked L3's centre 3 px anterior and 4 px up
    from that mean: 5 px = 2.0 mm on a 0.4 mm film."""
    plan = flatback()
    l3 = plan.landmarks.vertebrae["L3"]
    assert l3.center is None  # the premise: the expert gave no explicit centre
    corners = (l3.ant_sup, l3.post_sup, l3.post_inf, l3.ant_inf)
    mean = (sum(c[0] for c in corners) / 4.0, sum(c[1] for c in corners) / 4.0)  # type: ignore[index,misc]
    assert mean == pytest.approx((374.1175, 1643.205))
    placed = plan.landmarks.with_point("L3", "center", (mean[0] + 3.0, mean[1] - 4.0))
    rows = {e.key: e for e in score_landmarks(plan, placed).landmarks}
    centre = rows["L3.center"]
    assert centre.expert == pytest.approx((374.1175, 1643.205))
    assert centre.error_mm == pytest.approx(5.0 * MM_PER_PX)
    assert "L4.center" not in rows  # the resident placed no L4 centre: nothing to score


def test_a_body_centre_with_a_missing_expert_corner_is_not_scored() -> None:
    """Three corners define no body centre (contract.md §2 needs all four): no row for it."""
    plan = flatback()
    lm = plan.landmarks.with_point("L3", "ant_inf", None)
    expert = replace(plan, landmarks=lm)
    placed = lm.with_point("L3", "center", (374.0, 1643.0))
    assert "L3.center" not in {e.key for e in score_landmarks(expert, placed).landmarks}


def test_a_tie_in_head_pairing_keeps_the_residents_own_numbering() -> None:
    """Expert heads at x = 1000 and 1010 px, resident heads at 1020 and 1030 px (one row): pairing
    in order costs 20 + 20 px, crossed 30 + 10 px, the same total. The first pairing found (the
    resident's own order) is kept: each head is 20 px = 8 mm off."""
    plan = flatback()
    expert_heads = (FemoralHead((1000.0, 2000.0)), FemoralHead((1010.0, 2000.0)))
    resident_heads = (FemoralHead((1020.0, 2000.0)), FemoralHead((1030.0, 2000.0)))
    expert = replace(plan, landmarks=plan.landmarks.with_femoral_heads(expert_heads))
    placed = plan.landmarks.with_femoral_heads(resident_heads)
    rows = {e.key: e for e in score_landmarks(expert, placed).landmarks}
    assert rows["femoral_heads.0"].placed == (1020.0, 2000.0)
    assert rows["femoral_heads.0"].error_mm == pytest.approx(20.0 * MM_PER_PX)
    assert rows["femoral_heads.1"].error_mm == pytest.approx(20.0 * MM_PER_PX)


def test_an_uncalibrated_expert_film_cannot_be_scored_and_says_why() -> None:
    """Landmark errors are millimetres: without a pixel spacing there is nothing to score."""
    plan = replace(flatback(), image=None)
    with pytest.raises(PracticeError) as caught:
        score_landmarks(plan, plan.landmarks)
    assert str(caught.value) == (
        "the expert plan has no pixel spacing: landmark errors in millimetres need a calibrated film"
    )


def test_only_the_landmarks_the_scope_asked_for_are_scored() -> None:
    """A scope that asked for L3's anterosuperior corner and one head scores those two only."""
    plan = flatback()
    asked = {"L3.ant_sup", "femoral_heads.0"}
    score = score_landmarks(plan, plan.landmarks, asked)
    assert {e.key for e in score.landmarks} == asked
    assert all(e.error_mm == 0.0 for e in score.landmarks)


def test_pre_op_values_of_two_plans_on_one_film_agree_whatever_their_cuts() -> None:
    """Expert PSO L3 30°, resident PSO L3 20° on the same landmarks: pre-op every value is the
    same film's (error 0); planned, the resident's LL is 10° less (a PSO within L1–S1 adds its
    angle to LL, clinical.md §3.3) and so PI−LL 10° more."""
    expert = analyze(flatback(Osteotomy("PSO", "L3", 30.0)))
    resident = analyze(flatback(Osteotomy("PSO", "L3", 20.0)))
    pre = {e.key: e for e in compare_values(expert, resident, "preop")}
    assert pre["LL"].expert == pytest.approx(25.0, abs=0.05)  # the flatback's pre-op LL
    assert all(e.error == 0.0 for e in pre.values() if e.error is not None)
    assert pre["LL"].grade == "good"
    planned = {e.key: e for e in compare_values(expert, resident, "postop")}
    assert planned["LL"].expert == pytest.approx(55.0, abs=0.05)
    assert planned["LL"].error == pytest.approx(-10.0, abs=1e-6)
    assert planned["PI_LL"].error == pytest.approx(10.0, abs=1e-6)


def test_a_plan_comparison_keeps_both_analyses() -> None:
    """The practice panel reads the resident's planned values from the comparison: 20° instead of
    30° at L3 leaves LL 10° lower than the expert's (clinical.md §3.3)."""
    comparison = compare_plans(flatback(Osteotomy("PSO", "L3", 30.0)), flatback(Osteotomy("PSO", "L3", 20.0)))
    resident_ll, expert_ll = comparison.resident.postop.value("LL"), comparison.expert.postop.value("LL")
    assert resident_ll is not None and expert_ll is not None
    assert math.isclose(resident_ll - expert_ll, -10.0, abs_tol=1e-6)
    assert comparison.resident.preop.value("LL") == pytest.approx(25.0, abs=0.05)
