"""Tests that kill the survivors of ``bash tools/mutation.sh planning`` (issue 15 §7).

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
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.errors import ProcedureError
from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.plan.model import Compensation, Osteotomy
from alignment_planner.planning.margins import landmark_margins, margins_for
from alignment_planner.planning.search import (
    Goal,
    _grid,
    _overcorrection_guards,
    candidate_sites,
    goals_from_preset,
    search,
    target_from_preset,
)
from alignment_planner.planning.solve import _golden_min, _illinois, _search
from alignment_planner.planning.trial import Trial
from alignment_planner.targets.presets import Preset, Range, Target, preset_by_id
from tests.core.issue15_plans import EXISTING_L2_S1, flatback, normal


def _m(**values: float) -> Measurements:
    table = {p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}
    return Measurements(table, {})


def _counted(f: Callable[[float], float]) -> tuple[Callable[[float], float], list[float]]:
    seen: list[float] = []

    def g(x: float) -> float:
        seen.append(x)
        return f(x)

    return g, seen


# --- goals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PI_LL", "goal PI_LL: write KEY<VALUE, KEY>VALUE or KEY=LOW..HIGH"),
        ("XX<3", "goal XX<3: unknown parameter XX"),
        ("SVA<abc", "goal SVA<abc: abc is not a number"),
        ("SVA<inf", "goal SVA<inf: the limit must be finite"),
        ("PI_LL=nan..5", "goal PI_LL=nan..5: both limits must be finite numbers"),
        ("PI_LL=-5..inf", "goal PI_LL=-5..inf: both limits must be finite numbers"),
    ],
)
def test_a_bad_goal_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ProcedureError) as error:
        Goal.parse(text)
    assert str(error.value) == message


def test_goals_read_back_as_written() -> None:
    """cSVA (Ames, clinical.md §2.10) has a lower-case letter; limits are inclusive."""
    assert Goal.parse("cSVA<40") == Goal("cSVA", None, 40.0)
    assert Goal.parse("LL>=50") == Goal("LL", 50.0, None)
    for goal, text, words in [
        (Goal("PI_LL", -10.0, 10.0), "PI_LL=-10..10", "PI−LL -10…10"),  # the reader name
        (Goal("PT", None, 20.0), "PT<=20", "PT ≤ 20"),
        (Goal("LL", 50.0, None), "LL>=50", "LL ≥ 50"),
    ]:
        assert goal.as_text() == text and goal.describe() == words and Goal.parse(text) == goal


def test_a_goal_is_missed_only_beyond_its_edge() -> None:
    goal = Goal("LL", 50.0, 70.0)
    assert goal.miss(50.0 + 5e-7) == 0.0 and goal.miss(50.0 - 5e-7) == 0.0 and goal.miss(49.0) == 1.0
    assert goal.miss(70.0 + 5e-7) == 0.0 and goal.miss(71.5) == 1.5


def test_aiming_inside_a_band_by_a_margin() -> None:
    """PI−LL −10…10 with a 0.5° margin: aim at −9.5…9.5; LL ≥ 50 with 5°: ≥ 55; a band narrower
    than twice the margin becomes its centre (−1…3 with 5° → 1)."""
    assert Goal("PI_LL", -10.0, 10.0).inside_by(0.5) == Goal("PI_LL", -9.5, 9.5)
    assert Goal("LL", 50.0, None).inside_by(5.0) == Goal("LL", 55.0, None)
    assert Goal("PI_LL", -1.0, 3.0).inside_by(5.0) == Goal("PI_LL", 1.0, 1.0)
    assert Goal("PT", None, 20.0).inside_by(0.0) == Goal("PT", None, 20.0)


def test_lafage_goals_use_the_patients_age() -> None:
    """Lafage 2016 (clinical.md §2.3, recalled values): PT threshold 25.1° at 65–74 years, within
    −10…0 of it → 15.1…25.1°; PI−LL 10.9 → 0.9…10.9."""
    goals = goals_from_preset(preset_by_id("lafage-2016-age"), _m(PT=30.0), 67.0)
    assert [g.key for g in goals] == ["PT", "PI_LL", "SVA", "TPA"]
    assert [goals[0].low, goals[0].high, goals[1].low, goals[1].high] == pytest.approx([15.1, 25.1, 0.9, 10.9])
    target = target_from_preset(preset_by_id("lafage-2016-age"), "PT", _m(PT=30.0), 67.0)
    assert target == pytest.approx(25.1)


def test_a_goal_without_its_age_is_left_out_and_the_others_kept() -> None:
    """ideal-ll without age: Hasegawa (age term) is left out, Barrey after it is kept. PI 55:
    Schwab 46…64, GAP 63.1 −14/+11, Le Huec 57.3 ± 10, Yamato 56.55 ± 10, Barrey 64 ± 10."""
    goals = goals_from_preset(preset_by_id("ideal-ll"), _m(PI=55.0, LL=40.0), None)
    assert [edge for g in goals for edge in (g.low, g.high)] == pytest.approx(
        [46.0, 64.0, 49.1, 74.1, 47.3, 67.3, 46.55, 66.55, 54.0, 74.0]
    )


def test_no_goal_at_all_lists_every_reason() -> None:
    with pytest.raises(ProcedureError) as error:
        goals_from_preset(preset_by_id("lafage-2016-age"), _m(PT=30.0), None)
    assert str(error.value) == (
        "preset lafage-2016-age: no goal can be computed: PT (needs patient age); PI−LL (needs patient "
        "age); SVA (needs patient age); TPA (needs patient age)"
    )


def test_a_one_sided_target_made_in_code_gives_a_one_sided_goal() -> None:
    preset = Preset("x", "X", "1", "c", "", (
        Target("PT", "PT", Range(None, 20.0), Range(None, 30.0), None, "", True),
        Target("LL", "LL", Range(40.0, None), Range(30.0, None), None, "", True),
    ), "x")
    assert goals_from_preset(preset, _m(), None) == [Goal("PT", None, 20.0), Goal("LL", 40.0, None)]


def test_a_preset_goal_aims_at_the_nearest_edge_of_its_band() -> None:
    """Flatback PI−LL 37°: the SRS-Schwab band −10…10 is met first at +10 (not −10, which would be
    47° of correction); with a 2° margin, at 8. SVA 137 mm: at 40 mm. LL 25° against Schwab
    PI ± 9 = 53…71: at 53 (issue 15 §7, not 71)."""
    preop = analyze(flatback()).preop
    schwab = preset_by_id("srs-schwab")
    assert target_from_preset(schwab, "PI_LL", preop, None) == pytest.approx(10.0)
    assert target_from_preset(schwab, "PI_LL", preop, None, margin=2.0) == pytest.approx(8.0)
    assert target_from_preset(schwab, "SVA", preop, None) == pytest.approx(40.0)
    ll = target_from_preset(preset_by_id("ideal-ll"), "LL", preop, None)
    assert ll == pytest.approx(0.62 * 0 + preop.value("PI") - 9.0)  # type: ignore[operator]
    with pytest.raises(ProcedureError) as error:
        target_from_preset(schwab, "LL", preop, None)
    assert str(error.value) == "preset srs-schwab has no target for LL"


# --- search ---------------------------------------------------------------------------------------


def test_candidate_sites_skip_what_cannot_be_cut_and_keep_the_rest() -> None:
    """No disc below S1; a disc inside an existing L2–S1 fusion is never proposed (contract.md §4.1)
    but the disc above the fusion still is."""
    trial = Trial(flatback(), ("LL",))
    assert [s.level for s in candidate_sites(trial, ["SPO"], ["S1", "L5"])] == ["L5-S1"]
    fused = Trial(flatback(fusions=(EXISTING_L2_S1,)), ("LL",))
    assert [s.level for s in candidate_sites(fused, ["SPO"], ["L3", "L1"])] == ["L1-L2"]
    with pytest.raises(ProcedureError, match=r"^unknown osteotomy type 'XYZ'$"):
        candidate_sites(trial, ["XYZ"], ["L3"])
    with pytest.raises(ProcedureError, match=r"^unknown level 'L9'$"):
        candidate_sites(trial, ["PSO"], ["L9"])


def test_search_needs_a_goal_and_a_site() -> None:
    with pytest.raises(ProcedureError) as error:
        search(flatback(), [])
    assert str(error.value) == "give at least one goal (for example PI_LL<10)"
    with pytest.raises(ProcedureError) as error:
        search(flatback(fusions=(EXISTING_L2_S1,)), [Goal("LL", 50.0)], types=("SPO",), levels=("L3",))
    assert str(error.value) == "no candidate site can be simulated: place the landmarks of the levels searched"


def test_a_one_degree_disc_correction_is_tried() -> None:
    """Interbody cages start at 0° (clinical.md §3.1 ACR/cage data): 1° more LL needs 1°."""
    ll = analyze(flatback()).preop.value("LL")
    assert ll is not None
    option = search(flatback(), [Goal("LL", ll + 1.0 - 1e-3, None)], types=("INTERBODY",), levels=("L4",),
                    pairs=False, limit=1)[0]
    assert option.osteotomies[0].angle_deg == 1.0 and not option.misses


def test_a_small_miss_is_reported_in_degrees_and_never_beyond_the_range() -> None:
    """LL ≥ pre-op + 15.5 at one SPO level: the SPO's top is 15° (clinical.md §3.1), so the best
    option is 15° (never 16°) and misses LL by 0.5°, scored 0.5."""
    ll = analyze(flatback()).preop.value("LL")
    assert ll is not None
    option = search(flatback(), [Goal("LL", ll + 15.5, None)], types=("SPO",), levels=("L1",), pairs=False,
                    limit=1)[0]
    assert option.osteotomies[0].angle_deg == 15.0
    ((goal, by),) = option.misses
    assert goal.key == "LL" and by == pytest.approx(0.5, abs=1e-6) and option.score == pytest.approx(0.5, abs=1e-6)
    assert option.postop.value("LL") == pytest.approx(ll + 15.0, abs=1e-6)
    assert option.describe() == "SPO L1-L2 15.0°: misses LL off by 0.5°"


def test_pairs_are_tried_past_two_cuts_at_one_level() -> None:
    """PSO and extended PSO at L3 and L4: the pair PSO L4 + PSO L3 (two levels) is still tried when
    a same-level pair comes first; LL + 70° needs two cuts (a PSO gives at most 40°)."""
    ll = analyze(flatback()).preop.value("LL")
    assert ll is not None
    options = search(flatback(), [Goal("LL", ll + 70.0, None)], types=("PSO", "EPSO"), levels=("L3", "L4"),
                     limit=8)
    two = [o for o in options if len(o.osteotomies) == 2 and not o.misses]
    assert two and all(o.osteotomies[0].level != o.osteotomies[1].level for o in two)


def test_the_pair_grid_is_every_2_5_degrees_of_the_typical_range() -> None:
    """clinical.md §3.1: SPO 5–15°, PSO 25–40°; a range from 0 starts at 2.5° (a 0° cut is none)."""
    assert _grid("SPO") == [5.0, 7.5, 10.0, 12.5, 15.0]
    assert _grid("PSO") == [25.0, 27.5, 30.0, 32.5, 35.0, 37.5, 40.0]
    assert _grid("TDR") == [2.5, 5.0, 7.5, 10.0]


def test_overcorrection_guards_skip_what_this_film_cannot_measure() -> None:
    """clinical.md §4.7 lower limits PI−LL −10°, SVA −30 mm, TPA −5°; on an uncalibrated film SVA
    is not measurable and only its guard is left out."""
    guards = _overcorrection_guards(_m(PI_LL=30.0, TPA=30.0))
    assert guards == [Goal("PI_LL", -10.0, None), Goal("TPA", -5.0, None)]


def test_an_overcorrecting_option_says_so() -> None:
    """A 40° PSO at L4 on the normal spine (PI−LL −5°) drives PI−LL to about −45°, past −10°."""
    option = search(normal(), [Goal("LL", 0.0, None)], types=("PSO",), levels=("L4",), pairs=False, limit=1)[0]
    over = replace(option, overcorrected=(("PI_LL", -45.0, -10.0), ("SVA", -120.0, -30.0)))
    cuts = " + ".join(f"{o.type} {o.level} {o.angle_deg:.1f}°" for o in over.osteotomies)
    assert over.describe() == f"{cuts}: OVER-CORRECTS: PI−LL -45.0° is below -10, SVA -120.0 mm is below -30"
    missed = replace(over, misses=((Goal("PT", None, 20.0), 2.0),))
    assert missed.describe() == (
        f"{cuts}: misses PT off by 2.0°; OVER-CORRECTS: PI−LL -45.0° is below -10, SVA -120.0 mm is below -30"
    )
    two = replace(option, osteotomies=(Osteotomy("PSO", "L4", 30.0), Osteotomy("SPO", "L1-L2", 10.0)),
                  overcorrected=(), misses=())
    assert two.describe() == "PSO L4 30.0° + SPO L1-L2 10.0°: meets every goal"
    assert replace(two, misses=((Goal("PT", None, 20.0), 2.0),)).describe() == (
        "PSO L4 30.0° + SPO L1-L2 10.0°: misses PT off by 2.0°"
    )
    # a length is written with a space before its unit, as everywhere else (solve, presets)
    assert replace(two, misses=((Goal("SVA", None, 40.0), 12.0),)).describe() == (
        "PSO L4 30.0° + SPO L1-L2 10.0°: misses SVA off by 12.0 mm"
    )
    assert replace(two, misses=((Goal("LDI", None, 80.0), 5.0),)).describe() == (
        "PSO L4 30.0° + SPO L1-L2 10.0°: misses LDI off by 5.0%"
    )


# --- margins --------------------------------------------------------------------------------------


def test_a_given_margin_applies_to_every_key_once() -> None:
    assert margins_for(flatback(), ["PI_LL", "TPA", "PI_LL"], 2.0) == {"PI_LL": 2.0, "TPA": 2.0}


def test_the_default_margin_is_the_preop_95_band_rounded_up_to_a_tenth() -> None:
    """clinical.md §5.4: aim inside by the value's own 95 % landmark band, printed to 0.1 and never
    less than the band."""
    plan = flatback()
    uncertainty = propagate(plan)
    margins = margins_for(plan, ["PI_LL", "TPA", "PI_LL"], None)
    assert list(margins) == ["PI_LL", "TPA"] and margins == landmark_margins(plan, ["PI_LL", "TPA"])
    for key, margin in margins.items():
        band = uncertainty.band(key, "preop")
        assert band is not None and 0.5 < band
        assert band <= margin < band + 0.1 and round(margin * 10.0) == pytest.approx(margin * 10.0)
    no_film = replace(plan, image=None)  # SVA is a length: no band on an uncalibrated film
    assert landmark_margins(no_film, ["SVA"]) == {"SVA": 0.0}


def test_cement_in_a_resected_body_is_refused_as_an_extra_cut() -> None:
    """Kyphoplasty and a PSO of the same vertebra exclude each other (the body is resected): the
    planner never tries the kyphoplasty at L3 on a plan with a PSO at L3."""
    plan = flatback(Osteotomy("PSO", "L3", 25.0))
    trial = Trial(plan, ("LL",))
    with pytest.raises(ProcedureError) as error:
        trial.site("KYPHOPLASTY", "L3")
    assert "KYPHOPLASTY" in str(error.value) and "PSO" in str(error.value) and "L3" in str(error.value)
    assert trial.site("KYPHOPLASTY", "L2").level == "L2"


def test_after_the_grid_every_refinement_lies_in_the_bracket() -> None:
    """θ² − 50 (root √50 = 7.07°): the grid brackets it in [5, 7.5] (f −25 and 6.25); the first
    secant is (5·6.25 + 7.5·25)/31.25 = 7.0°, and every later try stays inside the bracket."""
    f, seen = _counted(lambda x: x * x - 50.0)
    angle, reached = _search(f, 0.0, 15.0)
    assert reached and angle == pytest.approx(math.sqrt(50.0), abs=1e-9)
    assert seen[:7] == [0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0] and seen[7] == pytest.approx(7.0)
    assert all(5.0 <= x <= 7.5 for x in seen[7:])


def test_an_irrational_root_is_refined_to_the_bracket_width_in_few_steps() -> None:
    """10⁶·(θ³ − 2): |f| < 1e-10 is out of reach in floating point near ∛2, so the bracket width
    (1e-6°) must stop the refinement."""
    f, seen = _counted(lambda x: 1e6 * (x**3 - 2.0))
    assert _illinois(f, 1.0, 2.0, -1e6, 6e6) == pytest.approx(2.0 ** (1.0 / 3.0), abs=1e-6)
    assert len(seen) < 40


def test_the_closest_angle_at_an_end_of_the_range_is_the_end_itself() -> None:
    """An unreachable target whose closest value is at 0° or at the top of the range (the SPO's
    15°) is reported there exactly, not 1e-4° inside."""
    assert _golden_min(lambda x: x, 0.0, 2.5) == 0.0
    assert _golden_min(lambda x: -x, 12.5, 15.0) == 15.0


def test_several_misses_are_listed_in_one_line() -> None:
    option = search(flatback(), [Goal("LL", 0.0, None)], types=("SPO",), levels=("L1",), pairs=False, limit=1)[0]
    two = replace(option, osteotomies=(Osteotomy("SPO", "L1-L2", 10.0),), overcorrected=(),
                  misses=((Goal("PT", None, 20.0), 2.0), (Goal("SVA", None, 40.0), 12.0)))
    assert two.describe() == "SPO L1-L2 10.0°: misses PT off by 2.0°, SVA off by 12.0 mm"


def test_a_plan_whose_own_cut_cannot_be_simulated_says_why() -> None:
    """The plan's PSO at L3 needs L3's anterior wall (its default hinge, clinical.md §3.3)."""
    plan = flatback(Osteotomy("PSO", "L3", 25.0))
    without = replace(plan, landmarks=plan.landmarks.with_point("L3", "ant_inf", None))
    reason = analyze(without).postop.values["LL"].reason
    with pytest.raises(ProcedureError) as error:
        Trial(without, ("LL",))
    assert reason is not None and str(error.value) and str(error.value) in reason


def test_the_margin_is_the_preop_band_even_when_the_plan_has_cuts() -> None:
    """The margin is the *pre-op* landmark band (the goal is read on the film as it is), not the
    planned one, which also carries the hinge landmarks and the model error."""
    plan = flatback(Osteotomy("PSO", "L3", 30.0), model=Compensation("yamato2016"))
    uncertainty = propagate(plan)
    for key in ("SVA", "PT"):
        preop, planned = uncertainty.band(key, "preop"), uncertainty.band(key, "planned")
        assert preop is not None and planned is not None and abs(planned - preop) > 0.2
        assert landmark_margins(plan, [key])[key] == math.ceil(preop * 10.0) / 10.0


def test_a_cut_tried_at_a_vertebra_already_cut_about_another_hinge_is_carried_by_it() -> None:
    """The plan's PSO at L3 turns about a hinge the surgeon moved 20 mm down; a second PSO tried at
    L3 has its default hinge moved by the first, as ``analyze`` moves it."""
    analysis = analyze(flatback())
    assert analysis.frame is not None and analysis.preop_skeleton is not None
    a, b = analysis.preop_skeleton.point("L3", "ant_sup"), analysis.preop_skeleton.point("L3", "ant_inf")
    moved = analysis.frame.to_pixel(((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0 - 20.0))
    plan = flatback(Osteotomy("PSO", "L3", 25.0, moved))
    trial = Trial(plan, ("SVA", "TPA"))
    cuts = [(trial.site("PSO", "L3"), 10.0)]
    fast, slow = trial.evaluate(cuts), analyze(trial.with_cuts(cuts)).postop
    assert fast["SVA"] == pytest.approx(slow.value("SVA"), abs=1e-6)
    assert fast["TPA"] == pytest.approx(slow.value("TPA"), abs=1e-6)
