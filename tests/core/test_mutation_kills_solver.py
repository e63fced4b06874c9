"""Tests that kill the survivors of ``bash tools/mutation.sh planning`` in the solver and the trial
(issue 15 §7); the goals, search and margins are in test_mutation_kills_planning.py.

Each test names the fact it guards. Expected values are computed by hand: from clinical.md (§3.1
ranges, §3.3 ΔLL = θ for a lumbar cut, §4.1 the Yang-Ondra exact angle, §4.7 over-correction
limits), from the presets' published bands, or for the numerical methods from the method itself
(the Illinois regula falsi and a 2.5° grid, worked by hand on x² − 2)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.errors import ProcedureError
from alignment_planner.plan.model import Compensation, Osteotomy, Plan
from alignment_planner.planning.solve import _golden_min, _illinois, _search, angle_range, solve
from alignment_planner.planning.trial import Trial
from tests.core.issue15_plans import flatback


def _counted(f: Callable[[float], float]) -> tuple[Callable[[float], float], list[float]]:
    seen: list[float] = []

    def g(x: float) -> float:
        seen.append(x)
        return f(x)

    return g, seen


# --- the numerical methods of the solver ----------------------------------------------------------


def test_illinois_steps_on_x_squared_minus_2_are_the_textbook_ones() -> None:
    """Regula falsi on [0, 2] for x² − 2: c₁ = 1 (f −1, a moves), c₂ = 4/3 (f −2/9, a moves again
    so f(b) is halved to 1), c₃ = (4/3·1 + 2·2/9)/(1 + 2/9) = 16/11; the root is √2."""
    f, seen = _counted(lambda x: x * x - 2.0)
    root = _illinois(f, 0.0, 2.0, -2.0, 2.0)
    assert seen[:3] == pytest.approx([1.0, 4.0 / 3.0, 16.0 / 11.0], abs=1e-12)
    assert root == pytest.approx(math.sqrt(2.0), abs=1e-9) and len(seen) <= 12


def test_illinois_halves_the_other_end_when_b_moves_twice() -> None:
    """The mirror image: on [−2, 0], c₁ = −1 and c₂ = −4/3 replace b; the second time f(a) is
    halved (2 → 1), so c₃ = −16/11; the root is −√2."""
    f, seen = _counted(lambda x: x * x - 2.0)
    root = _illinois(f, -2.0, 0.0, 2.0, -2.0)
    assert seen[:3] == pytest.approx([-1.0, -4.0 / 3.0, -16.0 / 11.0], abs=1e-12)
    assert root == pytest.approx(-math.sqrt(2.0), abs=1e-9) and len(seen) <= 12


def test_illinois_returns_an_end_that_is_a_root_and_only_then() -> None:
    f, seen = _counted(lambda x: x - 1.0)
    assert _illinois(f, 1.0, 3.0, 0.0, 2.0) == 1.0 and _illinois(f, -1.0, 1.0, -2.0, 0.0) == 1.0 and not seen
    # f(a) = 1 and f(b) = −1 are not roots: the root of 1 − x on [0, 2] is 1
    assert _illinois(lambda x: 1.0 - x, 0.0, 2.0, 1.0, -1.0) == pytest.approx(1.0, abs=1e-9)
    assert _illinois(lambda x: x - 1.0, 0.0, 2.0, -1.0, 1.0) == pytest.approx(1.0, abs=1e-9)


def test_illinois_stops_when_the_bracket_is_a_millionth_of_a_degree() -> None:
    """A steep objective (10⁶ per unit, as an SVA in µm would be) never gets |f| < 1e-10 in floating
    point; the bracket width stops it, in few evaluations (each one is a simulation)."""
    f, seen = _counted(lambda x: 1e6 * (x**3 - 1.0))
    root = _illinois(f, 0.0, 2.0, -1e6, 7e6)
    assert root == pytest.approx(1.0, abs=1e-6) and len(seen) < 40
    g, once = _counted(lambda x: x - 1.0)  # a linear objective is solved by its first secant
    assert _illinois(g, 0.0, 3.0, -1.0, 2.0) == 1.0 and once == [1.0]


def test_the_solver_grid_is_every_2_5_degrees_of_the_range_ends_included() -> None:
    """clinical.md §4.5: solve by bracketing over θ; the grid is 2.5° (at least two steps)."""
    f, seen = _counted(lambda x: x - 17.0)
    angle, reached = _search(f, 10.0, 20.0)
    assert reached and angle == pytest.approx(17.0, abs=1e-9)
    assert seen[:5] == [10.0, 12.5, 15.0, 17.5, 20.0]
    g, small = _counted(lambda x: x - 3.0)
    angle, reached = _search(g, 0.0, 4.0)
    assert reached and angle == pytest.approx(3.0) and small[:3] == [0.0, 2.0, 4.0]


@pytest.mark.parametrize(("root", "expected"), [(5.0, 5.0), (7.0, 7.0), (15.0, 15.0), (0.0, 0.0)])
def test_the_solver_finds_a_root_on_or_between_grid_points(root: float, expected: float) -> None:
    angle, reached = _search(lambda x: x - root, 0.0, 15.0)
    assert reached and angle == pytest.approx(expected, abs=1e-9)


def test_the_solver_returns_the_smallest_of_two_roots() -> None:
    """(θ − 5.2)(θ − 12.3): 5.2° and 12.3° both solve; the smaller correction is the answer."""
    angle, reached = _search(lambda x: (x - 5.2) * (x - 12.3), 0.0, 15.0)
    assert reached and angle == pytest.approx(5.2, abs=1e-9)


@pytest.mark.parametrize(("f", "closest"), [(lambda x: x + 1.0, 0.0), (lambda x: 0.5 + 0.01 * x, 0.0),
                                            (lambda x: -1.0 - x, 0.0), (lambda x: (x - 8.3) ** 2 + 1.0, 8.3)])
def test_an_unreachable_target_gives_the_closest_angle_not_a_solution(f: Callable[[float], float], closest: float) -> None:
    angle, reached = _search(f, 0.0, 15.0)
    assert not reached and angle == pytest.approx(closest, abs=2e-4)


def test_golden_section_finds_the_minimum_to_a_ten_thousandth() -> None:
    g, seen = _counted(lambda x: (x - 1.234) ** 2)
    assert _golden_min(g, 0.0, 2.5) == pytest.approx(1.234, abs=1e-4)
    # (√5 − 1)/2 shrinks 2.5 to 1e-4 in 22 steps: 2 + 22 + 3 evaluations
    assert len(seen) <= 28
    assert _golden_min(lambda x: abs(x - 2.4999), 0.0, 2.5) == pytest.approx(2.4999, abs=1e-4)
    assert _golden_min(lambda x: abs(x - 0.00005), 0.0, 2.5) == pytest.approx(0.00005, abs=1e-4)


def test_every_solve_starts_at_no_correction() -> None:
    """A target already met needs 0°: the range starts at 0 for every type (clinical.md §3.1 tops)."""
    assert angle_range("PSO") == (0.0, 40.0) and angle_range("SPO") == (0.0, 15.0)
    ll = analyze(flatback()).preop.value("LL")
    assert ll is not None
    solution = solve(flatback(), "SPO", "L3-L4", "LL", ll)
    assert solution.reached and solution.osteotomy.angle_deg == pytest.approx(0.0, abs=1e-6)


# --- solve: messages and explicit hinges ------------------------------------------------------------


def test_the_solved_value_is_printed_with_its_unit() -> None:
    """ΔLL = θ for a lumbar cut (clinical.md §3.3): LL 25 → 35 needs an SPO of 10°."""
    ll = analyze(flatback()).preop.value("LL")
    assert ll is not None
    solution = solve(flatback(), "SPO", "L3-L4", "LL", ll + 10.0)
    assert solution.osteotomy.angle_deg == pytest.approx(10.0, abs=1e-5)
    assert solution.message == f"SPO at L3-L4: 10.0° gives LL {ll + 10.0:.1f}°"
    sva = solve(flatback(), "PSO", "L3", "SVA", 40.0)
    assert sva.message.endswith("gives SVA 40.0 mm (outside the typical 25–40° for PSO)")
    ldi = solve(flatback(), "SPO", "L1-L2", "LDI", 90.0)
    assert "gives LDI 90.0% (" in ldi.message


def test_unknown_target_and_type_list_what_is_known() -> None:
    with pytest.raises(ProcedureError) as error:
        solve(flatback(), "PSO", "L3", "NOPE", 0.0)
    assert str(error.value).startswith("unknown target 'NOPE' (known: PI, PT, SS, ")
    with pytest.raises(ProcedureError) as error:
        solve(flatback(), "XYZ", "L3", "LL", 0.0)
    assert str(error.value) == (
        "unknown osteotomy type 'XYZ' (known: SPO, ACR, INTERBODY, PSO, EPSO, VCR, KYPHOPLASTY, TDR)"
    )


def test_an_explicit_hinge_is_used_and_kept_yang_ondra_exact_angle() -> None:
    """clinical.md §4.1 (pelvis fixed): θ = φ0 − asin((x_t − A_x)/r) with A the hinge, r = |C7 − A|,
    φ0 = tilt(C7 − A), x_t = P_S1.x + SVA target. The hinge is placed 40 mm below and 5 mm in front
    of L3's default (a user's hinge may be anywhere): the solve uses it and the plan keeps it."""
    plan = flatback(model=Compensation("none"))
    analysis = analyze(plan)
    skeleton, frame = analysis.preop_skeleton, analysis.frame
    assert skeleton is not None and frame is not None
    ant_sup, ant_inf = skeleton.point("L3", "ant_sup"), skeleton.point("L3", "ant_inf")
    hinge = ((ant_sup[0] + ant_inf[0]) / 2.0 + 5.0, (ant_sup[1] + ant_inf[1]) / 2.0 - 40.0)
    c7, s1 = skeleton.centre("C7"), skeleton.point("S1", "post_sup")
    dx, dy = c7[0] - hinge[0], c7[1] - hinge[1]
    r, phi0 = math.hypot(dx, dy), math.degrees(math.atan2(dx, dy))
    expected = phi0 - math.degrees(math.asin((s1[0] + 40.0 - hinge[0]) / r))
    hinge_px = frame.to_pixel(hinge)
    solution = solve(plan, "PSO", "L3", "SVA", 40.0, hinge_px=hinge_px)
    assert solution.osteotomy.angle_deg == pytest.approx(expected, abs=1e-4)
    assert solution.osteotomy.hinge == hinge_px and solution.plan.osteotomies[-1].hinge == hinge_px
    assert analyze(solution.plan).postop.value("SVA") == pytest.approx(40.0, abs=1e-4)
    default = solve(plan, "PSO", "L3", "SVA", 40.0)
    assert abs(default.osteotomy.angle_deg - expected) > 0.5  # the hinge matters (lever arm, §4.2)


def test_a_parameter_that_cannot_be_measured_after_the_cut_is_named() -> None:
    """T1 slope needs T1: a film without T1 cannot be solved for it."""
    plan = flatback()
    without = replace(plan, landmarks=plan.landmarks.with_point("T1", "ant_sup", None))
    with pytest.raises(ProcedureError) as error:
        solve(without, "PSO", "L3", "T1S", 20.0)
    assert str(error.value).startswith("T1S is not measurable: ")


# --- trial: the fast engine ------------------------------------------------------------------------


def test_a_plan_without_landmarks_cannot_be_simulated() -> None:
    with pytest.raises(ProcedureError) as error:
        Trial(Plan(), ("LL",))
    assert str(error.value) == (
        'cannot simulate: facing unknown: set "facing" in the plan or place S1.post_sup and S1.ant_sup'
    )


def test_extra_cuts_are_added_caudal_first() -> None:
    trial = Trial(flatback(), ("LL",))
    state = trial.cut(trial.start(), trial.site("PSO", "L2"), 10.0)
    with pytest.raises(ValueError, match=r"^extra cuts are added caudal first$"):
        trial.cut(state, trial.site("PSO", "L4"), 10.0)


def test_a_second_cut_at_the_same_vertebra_turns_about_the_carried_hinge() -> None:
    """Add pressed twice (issue 15 §5): PSO L3 25° in the plan and PSO L3 10° tried on top give what
    ``analyze`` gives for both, TPA included (ΔLL = 35° in all)."""
    plan = flatback(Osteotomy("PSO", "L3", 25.0))
    trial = Trial(plan, ("LL", "TPA", "SVA"))
    cuts = [(trial.site("PSO", "L3"), 10.0)]
    fast, slow = trial.evaluate(cuts), analyze(trial.with_cuts(cuts)).postop
    for key in ("LL", "TPA", "SVA"):
        assert fast[key] == pytest.approx(slow.value(key), abs=1e-6), key
    assert fast["LL"] == pytest.approx(analyze(plan).preop.value("LL") + 35.0, abs=1e-6)  # type: ignore[operator]


def test_the_plans_own_explicit_hinge_is_carried_under_an_extra_cut() -> None:
    """A plan cut with an explicit hinge (pre-op pixels) moves everything above it: an extra cut
    above it gives what ``analyze`` gives."""
    analysis = analyze(flatback())
    assert analysis.frame is not None and analysis.preop_skeleton is not None
    corner = analysis.preop_skeleton.point("L4", "ant_inf")
    own = Osteotomy("PSO", "L4", 30.0, analysis.frame.to_pixel((corner[0] + 10.0, corner[1])))
    plan = flatback(own)
    trial = Trial(plan, ("SVA", "TPA"))
    cuts = [(trial.site("PSO", "L2"), 20.0)]
    fast, slow = trial.evaluate(cuts), analyze(trial.with_cuts(cuts)).postop
    assert fast["SVA"] == pytest.approx(slow.value("SVA"), abs=1e-6)
    assert fast["TPA"] == pytest.approx(slow.value("TPA"), abs=1e-6)
