"""Tests that kill the mutants a hand mutation run found alive (issue 15 §7): each a wrong answer
a surgeon would act on. The name of each test is the clinical fact it guards."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.anatomy.facing import resolve_facing
from alignment_planner.errors import PlanValidationError
from alignment_planner.files.plan_reader import parse_plan
from alignment_planner.measurements import PARAMETERS, PARAMETERS_BY_KEY, Measurements, Value
from alignment_planner.plan.model import Osteotomy
from alignment_planner.planning.search import Goal, candidate_sites, search
from alignment_planner.planning.solve import solve
from alignment_planner.planning.trial import Trial
from alignment_planner.targets.classify import classify
from alignment_planner.teaching.scoring import grade, score_landmarks
from tests.core.issue15_plans import FLATBACK_FILE, flatback, normal

VARIABILITY = {key: p.variability for key, p in PARAMETERS_BY_KEY.items()}


def _m(segmental: dict[str, float] | None = None, **values: float) -> Measurements:
    table = {p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}
    return Measurements(table, {k: Value(v) for k, v in (segmental or {}).items()})


# --- planning -------------------------------------------------------------------------------------


def test_the_planner_prefers_the_least_total_correction_among_equal_fits() -> None:
    """Ranking by the largest correction made PSO L5 40° + PSO L4 40° the flatback's top option."""
    options = search(flatback(), [Goal("PI_LL", None, 10.0)], limit=8)
    meeting = [o for o in options if not o.misses]
    assert len(meeting) >= 2
    totals = [o.total_angle for o in meeting]
    assert meeting[0].total_angle <= min(totals) + 1.0 and meeting[0].total_angle < max(totals)


def test_a_disc_cut_at_the_lowest_level_is_l5_s1() -> None:
    """Disc candidates shifted one disc up never proposed L5-S1."""
    trial = Trial(flatback(), ("LL",))
    assert [s.level for s in candidate_sites(trial, ["SPO"], ["L4", "L5"])] == ["L4-L5", "L5-S1"]


def test_the_top_of_a_type_range_is_tried() -> None:
    """LL ≥ pre-op + 15 at one SPO level needs the SPO's maximum, 15° (clinical.md §3.1)."""
    ll = analyze(flatback()).preop.value("LL")
    assert ll is not None
    options = search(flatback(), [Goal("LL", ll + 15.0 - 1e-3, None)], types=("SPO",), levels=("L1",),
                     pairs=False, limit=1)
    assert options[0].osteotomies[0].angle_deg == 15.0 and not options[0].misses


def test_a_millimetre_miss_counts_a_tenth_of_a_degree() -> None:
    """clinical.md §4.4 rule of thumb: 10 mm of SVA ≈ 1°; an SVA miss is scored in degrees."""
    option = search(flatback(), [Goal("SVA", None, -500.0)], types=("SPO",), levels=("L1",), pairs=False,
                    limit=1)[0]
    (_goal, by), = option.misses
    assert option.score == pytest.approx(by / 10.0, rel=1e-9)


def test_the_solver_returns_the_smallest_angle_that_solves() -> None:
    """L1PA after an EPSO at L2 on the normal spine falls to 5.07° near 55° and rises again: 5.10°
    is reached near 52° and again near 59°; the smaller correction is the answer."""
    solution = solve(normal(), "EPSO", "L2", "L1PA", 5.10)
    assert solution.reached and solution.osteotomy.angle_deg < 55.0


# --- targets --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [("PT", 19.9, "0"), ("PT", 22.0, "+"), ("PT", 30.0, "+"), ("PT", 30.1, "++"),
     ("SVA", 39.9, "0"), ("SVA", 45.0, "+"), ("SVA", 95.0, "+"), ("SVA", 95.1, "++"),
     ("PI_LL", 9.9, "0"), ("PI_LL", 12.0, "+"), ("PI_LL", 20.1, "++")],
)
def test_srs_schwab_modifier_thresholds_are_the_published_ones(key: str, value: float, expected: str) -> None:
    """clinical.md §2.2: PT 20/30°, SVA 40/95 mm, PI−LL 10/20° (not the code's own table)."""
    assert getattr(classify(_m(**{key: value}), None).schwab, key) == expected


