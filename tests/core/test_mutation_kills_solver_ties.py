"""The solver and Suggest when several answers are equally good, and their numerical methods on any
bracket (issue 15 §7: the planning survivors of a full mutation run on 9ac81c5).

Hand values: the flatback sample has PI 62°, LL 25°, PT 31° (issue15_plans, from its construction);
a lumbar cut adds its angle to LL (clinical.md §3.3: ΔLL = θ); PI is a fixed morphological angle
that no osteotomy changes (clinical.md §1), and TK (T4–T12) lies wholly in the segment a lumbar cut
moves rigidly. "The smallest correction" (solve.py): of equally good angles, the least.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.plan.model import Compensation
from alignment_planner.planning.search import Goal, preop_meets_every_goal, search, target_from_preset
from alignment_planner.planning.solve import _golden_min, _illinois, _search, solve
from alignment_planner.targets.presets import preset_by_id
from tests.core.issue15_plans import flatback, normal


def _m(**values: float) -> Measurements:
    table = {p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}
    return Measurements(table, {})


# --- a parameter the cut cannot move: the closest approach is no correction -----------------------


@pytest.mark.parametrize(("type_key", "level", "key", "target"), [
    ("PSO", "L3", "PI", 40.0),
    ("SPO", "L4-L5", "PI", 80.0),
    ("PSO", "L3", "TK", 60.0),
    ("SPO", "L3-L4", "TK", 60.0),
])
def test_a_parameter_the_cut_cannot_move_is_closest_at_no_correction(
    type_key: str, level: str, key: str, target: float
) -> None:
    """PI never changes and TK is carried rigidly by a lumbar cut: no angle gets closer than 0°, so
    the solver proposes 0°, not an osteotomy that achieves nothing (it proposed 2.5° and 8.0°)."""
    plan = flatback(model=Compensation("none"))
    solution = solve(plan, type_key, level, key, target)
    assert not solution.reached
    assert solution.osteotomy.angle_deg == 0.0
    assert solution.message.endswith(" at 0.0°")


def test_the_closest_of_a_flat_objective_is_the_least_angle_despite_rounding_noise() -> None:
    assert _search(lambda _a: 3.0, 0.0, 15.0) == (0.0, False)
    wobble = [1e-13, -2e-13, 3e-13, 0.0, -1e-13, 2e-13, 0.0]  # a rigidly moved angle's round-off
    values = iter(wobble * 20)
    assert _search(lambda _a: 3.0 + next(values), 0.0, 15.0) == (0.0, False)


def test_golden_section_keeps_the_least_of_equally_good_arguments() -> None:
    """A constant: every angle is as good, the least is 0. A flat-bottomed valley, |x − 6| − 1 cut
    at 0, is met equally by 5…7: the least is 5 (to the method's 1e-4)."""
    assert _golden_min(lambda _x: 2.0, 0.0, 2.5) == 0.0
    assert _golden_min(lambda x: max(0.0, abs(x - 6.0) - 1.0), 2.5, 10.0) == pytest.approx(5.0, abs=1e-4)


def test_golden_section_ends_within_a_quarter_of_its_last_bracket() -> None:
    """[0, 2.5] shrinks by (√5 − 1)/2 per step to 2.5 × 0.618^22 = 6.3e-5 < 1e-4; the best of the
    bracket's two ends and its middle is then within 6.3e-5 / 4 = 1.6e-5 of the minimum."""
    assert abs(_golden_min(lambda x: abs(x - 0.95202), 0.0, 2.5) - 0.95202) < 1.6e-5


def test_golden_section_works_on_a_bracket_below_zero() -> None:
    """Nothing in the method depends on the sign of the angles: −10…−5, minimum of |x + 7.3|."""
    assert abs(_golden_min(lambda x: abs(x + 7.3), -10.0, -5.0) + 7.3) < 2.5e-5


def test_illinois_works_on_a_bracket_symmetric_about_zero() -> None:
    """Nor in Illinois: −1…1, root of x³ − 1/8 at 0.5."""

    def cube(x: float) -> float:
        return x**3 - 0.125

    assert _illinois(cube, -1.0, 1.0, cube(-1.0), cube(1.0)) == pytest.approx(0.5, abs=1e-6)


# --- Suggest: equally good pairs, and the pre-op film ----------------------------------------------


def test_of_equally_good_pairs_with_the_same_total_suggest_keeps_the_first_tried() -> None:
    """PI−LL ≤ 24 on the flatback: LL 25 + a + b ≥ 38 needs a + b ≥ 13°, on the SPO pair grid
    (5, 7.5 … 15°) at least 15°: 5 + 10, 7.5 + 7.5 and 10 + 5 all meet every goal with the same
    total. The caudal cut is tried first and from its smallest angle, and a later candidate
    replaces a kept one only when strictly better: the same plan always gets the same proposal."""
    options = search(flatback(), [Goal("PI_LL", None, 24.0)], types=("SPO",), levels=("L3", "L4"), limit=10)
    pair = next(o for o in options if len(o.osteotomies) == 2)
    assert [(o.level, o.angle_deg) for o in pair.osteotomies] == [("L4-L5", 5.0), ("L3-L4", 10.0)]
    assert pair.describe() == "SPO L4-L5 5.0° + SPO L3-L4 10.0°: meets every goal"


def test_a_goal_on_a_parameter_the_film_cannot_measure_is_not_met() -> None:
    """Without T1 the T1 slope is not measurable: the film is not said to meet a T1S goal."""
    plan = normal()
    without_t1 = replace(plan, landmarks=plan.landmarks.with_point("T1", "ant_sup", None))
    assert not preop_meets_every_goal(without_t1, [Goal("T1S", None, 40.0)])
    assert not preop_meets_every_goal(without_t1, [Goal("PI_LL", -10.0, 10.0), Goal("T1S", None, 40.0)])


def test_a_preset_target_not_measurable_before_surgery_is_still_inside_its_band() -> None:
    """SRS-Schwab PI−LL "within" is −10…10° (clinical.md §2.2): with no pre-op PI−LL there is no
    nearer edge, so the target is the lower one moved inside by the margin: −10 + 2 = −8°."""
    schwab = preset_by_id("srs-schwab")
    assert target_from_preset(schwab, "PI_LL", _m(SVA=60.0), None, margin=2.0) == -8.0
    assert target_from_preset(schwab, "PI_LL", _m(PI_LL=15.0), None, margin=2.0) == 8.0
