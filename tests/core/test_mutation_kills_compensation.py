"""Mutation kills for the pelvic compensation models and the simulation that applies them
(issue 15 §7): every value here is worked out by hand from clinical.md §2.5, §4.4, §4.6 and
docs/clinical-additions.md §4, on skeletons built by hand in the anatomical frame (x anterior,
y cranial, mm; hip axis at the origin).

The release bound (clinical-additions §4): PT_post = max(min(PT_pre, goal), PT_pre − C), C the fall
in TPA (else CPA, T4PA, L1PA, else the LL gained); C = 0 when the cuts change nothing, no bound when
nothing is measurable. Yamato 2016 as a change (§4.6): PT_post = max(PT_pre − 0.5·ΔLL,
min(PT_pre, 0.47·PI − 7.5)), never above PT_pre.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import Point
from alignment_planner.measurements.definitions import pelvic_incidence, pelvic_tilt
from alignment_planner.plan.model import Compensation, Osteotomy
from alignment_planner.procedures import compensation as compensation_module
from alignment_planner.procedures.compensation import (
    COMPENSATION_MODELS,
    PUBLISHED_MODEL_ERROR,
    IdealPtFormula,
    ModelError,
    Prediction,
    Rotation,
    Situation,
    _ideal_pt_formulas,
    check_pt_deg,
    compensation,
    pelvic_rotation,
    trunk_correction,
)
from alignment_planner.procedures.simulate import apply_compensation, apply_osteotomies
from alignment_planner.targets.presets import Ideal, Preset, preset_by_id

LIMIT_TEXT = "; limited to the {:.1f}° the cuts bring the trunk back"
KEEPS_TEXT = "; no correction of the trunk's pitch, so the pelvis keeps its position"


# --- hand-made skeletons ------------------------------------------------------------------------


def _turned(point: Point, hinge: Point, deg: float) -> Point:
    """``point`` turned counter-clockwise by ``deg`` about ``hinge`` (written out, not the code's)."""
    t = math.radians(deg)
    dx, dy = point[0] - hinge[0], point[1] - hinge[1]
    return (hinge[0] + dx * math.cos(t) - dy * math.sin(t), hinge[1] + dx * math.sin(t) + dy * math.cos(t))


def _endplate(centre: Point, incl_deg: float, half: float) -> dict[str, Point]:
    """An endplate through ``centre`` whose incl (clinical.md §0.2) is ``incl_deg``."""
    t = math.radians(incl_deg)
    dx, dy = half * math.cos(t), -half * math.sin(t)
    return {"post_sup": (centre[0] - dx, centre[1] - dy), "ant_sup": (centre[0] + dx, centre[1] + dy)}


def _skeleton(pt: float = 30.0, pi: float = 55.0, *, ll: float | None = None,
              tpa: float | None = None) -> Skeleton:
    """Hip axis H at the origin; the S1 midpoint 100 mm from H at tilt −PT (so PT is ``pt``), its
    endplate at SS = PI − PT; with ``ll`` an L1 superior endplate at incl SS − LL (only those two
    corners, so L1PA is not measurable); with ``tpa`` an explicit T1 centre 500 mm from H at
    tilt TPA − PT (TPA = T1 tilt + PT, clinical.md §1.2)."""
    t = math.radians(pt)
    points = {"S1": _endplate((-100.0 * math.sin(t), 100.0 * math.cos(t)), pi - pt, 20.0)}
    if ll is not None:
        points["L1"] = _endplate((0.0, 250.0), pi - pt - ll, 15.0)
    if tpa is not None:
        tilt = math.radians(tpa - pt)
        points["T1"] = {"center": (500.0 * math.sin(tilt), 500.0 * math.cos(tilt))}
    return Skeleton(points, ((0.0, 0.0),))


def test_the_hand_skeleton_has_the_pelvis_it_was_built_with() -> None:
    s = _skeleton(30.0, 55.0)
    assert pelvic_tilt(s) == pytest.approx(30.0, abs=1e-9)
    assert pelvic_incidence(s) == pytest.approx(55.0, abs=1e-9)


def _predict(model: str, s: Situation, c: Compensation | None = None) -> Prediction:
    return COMPENSATION_MODELS[model].predict(s, c or Compensation(model))


# --- the PI-based ideal PT formulas (clinical.md §2.5) -------------------------------------------


def test_the_ideal_pt_formulas_are_the_published_ones() -> None:
    """Yamato 2016: 0.47·PI − 7.5; Le Huec & Hasegawa 2016: 0.44·PI − 11.4; GAP-implied:
    0.41·PI − 9 (clinical.md §2.5); the Barrey class table is not a linear formula."""
    assert _ideal_pt_formulas() == {
        "yamato2016": IdealPtFormula("yamato2016", "Yamato 2016 optimal PT", 0.47, -7.5, "clinical.md §2.5 [11]"),
        "le_huec2016": IdealPtFormula("le_huec2016", "Le Huec & Hasegawa 2016", 0.44, -11.4, "clinical.md §2.5 [10]"),
        "gap": IdealPtFormula("gap", "GAP-implied ideal PT", 0.41, -9.0, "clinical.md §2.5 [14b]"),
    }
    # clinical.md §2.5's column "value at PI = 55" (18.4, 12.8, 13.6°, rounded half up):
    # 25.85 − 7.5, 24.2 − 11.4, 22.55 − 9.
    formulas = _ideal_pt_formulas()
    at_55 = [formulas[k](55.0) for k in ("yamato2016", "le_huec2016", "gap")]
    assert at_55 == pytest.approx([18.35, 12.8, 13.55], abs=1e-9)


def test_only_a_linear_pi_formula_with_an_id_drives_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table by PI class, a formula with another term, a target without a formula id or without
    an ideal cannot be a "PT = a·PI + b" model: only the plain linear one is taken."""
    real = preset_by_id("ideal-pt")
    linear = real.targets[0]
    targets = (
        linear,
        replace(linear, formula_id="by_class", ideal=Ideal({"PI": 0.4}, 0.0, by_pi=((None, 5.0),))),
        replace(linear, formula_id=None),
        replace(linear, formula_id="with_age", ideal=Ideal({"PI": 0.4, "age": 0.1}, 0.0)),
        replace(linear, formula_id="no_ideal", ideal=None),
    )

    def fake(preset_id: str) -> Preset:
        assert preset_id == "ideal-pt"
        return replace(real, targets=targets)

    monkeypatch.setattr(compensation_module, "preset_by_id", fake)
    assert list(_ideal_pt_formulas()) == ["yamato2016"]


@pytest.mark.parametrize(("slope", "intercept", "text"), [
    (0.47, -7.5, "Yamato 2016 optimal PT: PT = 0.47·PI − 7.5"),
    (0.5, 3.0, "Yamato 2016 optimal PT: PT = 0.5·PI + 3"),
    (0.5, 0.5, "Yamato 2016 optimal PT: PT = 0.5·PI + 0.5"),
    (0.4, 0.0, "Yamato 2016 optimal PT: PT = 0.4·PI + 0"),
])
def test_a_formula_reads_with_the_sign_of_its_intercept(slope: float, intercept: float, text: str) -> None:
    assert IdealPtFormula("k", "Yamato 2016 optimal PT", slope, intercept, "s").describe() == text


# --- pelvis fixed, PT target, PT ideal: the release and its bound ----------------------------------


def test_pelvis_fixed_says_so_and_predicts_nothing() -> None:
    s = _skeleton()
    assert compensation(s, s, Compensation("none")) == Rotation(0.0, "pelvis fixed (no compensation)", None)


def test_a_pt_target_without_pt_deg_is_refused_by_name() -> None:
    with pytest.raises(NotMeasurable) as caught:
        _predict("pt_target", Situation(30.0, 55.0, 40.0, 40.0))
    assert caught.value.reason == "compensation pt_target: no pt_deg given"


@pytest.mark.parametrize("pt_deg", [-30.0, 60.0])
def test_pt_deg_at_either_end_of_the_plausible_range_is_accepted(pt_deg: float) -> None:
    check_pt_deg(pt_deg)  # clinical.md §4.6: −30…60° inclusive


@pytest.mark.parametrize(("pt_deg", "shown"), [(200.0, "200"), (-30.5, "-30.5"), (60.5, "60.5")])
def test_pt_deg_outside_the_plausible_range_is_refused_with_the_range(pt_deg: float, shown: str) -> None:
    with pytest.raises(NotMeasurable) as caught:
        check_pt_deg(pt_deg)
    assert caught.value.reason == (
        f"compensation pt_deg {shown}° is not a plausible pelvic tilt (-30…60°, clinical.md §4.6)"
    )


def test_an_absolute_pt_target_is_the_stated_pelvis_with_the_published_error() -> None:
    absolute = Compensation("pt_target", 20.0, {"absolute": True})
    assert _predict("pt_target", Situation(30.0, 55.0, 40.0, 40.0, 0.0), absolute) == Prediction(
        20.0, "PT set to 20.0° (absolute pelvis position, as asked)", PUBLISHED_MODEL_ERROR
    )


@pytest.mark.parametrize(("pt_pre", "correction", "pt", "tail"), [
    (20.0, 5.0, 20.0, " (already at or below it: kept)"),  # PT_pre = target: nothing to release
    (15.0, 5.0, 15.0, " (already at or below it: kept)"),  # never retroverted up to the target
    (30.0, None, 20.0, ""),  # nothing measurable: no bound
    (30.0, 12.0, 20.0, ""),  # C 12 ≥ the 10° wanted
    (30.0, 10.0, 20.0, ""),  # C exactly the 10° wanted: the goal, not the bound, stops it
    (30.0, 4.0, 26.0, LIMIT_TEXT.format(4.0)),  # 30 − 4
    (30.0, 0.5, 29.5, LIMIT_TEXT.format(0.5)),  # half a degree of correction gives half a degree
    (30.0, 0.0, 30.0, KEEPS_TEXT),  # no correction: no pelvic change
])
def test_a_pt_target_releases_by_no_more_than_the_trunk_correction(
    pt_pre: float, correction: float | None, pt: float, tail: str
) -> None:
    target = Compensation("pt_target", 20.0)
    assert _predict("pt_target", Situation(pt_pre, 55.0, 40.0, 40.0, correction), target) == Prediction(
        pt, f"PT released to at most 20.0°{tail}", PUBLISHED_MODEL_ERROR
    )


YAMATO_IDEAL = "Yamato 2016 optimal PT: PT = 0.47·PI − 7.5 = 39.5°"  # PI 100: 47 − 7.5


@pytest.mark.parametrize(("pt_pre", "correction", "pt", "tail"), [
    (39.5, 5.0, 39.5, " (pre-op PT already at or below it: kept)"),  # exactly at the ideal
    (30.0, 5.0, 30.0, " (pre-op PT already at or below it: kept)"),
    (45.0, None, 39.5, ""),
    (45.0, 2.0, 43.0, LIMIT_TEXT.format(2.0)),
    (45.0, 0.0, 45.0, KEEPS_TEXT),
])
def test_pt_ideal_releases_towards_the_formula_and_says_which(
    pt_pre: float, correction: float | None, pt: float, tail: str
) -> None:
    assert _predict("pt_ideal", Situation(pt_pre, 100.0, 40.0, 40.0, correction)) == Prediction(
        pt, f"PT released to the PI-based ideal, {YAMATO_IDEAL}{tail}", PUBLISHED_MODEL_ERROR
    )


def test_pt_ideal_with_an_unknown_formula_is_refused_by_name() -> None:
    with pytest.raises(NotMeasurable) as caught:
        _predict("pt_ideal", Situation(45.0, 100.0, 40.0, 40.0), Compensation("pt_ideal", extra={"formula": "nope"}))
    assert caught.value.reason == "compensation pt_ideal: unknown formula 'nope'"


# --- the regressions in delta form (Yamato 2016, the surgeon's own) --------------------------------


def test_yamato_is_minus_half_the_lordosis_gained_and_shows_its_ideal() -> None:
    """Flatback numbers: PT 31°, PI 62°, LL 25 → 35: PT 31 − 5 = 26°, above the ideal
    0.47·62 − 7.5 = 21.64°."""
    assert _predict("yamato2016", Situation(31.0, 62.0, 25.0, 35.0, 10.0)) == Prediction(
        26.0,
        "Yamato 2016 as a change: PT 31.0° − 0.5·ΔLL (+10.0°), released no further than "
        "min(pre-op PT, optimal 0.47·PI − 7.5 = 21.6°) = 26.0°",
        PUBLISHED_MODEL_ERROR,
    )


@pytest.mark.parametrize("model", ["yamato2016", "personal"])
@pytest.mark.parametrize(("ll_pre", "ll_after"), [(None, 35.0), (25.0, None), (None, None)])
def test_a_regression_without_lordosis_is_not_measurable(model: str, ll_pre: float | None, ll_after: float | None) -> None:
    settings = Compensation(model, extra={"slope": -0.3, "se": 0.04, "n": 23})
    with pytest.raises(NotMeasurable) as caught:
        _predict(model, Situation(31.0, 62.0, ll_pre, ll_after), settings)
    assert caught.value.reason == "the compensation model needs LL, which is not measurable"


PERSONAL = {"slope": -0.3, "se": 0.04, "n": 23, "residual_sd": 3.0}


def test_the_personal_model_carries_its_own_spread_as_its_error() -> None:
    """Slope −0.3, ΔLL +10: PT 31 − 3 = 28°; its error is its residual SD (3°), the SVA error
    stays the published 27 mm (clinical.md §5.3)."""
    prediction = _predict("personal", Situation(31.0, 62.0, 25.0, 35.0), Compensation("personal", extra=PERSONAL))
    assert prediction.pt_deg == pytest.approx(28.0, abs=1e-12)
    assert prediction.label == (
        "personal, n = 23 plans: PT 31.0° -0.30·ΔLL (+10.0°; SE 0.04), released no further than "
        "min(pre-op PT, 21.6°) = 28.0°"
    )
    assert prediction.error == ModelError(3.0, 27.0, "personal, n = 23 plans (its own spread)")


def test_a_personal_fit_without_a_residual_sd_falls_back_to_the_published_pt_error() -> None:
    settings = {k: v for k, v in PERSONAL.items() if k != "residual_sd"}
    prediction = _predict("personal", Situation(31.0, 62.0, 25.0, 35.0), Compensation("personal", extra=settings))
    assert prediction.error is not None and prediction.error.pt_deg == 4.1


def test_an_unusable_personal_fit_is_refused_with_the_field() -> None:
    settings = Compensation("personal", extra={**PERSONAL, "n": 5})
    with pytest.raises(NotMeasurable) as caught:
        _predict("personal", Situation(31.0, 62.0, 25.0, 35.0), settings)
    assert caught.value.reason == (
        "compensation.n: expected a whole number of plans ≥ 10 (the minimum for a fit), got 5"
    )


# --- compensation() on hand skeletons --------------------------------------------------------------


def test_cuts_that_change_nothing_leave_an_unbounded_pelvis_in_place() -> None:
    """A pelvis alone (no TPA, no LL: the correction is not measurable) with no cut: C = 0 by
    definition, so "at most 20°" keeps PT 30°, the plan is the pelvis-fixed one and carries no
    model error (clinical-additions §4)."""
    s = _skeleton(30.0, 55.0)
    rotation = compensation(s, s, Compensation("pt_target", 20.0))
    assert rotation.phi_deg == 0.0 and rotation.error is None
    assert rotation.label == f"PT released to at most 20.0°{KEEPS_TEXT}; the pelvis does not move (PT 30.0°)"


@pytest.mark.parametrize(("goal", "phi"), [(25.0, 5.0), (29.5, 0.5)])
def test_the_pelvis_turns_by_the_released_tilt(goal: float, phi: float) -> None:
    """TPA 25 → 15 after the cuts: C = 10, so "at most 25°" (or 29.5°) is reached: φ = 30 − goal."""
    preop, after = _skeleton(30.0, 55.0, tpa=25.0), _skeleton(30.0, 55.0, tpa=15.0)
    target = Compensation("pt_target", goal)
    rotation = compensation(preop, after, target)
    assert rotation.phi_deg == pytest.approx(phi, abs=1e-9)
    assert rotation.label == f"PT released to at most {goal:.1f}°; PT 30.0° → {goal:.1f}° about the hip axis"
    assert rotation.error is PUBLISHED_MODEL_ERROR
    assert pelvic_rotation(preop, after, target) == pytest.approx(phi, abs=1e-9)


def test_a_turn_of_a_billionth_of_a_degree_is_still_a_turn() -> None:
    """The "does not move" tolerance is |φ| < 1e-9° (float noise); a stated pelvis exactly 1e-9°
    away is a turn, reported with the model's error."""
    s = _skeleton(0.0, 50.0)
    assert pelvic_tilt(s) == 0.0
    rotation = compensation(s, s, Compensation("pt_target", -1e-9, {"absolute": True}))
    assert rotation.phi_deg == 1e-9
    assert rotation.label.endswith("about the hip axis") and rotation.error is PUBLISHED_MODEL_ERROR


def test_a_model_that_needs_pi_says_so_when_the_sacral_endplate_has_no_direction() -> None:
    """Coincident S1 corners: PT (from their midpoint) is measurable, PI is not."""
    s = Skeleton({"S1": {"post_sup": (-50.0, 86.6), "ant_sup": (-50.0, 86.6)}}, ((0.0, 0.0),))
    with pytest.raises(NotMeasurable) as caught:
        compensation(s, s, Compensation("pt_target", 20.0))
    assert caught.value.reason == (
        "compensation pt_target needs PI, which is not measurable: degenerate geometry: S1.post_sup "
        "and S1.ant_sup coincide (the superior endplate has no direction)"
    )


# --- trunk_correction: the C of the release bound --------------------------------------------------


@pytest.mark.parametrize(("before", "after", "c"), [
    ({"tpa": 25.0, "ll": 30.0}, {"tpa": 15.0, "ll": 50.0}, 10.0),  # TPA first: its fall, not ΔLL 20
    ({"tpa": 25.0, "ll": 30.0}, {"tpa": 30.0, "ll": 20.0}, 0.0),  # TPA rose: no correction
    ({"tpa": 25.0, "ll": 30.0}, {"ll": 45.0}, 15.0),  # TPA on one film only: the LL gained
    ({"ll": 30.0}, {"tpa": 15.0, "ll": 45.0}, 15.0),
    ({"ll": 30.0}, {"ll": 45.0}, 15.0),  # no pelvic angle: the LL gained
    ({"ll": 30.0}, {"ll": 20.0}, 0.0),  # lordosis lost: no correction
    ({"ll": 30.0}, {}, None),  # nothing measurable on both: no bound
    ({}, {"ll": 30.0}, None),
    ({}, {}, None),
])
def test_the_trunk_correction_is_the_fall_in_tpa_else_the_lordosis_gained(
    before: dict[str, float], after: dict[str, float], c: float | None
) -> None:
    result = trunk_correction(_skeleton(30.0, 55.0, **before), _skeleton(30.0, 55.0, **after))
    if c is None:
        assert result is None
    else:
        assert result == pytest.approx(c, abs=1e-9)


# --- the simulation: cut order, hinge messages, the pelvic turn -------------------------------------


FRAME = AnatomicalFrame(1.0, 1.0, "right")  # pixel (x, y) ↔ anatomical (x, −y) mm


def test_cuts_close_caudal_first_and_carry_the_cranial_hinge() -> None:
    """SPO L3-L4 20° about (0, 0), then SPO L1-L2 15° about its hinge (0, 100) as the first cut
    moved it (clinical.md §3.3 step 4). L2 turns with the caudal cut only; T1 with both."""
    t1, l2 = (0.0, 300.0), (0.0, 60.0)
    s = Skeleton({"T1": {"center": t1}, "L2": {"center": l2}}, ())
    cuts = (Osteotomy("SPO", "L1-L2", 15.0, hinge=(0.0, -100.0)), Osteotomy("SPO", "L3-L4", 20.0, hinge=(0.0, 0.0)))
    moved, applied = apply_osteotomies(s, cuts, FRAME)
    carried_hinge = _turned((0.0, 100.0), (0.0, 0.0), 20.0)
    assert [a.osteotomy.level for a in applied] == ["L3-L4", "L1-L2"]
    assert applied[1].hinge == pytest.approx(carried_hinge, abs=1e-9)
    assert moved.points["L2"]["center"] == pytest.approx(_turned(l2, (0.0, 0.0), 20.0), abs=1e-9)
    want = _turned(_turned(t1, (0.0, 0.0), 20.0), carried_hinge, 15.0)
    assert moved.points["T1"]["center"] == pytest.approx(want, abs=1e-9)


def test_a_missing_default_hinge_names_its_landmarks_and_the_way_out() -> None:
    """PSO hinge: the midpoint of L3's anterior wall (clinical.md §3.3)."""
    s = Skeleton({"L3": {"post_sup": (0.0, 0.0)}}, ())
    with pytest.raises(NotMeasurable) as caught:
        apply_osteotomies(s, (Osteotomy("PSO", "L3", 25.0),), FRAME)
    assert caught.value.reason == (
        "PSO at L3: the default hinge needs L3.ant_sup and L3.ant_inf (place them or give an explicit hinge)"
    )


def test_compensation_turns_the_whole_body_back_by_phi_about_the_hip_axis() -> None:
    """φ = 1°: every point turns by −1° about H, so PT falls by exactly 1° (clinical.md §3.3 step 5)."""
    s = _skeleton(30.0, 55.0, tpa=20.0)
    turned = apply_compensation(s, 1.0)
    assert turned.points["T1"]["center"] == pytest.approx(_turned(s.points["T1"]["center"], (0.0, 0.0), -1.0), abs=1e-9)
    assert pelvic_tilt(turned) == pytest.approx(29.0, abs=1e-9)
    assert apply_compensation(s, 0.0) is s