def test_four_plus_signs_are_severe() -> None:
    """clinical.md §2.2 (Kieser 2019): 0 aligned, 1–3 moderate, 4–6 severe."""
    schwab = classify(_m(PI_LL=25.0, PT=25.0, SVA=20.0), None).schwab  # ++, +, 0
    assert schwab.plus_signs == 3 and schwab.severity == "moderate"
    schwab = classify(_m(PI_LL=25.0, PT=35.0, SVA=20.0), None).schwab  # ++, ++, 0
    assert schwab.plus_signs == 4 and schwab.severity == "severe"
    assert classify(_m(PI_LL=0.0, PT=10.0, SVA=0.0), None).schwab.severity == "aligned"


def test_roussouly_counts_lordotic_segments_from_l5_s1() -> None:
    """Four lordotic segments L2-L3 … L5-S1 make a long (type 2) lordosis; leaving L5-S1 out of
    the count would call it short (type 1)."""
    segments = {"L5-S1": 15.0, "L4-L5": 8.0, "L3-L4": 4.0, "L2-L3": 1.0, "L1-L2": -2.0}
    assert classify(_m(segments, SS=30.0, PI=40.0, PT=10.0), None).roussouly == "2"
    short = {**segments, "L2-L3": -1.0}
    assert classify(_m(short, SS=30.0, PI=40.0, PT=10.0), None).roussouly == "1"


# --- uncertainty ----------------------------------------------------------------------------------


