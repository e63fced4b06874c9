"""Mutation kills for the surgeon's own compensation model (personal_compensation.py; issue 15 §7,
issue 19 §4): the fit ΔPT = b·ΔLL through the origin (b = Σxy/Σx², s² = Σ(y − bx)²/(n − 1),
SE = s/√Σx², at least 10 plans), its leave-one-out slopes, the plan's fit settings, and the
clinical.md §4.6 release applied to it (never below min(PT_pre, 0.47·PI − 7.5), never above PT_pre).
Every expected value is worked out by hand in the comments.
"""

from __future__ import annotations

import math

import pytest

from alignment_planner.procedures.personal_compensation import (
    MIN_PLANS,
    NotEnoughCases,
    fit_personal,
    leave_one_out_slopes,
    personal_prediction,
    personal_release,
    settings_problem,
)

# ΔPT = −0.5·ΔLL ± a residual that sums to zero against ΔLL at each ΔLL, so by hand
# Σx² = 2·(100 + 400 + 900 + 100 + 400) = 3800, Σxy = −0.5·3800 = −1900, b = −0.5 exactly,
# residual sum of squares 8·1² + 2·2² = 16, s² = 16/9 (n − 1 = 9), s = 4/3, SE = s/√3800.
HAND_PAIRS = [(10.0, -4.0), (10.0, -6.0), (20.0, -9.0), (20.0, -11.0), (30.0, -14.0),
              (30.0, -16.0), (-10.0, 6.0), (-10.0, 4.0), (20.0, -8.0), (20.0, -12.0)]


def test_the_personal_slope_se_and_spread_are_the_least_squares_through_the_origin() -> None:
    fit = fit_personal(HAND_PAIRS)
    assert (fit.slope, fit.n) == (-0.5, 10)
    assert fit.residual_sd == pytest.approx(4.0 / 3.0, rel=1e-12)
    assert fit.se == pytest.approx(4.0 / 3.0 / math.sqrt(3800.0), rel=1e-12)
    # The plan keeps the fit beside "model": "personal" under these exact keys (contract.md §2).
    assert fit.as_settings() == {"slope": fit.slope, "se": fit.se, "n": 10, "residual_sd": fit.residual_sd}


def test_ten_plans_are_enough_and_nine_are_refused_with_the_count() -> None:
    assert MIN_PLANS == 10
    with pytest.raises(NotEnoughCases) as caught:
        fit_personal(HAND_PAIRS[:9])
    assert str(caught.value) == (
        "a personal compensation model needs at least 10 plans with a measurable follow-up (PT and "
        "LL on the pre-op film and the follow-up); 9 found"
    )


def test_no_lordosis_change_leaves_the_pelvic_response_unknown() -> None:
    with pytest.raises(NotEnoughCases) as caught:
        fit_personal([(0.0, 1.0)] * 10)
    assert str(caught.value) == "no lordosis change among the follow-ups: the pelvic response is unknown"


@pytest.mark.parametrize("x", [math.sqrt(1e-9), 0.5])
def test_any_lordosis_change_from_the_1e_9_threshold_up_is_fitted(x: float) -> None:
    """The refusal is for Σx² < 1e-9 (no change at all): Σx² = 1e-9 exactly, or one plan
    with 0.5° of change (Σx² = 0.25), still gives a slope: here ΔPT = 0 everywhere, so b = 0."""
    assert fit_personal([(x, 0.0)] + [(0.0, 0.0)] * 9).slope == 0.0


def test_each_leave_one_out_slope_is_the_fit_without_that_plan() -> None:
    """b₋ᵢ = (Σxy − xᵢyᵢ) / (Σx² − xᵢ²): e.g. without (10, −4): −1860 / 3700."""
    want = [(-1900.0 - x * y) / (3800.0 - x * x) for x, y in HAND_PAIRS]
    assert want[0] == pytest.approx(-1860.0 / 3700.0, rel=1e-15)
    assert leave_one_out_slopes(HAND_PAIRS) == pytest.approx(want, rel=1e-12)


def test_a_leave_one_out_slope_without_lordosis_change_in_the_rest_is_none() -> None:
    # Without (10, −4) the others have no ΔLL: no slope. Without either (0, y): −40/100.
    assert leave_one_out_slopes([(10.0, -4.0), (0.0, 1.0), (0.0, 2.0)]) == [None, -0.4, -0.4]
    # The rest's Σx² at exactly 1e-9, or 0.25: a slope, not None.
    assert leave_one_out_slopes([(math.sqrt(1e-9), 0.0), (0.0, 1.0)]) == [None, 0.0]
    assert leave_one_out_slopes([(0.5, 0.1), (0.0, 1.0)]) == [None, pytest.approx(0.2, rel=1e-12)]


