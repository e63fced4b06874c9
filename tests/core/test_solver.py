"""Solver, planner and the fast trial engine (issue 4 §4, contract.md §3 ``solve``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.errors import ProcedureError
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.planning.search import Goal, search
from alignment_planner.planning.solve import solve
from alignment_planner.planning.trial import Trial
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = PixelSpacing.isotropic(0.2)
FLATBACK = SpineSpec(
    pelvic_incidence=62.0,
    pelvic_tilt=31.0,
    segment_lordosis={
        **SpineSpec().segment_lordosis,
        "L1-L2": -4.0, "L2-L3": 0.0, "L3-L4": 4.0, "L4-L5": 10.0, "L5-S1": 15.0, "T12-L1": 2.0,
    },
)
COMPENSATIONS = [
    Compensation(),
    Compensation("pt_target", 20.0),
    Compensation("pt_ideal"),
    Compensation("yamato2016"),
]


def _plan(*osteotomies: Osteotomy, compensation: Compensation | None = None, spec: SpineSpec = FLATBACK) -> Plan:
    return Plan(
        landmarks=build_landmarks(spec, spacing=SPACING),
        image=ImageRef(pixel_spacing=SPACING),
        osteotomies=osteotomies,
        compensation=compensation,
    )


@pytest.mark.parametrize("compensation", COMPENSATIONS, ids=lambda c: c.model)
@pytest.mark.parametrize(
    ("type_key", "level", "key", "target"),
    [("PSO", "L3", "SVA", 30.0), ("PSO", "L4", "TPA", 12.0), ("PSO", "L2", "GT", 15.0),
     ("SPO", "L4-L5", "PI_LL", 25.0), ("PSO", "L4", "LL", 50.0), ("EPSO", "L3", "L1PA", 12.0),
     ("PSO", "L3", "CPA", 12.0)],
)
def test_solved_angle_round_trips_through_analyze(type_key, level, key, target, compensation) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(Osteotomy("SPO", "T11-T12", 8.0), compensation=compensation)
    solution = solve(plan, type_key, level, key, target)
    assert solution.reached, solution.message
    assert solution.plan.osteotomies[-1] == solution.osteotomy
    assert analyze(solution.plan).postop.values[key].value == pytest.approx(target, abs=1e-4)


def test_unreachable_target_reports_the_closest_value() -> None:
    solution = solve(_plan(), "SPO", "L1-L2", "SVA", -400.0)
    assert not solution.reached
    assert solution.osteotomy.angle_deg == pytest.approx(15.0, abs=1e-3)  # the end of SPO's range
    assert analyze(solution.plan).postop.values["SVA"].value == pytest.approx(solution.achieved, abs=1e-6)
    assert "cannot be reached" in solution.message and "closest is SVA" in solution.message


def test_solution_outside_the_typical_range_says_so() -> None:
    solution = solve(_plan(), "PSO", "L4", "PI_LL", 25.0)  # only a few degrees needed
    assert solution.reached and "outside the typical 25–40°" in solution.message


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("PSO", "L9", "SVA", 0.0), "unknown level"),
        (("SPO", "L1-L3", "SVA", 0.0), "disc"),
        (("SPO", "L3", "SVA", 0.0), "disc"),
        (("XYZ", "L3", "SVA", 0.0), "unknown osteotomy type"),
        (("PSO", "L3", "NOPE", 0.0), "unknown target"),
        (("PSO", "L3", "SVA", float("nan")), "finite"),
    ],
)
def test_bad_requests_name_the_problem(args: tuple[str, str, str, float], words: str) -> None:
    with pytest.raises(ProcedureError, match=words):
        solve(_plan(), *args)


def test_missing_hinge_landmarks_and_uncalibrated_lengths_are_refused() -> None:
    plan = _plan()
    without = replace(plan, landmarks=plan.landmarks.with_point("L3", "ant_inf", None))
    with pytest.raises(ProcedureError, match=r"PSO at L3: the default hinge needs L3\.ant_inf"):
        solve(without, "PSO", "L3", "TPA", 10.0)
    uncalibrated = replace(plan, image=None)
    with pytest.raises(ProcedureError, match="uncalibrated"):
        solve(uncalibrated, "PSO", "L3", "SVA", 10.0)
    assert solve(uncalibrated, "PSO", "L4", "TPA", 12.0).reached  # angles need no scale


@settings(max_examples=40, deadline=None)
@given(
    first=st.sampled_from([("PSO", "L4"), ("SPO", "L5-S1"), ("ACR", "L3-L4"), ("KYPHOPLASTY", "L2")]),
    second=st.sampled_from([("PSO", "L2"), ("SPO", "T12-L1"), ("VCR", "T10"), ("SPO", "L4-L5")]),
    angles=st.tuples(st.floats(0, 40), st.floats(0, 40)),
    compensation=st.sampled_from(COMPENSATIONS),
)
def test_trial_equals_analyze_for_extra_cuts_around_the_plans_own(first, second, angles, compensation) -> None:  # type: ignore[no-untyped-def]
    """Extra cuts tried on top of a plan (caudal or cranial to its own cut, in either order) give
    what ``analyze`` gives for the plan with them added."""
    plan = _plan(Osteotomy("PSO", "L3", 25.0), compensation=compensation)
    keys = ("LL", "SVA", "TPA", "PT", "GT", "CPA")
    trial = Trial(plan, keys)
    cuts = [(trial.site(*first), angles[0]), (trial.site(*second), angles[1])]
    fast = trial.evaluate(cuts)
    slow = analyze(trial.with_cuts(cuts)).postop.values
    for key in keys:
        assert fast[key] == pytest.approx(slow[key].value, abs=1e-4), key


def test_goal_parsing() -> None:
    assert Goal.parse("PI_LL<10") == Goal("PI_LL", None, 10.0)
    assert Goal.parse(" LL >= 50 ") == Goal("LL", 50.0, None)
    assert Goal.parse("PI_LL=10..-10") == Goal("PI_LL", -10.0, 10.0)
    assert Goal("SVA", None, 40.0).miss(55.0) == 15.0 and Goal("SVA", None, 40.0).miss(10.0) == 0.0
    for bad in ("PI_LL", "XX<3", "SVA<abc", "SVA<inf"):
        with pytest.raises(ProcedureError):
            Goal.parse(bad)


def test_planner_ranks_options_that_meet_every_goal_first() -> None:
    goals = [Goal.parse("PI_LL<10"), Goal.parse("TPA<14"), Goal.parse("SVA<40")]
    plan = _plan(compensation=Compensation("pt_target", 20.0))
    options = search(plan, goals)
    assert 1 <= len(options) <= 5
    assert not options[0].misses
    for option in options:
        values = analyze(option.plan).postop.values
        for goal in goals:
            met = goal.miss(values[goal.key].value) == 0.0  # type: ignore[arg-type]
            assert met == (goal not in [g for g, _ in option.misses])
    assert len({tuple((o.type, o.level) for o in option.osteotomies) for option in options}) == len(options)


def test_planner_reports_what_an_impossible_goal_misses() -> None:
    options = search(_plan(), [Goal.parse("LL>150")], types=["SPO"], pairs=False, limit=2)
    assert options and options[0].misses
    goal, by = options[0].misses[0]
    assert goal.key == "LL" and by > 0 and "misses LL" in options[0].describe()


def test_presets_become_goals() -> None:
    from alignment_planner.planning.search import goals_from_preset
    from alignment_planner.targets.presets import preset_by_id

    plan = _plan(compensation=Compensation("pt_target", 20.0))
    preop = analyze(plan).preop
    schwab = goals_from_preset(preset_by_id("srs-schwab"), preop, None)
    assert [(g.key, g.low, g.high) for g in schwab] == [
        ("PI_LL", -10.0, 10.0), ("PT", 0.0, 20.0), ("SVA", -30.0, 40.0), ("TPA", -5.0, 20.0)
    ]
    ideal = goals_from_preset(preset_by_id("ideal-ll"), preop, 70.0)
    pi = preop.values["PI"].value
    gap = ideal[1]
    assert (gap.low, gap.high) == pytest.approx((0.62 * pi + 29 - 14, 0.62 * pi + 29 + 11))  # type: ignore[operator]
    with pytest.raises(ProcedureError, match="needs patient age"):
        goals_from_preset(preset_by_id("lafage-2016-age"), preop, None)
    options = search(plan, schwab, limit=2)
    assert options and not options[0].misses