def test_an_explicit_centre_is_perturbed() -> None:
    """SVA = C7 centre − S1 posterosuperior corner (horizontal): with an explicit C7 centre and an
    isotropic 2 mm error, SD = hypot(2, 2) mm."""
    plan = flatback()
    lm = plan.landmarks
    corners = [lm.point("C7", n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    centre = (sum(p[0] for p in corners) / 4.0, sum(p[1] for p in corners) / 4.0)  # type: ignore[index]
    with_centre = replace(plan, landmarks=lm.with_point("C7", "center", centre))
    assert propagate(with_centre, 2.0).sd("SVA") == pytest.approx(math.hypot(2.0, 2.0), rel=1e-4)


def test_hinge_defining_landmarks_are_perturbed() -> None:
    """A PSO's default hinge is the midpoint of its anterior wall: the planned SVA band includes the
    error of those two corners. The same hinge given explicitly (pixels, no landmark) does not: the
    difference in variance is exactly their contribution, computed here by moving each by hand."""
    plan = flatback(Osteotomy("PSO", "L3", 30.0))
    a, b = plan.landmarks.point("L3", "ant_sup"), plan.landmarks.point("L3", "ant_inf")
    assert a is not None and b is not None
    explicit = replace(plan, osteotomies=(Osteotomy("PSO", "L3", 30.0, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)),))
    base = analyze(plan).postop.value("SVA")
    assert base is not None
    sd_mm, step_px = 2.0, 0.5
    contribution = 0.0
    for name, p in (("ant_sup", a), ("ant_inf", b)):
        for dx, dy in ((step_px, 0.0), (0.0, step_px)):
            moved = replace(plan, landmarks=plan.landmarks.with_point("L3", name, (p[0] + dx, p[1] + dy)))
            slope = (analyze(moved).postop.value("SVA") - base) / (step_px * 0.4)  # type: ignore[operator]
            contribution += (slope * sd_mm) ** 2
    assert contribution > 0.01  # the premise: the hinge matters
    with_hinge, without = propagate(plan, sd_mm).postop["SVA"], propagate(explicit, sd_mm).postop["SVA"]
    assert with_hinge**2 - without**2 == pytest.approx(contribution, rel=0.02)  # type: ignore[operator]


# --- procedures -----------------------------------------------------------------------------------


def test_kyphoplasty_height_is_the_chord_2_d_sin_half_theta() -> None:
    """The anterior wall turns about the posterosuperior corner: the height gained at the anterior
    superior corner is the chord 2·d·sin(θ/2) (not tan, not half of it)."""
    plan = flatback(Osteotomy("KYPHOPLASTY", "L1", 10.0))
    (wedge,) = analyze(plan).wedges
    lm = plan.landmarks.vertebrae["L1"]
    d = math.dist(lm.post_sup, lm.ant_sup) * 0.4  # type: ignore[arg-type]
    assert wedge.mm == pytest.approx(2.0 * d * math.sin(math.radians(5.0)), rel=1e-9)


def test_an_extended_pso_may_take_the_disc_above_not_below() -> None:
    """clinical.md §3.1 grade 4: the PSO plus the adjacent disc above. A closure between the room
    with the disc above and the room with the (larger) disc below must be warned about."""
    plan = flatback()
    low = plan.landmarks.point("L4", "post_sup")
    assert low is not None  # widen the disc below L3 by 4 mm so the two rooms differ clearly
    plan = replace(plan, landmarks=plan.landmarks.with_point("L4", "post_sup", (low[0], low[1] + 10.0)))
    lm = plan.landmarks.vertebrae
    mm = 0.4
    wall = math.dist(lm["L3"].post_sup, lm["L3"].post_inf) * mm  # type: ignore[arg-type]
    above = wall + math.dist(lm["L3"].post_sup, lm["L2"].post_inf) * mm  # type: ignore[arg-type]
    below = wall + math.dist(lm["L3"].post_inf, lm["L4"].post_sup) * mm  # type: ignore[arg-type]
    assert below > above + 0.5  # the premise on this spine
    hinge_depth = analyze(replace(plan, osteotomies=(Osteotomy("EPSO", "L3", 40.0),))).wedges[0]
    depth = float(hinge_depth.where.split("d = ")[1].split(" mm")[0])
    closure = (above + below) / 2.0
    theta = math.degrees(2.0 * math.atan(closure / (2.0 * depth)))
    (wedge,) = analyze(replace(plan, osteotomies=(Osteotomy("EPSO", "L3", theta),))).wedges
    assert wedge.warning is not None and "disc above" in wedge.warning


def test_an_explicit_centre_on_the_cut_vertebra_turns_half_the_angle() -> None:
    """It lies between the two cut planes (contract.md §2 moves only V's superior corners)."""
    plan = flatback()
    lm = plan.landmarks
    corners = [lm.point("L3", n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    centre = (sum(p[0] for p in corners) / 4.0, sum(p[1] for p in corners) / 4.0)  # type: ignore[index]
    plan = replace(plan, landmarks=lm.with_point("L3", "center", centre), osteotomies=(Osteotomy("PSO", "L3", 30.0),))
    analysis = analyze(plan)
    hinge = analysis.applied[0].hinge
    before = analysis.preop_skeleton.point("L3", "center")  # type: ignore[union-attr]
    after = analysis.postop_skeleton.point("L3", "center")  # type: ignore[union-attr]
    c, s = math.cos(math.radians(15.0)), math.sin(math.radians(15.0))
    x, y = before[0] - hinge[0], before[1] - hinge[1]
    assert after == pytest.approx((hinge[0] + c * x - s * y, hinge[1] + s * x + c * y), abs=1e-9)


# --- plan files -----------------------------------------------------------------------------------


def _document() -> dict:  # type: ignore[type-arg]
    return json.loads(FLATBACK_FILE.read_text())


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_a_landmark_y_that_is_not_finite_is_refused(bad: str) -> None:
    text = json.dumps(_document()).replace('"post_sup": [', f'"post_sup": [1.0, {bad}], "_x": [', 1)
    with pytest.raises(PlanValidationError, match="post_sup"):
        parse_plan(text)


def test_a_short_sha256_is_refused() -> None:
    document = _document()
    document["image"]["sha256"] = document["image"]["sha256"][:63]
    with pytest.raises(PlanValidationError, match=r"image\.sha256.*64"):
        parse_plan(json.dumps(document))


@pytest.mark.parametrize(("age", "ok"), [(130, True), (0, True), (150, False), (-1, False)])
def test_a_patient_age_is_a_human_age(age: int, ok: bool) -> None:
    document = _document()
    document["patient"]["age"] = age
    if ok:
        assert parse_plan(json.dumps(document)).patient.age == age  # type: ignore[union-attr]
    else:
        with pytest.raises(PlanValidationError, match=r"patient\.age"):
            parse_plan(json.dumps(document))


def test_swapped_inferior_corners_are_warned_about() -> None:
    """T12's inferior corners swapped read as TK −158.7°: the facing check names the level."""
    plan = flatback()
    v = plan.landmarks.vertebrae["T12"]
    swapped = plan.landmarks.with_point("T12", "post_inf", v.ant_inf).with_point("T12", "ant_inf", v.post_inf)
    result = resolve_facing(swapped, "right")
    assert any("T12" in w for w in result.warnings)


# --- practice scoring -----------------------------------------------------------------------------


def test_practice_landmark_error_uses_row_spacing_vertically() -> None:
    """An anisotropic film (row 0.4, column 0.2 mm): 10 px down is 4 mm, 10 px across is 2 mm."""
    from alignment_planner.calibration.spacing import PixelSpacing
    from alignment_planner.plan.model import ImageRef

    plan = replace(flatback(), image=ImageRef(pixel_spacing=PixelSpacing(0.4, 0.2)))
    p = plan.landmarks.point("L3", "ant_sup")
    assert p is not None
    down = score_landmarks(plan, plan.landmarks.with_point("L3", "ant_sup", (p[0], p[1] + 10.0)))
    across = score_landmarks(plan, plan.landmarks.with_point("L3", "ant_sup", (p[0] + 10.0, p[1])))
    error = {e.key: e.error_mm for e in down.landmarks}
    assert error["L3.ant_sup"] == pytest.approx(4.0) and down.mean_error_mm == pytest.approx(4.0 / len(down.placed))
    assert {e.key: e.error_mm for e in across.landmarks}["L3.ant_sup"] == pytest.approx(2.0)


def test_practice_pt_grades_follow_the_published_repeatability() -> None:
    """clinical.md §5.1 (Kyrölä 2018): PT repeatability 2–9°: 9.5° off is outside."""
    pt = VARIABILITY["PT"]
    assert (pt.good, pt.borderline) == (2.0, 9.0)
    assert grade(1.9, pt.good, pt.borderline) == "good"
    assert grade(8.9, pt.good, pt.borderline) == "borderline"
    assert grade(9.5, pt.good, pt.borderline) == "outside"


# --- found by tools/mutation.sh on alignment_planner/targets ---------------------------------------


def test_a_verdict_needing_the_age_uses_the_patients_age_and_unknown_is_null() -> None:
    """contract.md §4.4: null where a verdict cannot be given (an age-adjusted target without the
    patient's age), the verdict once the age is known (Lafage 2016, 67 y: PT threshold 25.1°)."""
    from alignment_planner.targets.presets import preset_by_id
    from alignment_planner.targets.verdicts import verdict_record

    lafage = preset_by_id("lafage-2016-age")
    assert verdict_record(lafage, _m(PT=20.0), None)["PT"] is None
    assert verdict_record(lafage, _m(PT=20.0), 67.0)["PT"] == "within"  # 25.1 − 10 ≤ 20 ≤ 25.1


def test_a_flat_segment_ends_the_lordotic_count() -> None:
    """Roussouly: the inflection is where the segmental angle stops being lordotic; a 0° segment
    is not lordotic (L2-L3 0° leaves three lordotic segments: type 1), 0.5° is."""
    base = {"L5-S1": 15.0, "L4-L5": 8.0, "L3-L4": 4.0, "L1-L2": -2.0}
    assert classify(_m({**base, "L2-L3": 0.0}, SS=30.0, PI=40.0, PT=10.0), None).roussouly == "1"
    assert classify(_m({**base, "L2-L3": 0.5}, SS=30.0, PI=40.0, PT=10.0), None).roussouly == "2"


def test_a_value_exactly_on_an_over_correction_limit_is_not_over_corrected() -> None:
    from alignment_planner.targets.overcorrection import overcorrection_limits, overcorrections

    assert overcorrection_limits() == {"PI_LL": -10.0, "SVA": -30.0, "TPA": -5.0}
    assert overcorrections({"PI_LL": -10.0, "SVA": -30.0, "TPA": -5.0}) == []
    assert overcorrections({"PI_LL": -10.1, "SVA": None, "TPA": 3.0}) == [("PI_LL", -10.1, -10.0)]


def test_printed_zero_has_no_sign() -> None:
    from alignment_planner.targets.rounding import printed

    assert str(printed(-0.04)) == "0.0" and printed(0.04) == 0.0 and printed(19.96) == 20.0


# --- found by tools/mutation.sh on alignment_planner/teaching/scoring.py ---------------------------


def _resident_attempt():  # type: ignore[no-untyped-def]
    """The flatback expert plan; the resident moves S1's anterior corner 10 px (4 mm) down and
    plans a 25° PSO at L3 instead of 30°."""
    from alignment_planner.teaching.scoring import compare_plans

    expert = read_flatback_expert()
    p = expert.landmarks.point("S1", "ant_sup")
    assert p is not None
    placed = expert.landmarks.with_point("S1", "ant_sup", (p[0], p[1] + 10.0))
    score = score_landmarks(expert, placed)
    resident_plan = replace(expert, landmarks=placed, osteotomies=(Osteotomy("PSO", "L3", 25.0),))
    return expert, placed, score, compare_plans(expert, resident_plan), resident_plan


def read_flatback_expert():  # type: ignore[no-untyped-def]
    from alignment_planner.files.plan_reader import read_plan

    return read_plan(FLATBACK_FILE)


def test_practice_scores_landmarks_on_the_preop_film_and_plans_on_the_planned_one() -> None:
    expert, placed, score, comparison, _plan = _resident_attempt()
    by_key = {e.key: e for e in score.parameters}
    pre_expert, pre_resident = analyze(replace(expert, osteotomies=())).preop, analyze(
        replace(expert, landmarks=placed, osteotomies=())
    ).preop
    ss = by_key["SS"]
    assert (ss.expert, ss.placed) == (pre_expert.value("SS"), pre_resident.value("SS"))
    assert ss.error == pytest.approx(pre_resident.value("SS") - pre_expert.value("SS"))  # type: ignore[operator]
    assert ss.variability == VARIABILITY["SS"]
    errors = {e.key: e for e in score.landmarks}
    assert errors["S1.ant_sup"].expert == expert.landmarks.point("S1", "ant_sup")
    assert errors["S1.ant_sup"].placed == placed.point("S1", "ant_sup")
    assert errors["S1.ant_sup"].error_mm == pytest.approx(4.0)
    planned = {e.key: e for e in comparison.planned}
    # LL = incl(S1) − incl(L1): the moved S1 corner changes LL by the SS error; 25° instead of 30°
    # takes 5° more off
    assert planned["LL"].error == pytest.approx(ss.error - 5.0, abs=1e-6)  # type: ignore[operator]
    assert comparison.expert_plan is not None and comparison.resident_plan is not None
    assert comparison.expert.postop.value("LL") == pytest.approx(55.0, abs=0.02)


def test_practice_summary_and_attempt_record() -> None:
    from alignment_planner.teaching.scoring import attempt_record, describe_surgery

    expert, _placed, score, comparison, resident_plan = _resident_attempt()
    total = len(score.landmarks)
    summary = score.summary()
    assert summary.startswith(f"{total} of {total} landmarks placed; mean error ")
    assert f"{total - 1} within 2.5 mm" in summary and "parameters within inter-observer variability" in summary
    record = attempt_record("flatback_pso", "2026-11-30T10:00:00", 61.26, score, comparison, resident_plan)
    assert record["format"] == "alignment-planner-attempt" and record["version"] == 1
    assert (record["case"], record["started"], record["seconds"]) == ("flatback_pso", "2026-11-30T10:00:00", 61.3)
    landmarks = record["landmarks"]
    assert landmarks["summary"] == summary and landmarks["placed"] == total and landmarks["total"] == total  # type: ignore[index]
    assert landmarks["mean_error_mm"] == round(4.0 / total, 2)  # type: ignore[index]
    assert landmarks["errors_mm"]["S1.ant_sup"] == 4.0 and landmarks["errors_mm"]["L3.ant_sup"] == 0.0  # type: ignore[index]
    ss = landmarks["parameters"]["SS"]  # type: ignore[index]
    assert set(ss) == {"yours", "expert", "error", "grade"} and ss["grade"] == "good"
    plan = record["plan"]
    assert plan["osteotomies"] == [{"type": "PSO", "level": "L3", "angle_deg": 25.0}]  # type: ignore[index]
    ss_error = {e.key: e.error for e in score.parameters}["SS"]
    assert plan["planned"]["LL"]["error"] == pytest.approx(ss_error - 5.0, abs=1e-6)  # type: ignore[index,operator]
    assert describe_surgery(replace(expert, osteotomies=(), procedures=())) == "no osteotomy"
    bare = attempt_record("x", "t", 1.0, None, None, resident_plan)
    assert "landmarks" not in bare and "plan" not in bare


def test_practice_case_keeps_the_existing_fusion_and_drops_the_plan() -> None:
    """The resident starts from the patient: the existing L2–S1 fusion stays, the cuts go."""
    from alignment_planner.teaching.scoring import _preop_only

    blank = _preop_only(read_flatback_expert())
    assert blank.osteotomies == () and blank.compensation is None
    assert [(p.from_level, p.existing) for p in blank.procedures] == [("L2", True)]


@pytest.mark.parametrize(("error", "expected"), [(2.0, "good"), (9.0, "borderline"), (9.01, "outside")])
def test_practice_grade_edges_are_inclusive(error: float, expected: str) -> None:
    assert grade(error, 2.0, 9.0) == expected


# --- target verdicts as the surgeon reads them (tooltips, report) ---------------------------------


def _verdict(preset: str, key: str, age: float | None = None, label: str = "", **values: float):  # type: ignore[no-untyped-def]
    from alignment_planner.targets.presets import evaluate, preset_by_id

    return next(
        v for v in evaluate(preset_by_id(preset), _m(**values), age)
        if v.target.key == key and v.target.label.startswith(label)
    )


def test_the_rule_is_spelled_out_with_this_patients_numbers() -> None:
    """SRS-Schwab PT: within 0…20° (20 excluded), borderline up to 30°; SVA in mm; GAP ideal LL for
    PI 60 is 0.62·60 + 29 = 66.2°, within −14…+11 → 52.2…77.2°, borderline from −25 → 41.2°."""
    assert _verdict("srs-schwab", "PT", PT=25.0).threshold == "within 0.0…20.0°; borderline ≤ 30°"
    assert _verdict("srs-schwab", "SVA", SVA=25.0).threshold == "within -30.0…40.0 mm; borderline -30.0…95.0 mm"
    gap = _verdict("ideal-ll", "LL", label="GAP", PI=60.0, LL=75.0)
    assert gap.ideal == pytest.approx(66.2) and gap.status == "within"
    assert gap.threshold == "ideal 66.2° (GAP 0.62·PI + 29): within 52.2…77.2°; borderline 41.2…77.2°"


def test_an_age_adjusted_target_without_age_says_what_it_needs() -> None:
    verdict = _verdict("lafage-2016-age", "PT", PT=22.0)
    assert (verdict.status, verdict.value, verdict.threshold, verdict.reason) == ("unknown", 22.0, "", "needs patient age")
    known = _verdict("lafage-2016-age", "PT", age=67.0, PT=22.0)
    assert known.threshold.endswith("(value not confirmed against the source)") and known.ideal == 25.1


@pytest.mark.parametrize(("pi", "ideal"), [(30.0, 48.0), (37.9, 55.9), (38.0, 51.0), (55.0, 64.0), (90.0, 85.0)])
def test_barrey_class_table_adds_its_class_offset_to_pi(pi: float, ideal: float) -> None:
    """clinical.md §2.4: PI < 38: PI + 18; 38–47: + 13; 48–57: + 9; …; > 78: PI − 5."""
    assert _verdict("ideal-ll", "LL", label="Barrey", PI=pi, LL=50.0).ideal == pytest.approx(ideal)


def test_barrey_pt_table_is_the_class_value_itself() -> None:
    """clinical.md §2.5: PT 4/8/12/16/20/24° by PI class (no PI added); it needs PI."""
    assert _verdict("ideal-pt", "PT", label="Barrey", PI=55.0, PT=12.0).ideal == 12.0
    assert _verdict("ideal-pt", "PT", label="Barrey", PT=12.0).reason == "needs PI"


def test_a_band_straddling_an_edge_names_the_nearest_edge() -> None:
    from alignment_planner.targets.presets import edges, straddled

    pt = _verdict("srs-schwab", "PT", PT=19.0)
    assert edges(pt) == (0.0, 20.0, 30.0)
    assert straddled(pt, 2.0) == 20.0 and straddled(pt, 0.5) is None and straddled(pt, 1e-7) is None
    assert straddled(pt, 1.0) is None  # exactly 1° away: the band 19 ± 1 reaches 20 but does not cross it
    gap = _verdict("ideal-ll", "LL", label="GAP", PI=60.0, LL=76.0)
    assert edges(gap)[-1] == pytest.approx(77.2) and straddled(gap, 3.0) == pytest.approx(77.2)
    wide = _verdict("srs-schwab", "PT", PT=25.0)
    assert straddled(wide, 6.0) == 20.0  # both 20 and 30 lie within 6°: the nearer one


def test_range_edges_open_and_closed() -> None:
    from alignment_planner.targets.presets import Range

    assert not Range(0.0, 10.0, low_open=True).contains(0.0) and Range(0.0, 10.0).contains(0.0)
    assert Range(0.0, 10.0, low_open=True).contains(1e-6)
    assert Range(0.0, 10.0, high_open=True).contains(10.0 - 1e-12) is False  # noise at an edge is on it


def test_practice_record_rounds_errors_to_a_hundredth_and_keeps_unplaced_as_null() -> None:
    from alignment_planner.anatomy.landmarks import Landmarks
    from alignment_planner.teaching.scoring import attempt_record

    expert = read_flatback_expert()
    p = expert.landmarks.point("L4", "ant_sup")
    assert p is not None
    placed = expert.landmarks.with_point("L4", "ant_sup", (p[0] + 1.0, p[1] + 1.0)).with_point("L5", "ant_sup", None)
    record = attempt_record("c", "t", 1.0, score_landmarks(expert, placed), None, expert)
    errors = record["landmarks"]["errors_mm"]  # type: ignore[index]
    assert errors["L4.ant_sup"] == 0.57  # √2 px × 0.4 mm = 0.5657 mm
    assert errors["L5.ant_sup"] is None
    nothing = score_landmarks(expert, Landmarks())
    empty = attempt_record("c", "t", 1.0, nothing, None, expert)
    assert empty["landmarks"]["mean_error_mm"] is None and empty["landmarks"]["placed"] == 0  # type: ignore[index]
    assert nothing.summary().startswith(f"0 of {len(nothing.landmarks)} landmarks placed; 0 of 0 parameters")


def test_practice_summary_counts_good_parameters_of_those_judged() -> None:
    expert = read_flatback_expert()
    p = expert.landmarks.point("S1", "ant_sup")
    assert p is not None  # 40 px = 16 mm down: SS, PI, PT and LL go beyond their repeatability
    score = score_landmarks(expert, expert.landmarks.with_point("S1", "ant_sup", (p[0], p[1] + 40.0)))
    good = sum(1 for p in score.parameters if p.grade == "good")
    judged = sum(1 for p in score.parameters if p.grade != "not measurable")
    assert 0 < good < judged == len(score.parameters)  # every value measurable; S1 moved: not all good
    assert score.summary().endswith(f"{good} of {judged} parameters within inter-observer variability")