@pytest.mark.parametrize(("pt_pre", "delta_ll", "slope", "ideal", "pt"), [
    (30.0, 10.0, -0.3, 10.0, 27.0),  # 30 − 3, above the floor
    (30.0, 40.0, -0.5, 18.0, 18.0),  # 30 − 20 = 10 would pass the ideal: stops at 18
    (30.0, -10.0, -0.3, 10.0, 30.0),  # a kyphosing change never retroverts further
    (15.0, 10.0, -0.3, 18.0, 15.0),  # already below the ideal: 15 − 3 = 12 stops at min(15, 18)
])
def test_the_personal_release_follows_clinical_md_4_6(
    pt_pre: float, delta_ll: float, slope: float, ideal: float, pt: float
) -> None:
    assert personal_release(pt_pre, delta_ll, slope, ideal) == pytest.approx(pt, abs=1e-12)


VALID = {"slope": -0.3, "se": 0.04, "n": 23, "residual_sd": 3.0}
MISSING = 'missing: a personal model carries its fit ("slope", "se", "n"), as written by outcomes --personal'


@pytest.mark.parametrize(("change", "problem"), [
    ({"slope": None}, ("slope", MISSING)),
    ({"se": None}, ("se", MISSING)),
    ({"n": None}, ("n", MISSING)),
    ({"slope": "x"}, ("slope", "expected a finite number, got 'x'")),
    ({"slope": math.nan}, ("slope", "expected a finite number, got nan")),
    ({"se": math.nan}, ("se", "expected a finite number, got nan")),
    ({"se": "0.04"}, ("se", "expected a finite number, got '0.04'")),
    ({"residual_sd": math.inf}, ("residual_sd", "expected a finite number, got inf")),
    ({"residual_sd": "3"}, ("residual_sd", "expected a finite number, got '3'")),
    ({"slope": -2.5}, ("slope", "expected −2…2° of PT per degree of LL, got -2.5")),
    ({"slope": 2.5}, ("slope", "expected −2…2° of PT per degree of LL, got 2.5")),
    ({"se": -0.1}, ("se", "expected a standard error ≥ 0, got -0.1")),
    ({"n": 9}, ("n", "expected a whole number of plans ≥ 10 (the minimum for a fit), got 9")),
    ({"n": 12.0}, ("n", "expected a whole number of plans ≥ 10 (the minimum for a fit), got 12.0")),
    ({"slope": -2.0, "se": 0.0, "n": 10}, None),  # every bound is inclusive
    ({"slope": 2.0}, None),
    ({"residual_sd": None}, None),  # optional: the published error is used instead
])
def test_a_personal_fit_in_a_plan_is_checked_field_by_field(
    change: dict[str, object], problem: tuple[str, str] | None
) -> None:
    settings = {**VALID, **change}
    assert settings_problem({k: v for k, v in settings.items() if v is not None}) == problem


@pytest.mark.parametrize(("ll_after", "pt", "ideal_shown"), [
    (35.0, 26.0, "21.6"),  # ΔLL +10: 31 − 5
    (55.0, 21.64, "21.6"),  # ΔLL +30: 31 − 15 = 16 passes the ideal 0.47·62 − 7.5 = 21.64
])
def test_the_personal_prediction_is_a_change_released_to_yamatos_ideal(ll_after: float, pt: float, ideal_shown: str) -> None:
    settings = {**VALID, "slope": -0.5}
    value, label = personal_prediction(31.0, 62.0, 25.0, ll_after, settings)
    assert value == pytest.approx(pt, abs=1e-9)
    assert label == (
        f"personal, n = 23 plans: PT 31.0° -0.50·ΔLL ({ll_after - 25.0:+.1f}°; SE 0.04), released no "
        f"further than min(pre-op PT, {ideal_shown}°) = {pt:.1f}°"
    )


def test_an_unusable_personal_fit_is_refused_naming_the_plan_field() -> None:
    with pytest.raises(ValueError, match=r"^compensation\.slope: expected −2…2° of PT per degree of LL, got 9\.0$"):
        personal_prediction(31.0, 62.0, 25.0, 35.0, {**VALID, "slope": 9.0})
