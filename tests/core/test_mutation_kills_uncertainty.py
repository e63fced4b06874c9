"""Uncertainty: tests that kill the survivors of ``bash tools/mutation.sh uncertainty`` (issue 15
§7). Expected values come from clinical.md §5.4 (per-class error model, band = 1.96 × SD, the S1
endplate ≈ 45 mm on uncalibrated films), §4.6 (planned values carry landmark and model error) and
hand geometry, never from the propagation itself."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest

from alignment_planner.analysis import error_model
from alignment_planner.analysis.error_model import ErrorModel, landmark_class, load_error_model
from alignment_planner.analysis.uncertainty import Uncertainty, _nudge, anatomy_scale, propagate
from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.measurements.registry import Parameter

Point = tuple[float, float]

# --- the per-class model (clinical.md §5.4) ------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "name", "expected"),
    [
        ("femoral_heads", "0", "femoral_head"),
        ("S1", "ant_sup", "S1_corner"),
        ("L3", "post_inf", "lumbar_corner"),
        ("T7", "ant_sup", "thoracic_corner"),
        ("C4", "ant_inf", "cervical_corner"),
        ("C7", "center", "body_centre"),
        ("L3", "center", "body_centre"),
    ],
)
def test_each_landmark_has_its_class(level: str, name: str, expected: str) -> None:
    """clinical.md §5.4: femoral-head centre, S1, lumbar, thoracic and cervical corners, body centres."""
    assert landmark_class(level, name) == expected
    model = load_error_model()
    assert model.for_point(level, name) == model.classes[expected]


def test_a_body_centre_gets_the_centre_error_not_its_levels_corner_error() -> None:
    """A C7 centre click is a centre (2 mm each way in the fitted table), not a cervical corner
    (its across-endplate SD is a quarter of that)."""
    model = load_error_model()
    assert model.for_point("C7", "center") != model.for_point("C7", "ant_sup")


def test_the_isotropic_alternative_says_what_it_is() -> None:
    model = ErrorModel.isotropic(2.5)
    assert model.description == "an independent 2.5 mm error (1 SD, each axis) on every landmark"
    assert all(c.along_mm == c.across_mm == 2.5 for c in model.classes.values())
    assert model.anatomy_reference_mm == 45.0


def test_the_error_model_file_is_read_as_utf8_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data file cites its sources with accented names (Kyrölä): read in a Latin-1 locale
    without an explicit encoding they would come out garbled."""
    from importlib import resources

    real_files = resources.files

    class Latin1Locale:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __truediv__(self, other: str) -> Latin1Locale:
            return Latin1Locale(self.inner / other)

        def read_text(self, encoding: str | None = None) -> str:
            data: bytes = self.inner.read_bytes()
            return data.decode(encoding or "latin-1")

    monkeypatch.setattr(resources, "files", lambda package: Latin1Locale(real_files(package)))
    text = str(error_model.error_model_document())
    assert "Kyrölä" in text


# --- combining and reporting (clinical.md §4.6, §5.4) -----------------------------------------------


def _u(**kw: Any) -> Uncertainty:
    base: dict[str, Any] = {
        "point_sd_mm": None,
        "preop": {"SVA": 3.0, "LL": 2.0, "PI": None},
        "postop": {"SVA": 4.0, "LL": 2.5, "PI": None},
        "method": "by hand",
        "model": {"SVA": 3.0},
    }
    base.update(kw)
    return Uncertainty(**base)


def test_a_planned_value_carries_landmark_and_model_error_in_quadrature() -> None:
    """Planned SVA: landmark SD 4 mm and model SD 3 mm give hypot(4, 3) = 5 mm, band 1.96 × 5 =
    9.8 mm; pre-op it is the landmark error alone (3 mm, band 5.88); a planned value the model does
    not move (LL) keeps its landmark SD (2.5°)."""
    u = _u()
    assert u.sd("SVA", "postop") == pytest.approx(5.0)
    assert u.band("SVA", "postop") == pytest.approx(9.8)
    assert u.sd("SVA") == 3.0 and u.band("SVA") == pytest.approx(5.88)
    assert u.sd("LL", "postop") == 2.5 and u.band("LL", "postop") == pytest.approx(4.9)
    assert u.sd("PI") is None and u.band("PI") is None and u.band("PI", "postop") is None


def test_a_value_undefined_within_noise_has_no_band_at_that_stage_only() -> None:
    """LDI: "undefined within noise" when LL's band includes 0 (clinical.md §5.4), stage by stage."""
    u = _u(
        preop={"LDI": 4.0}, postop={"LDI": 4.0}, model={},
        undefined={"postop": {"LDI": "undefined within noise"}},
        intervals={"preop": {"LDI": (50.0, 70.0)}},
    )
    assert u.band("LDI", "postop") is None
    assert u.band("LDI") == pytest.approx(7.84)
    assert u.interval("LDI") == (50.0, 70.0)
    assert u.interval("LDI", "postop") is None
    plain = _u()
    assert plain.band("SVA") == pytest.approx(5.88) and plain.interval("LDI") is None


# --- uncalibrated films: pixels sized by the anatomy (clinical.md §5.4) -------------------------------


def _endplates(lengths: dict[str, float], partial: tuple[str, ...] = ()) -> Landmarks:
    vertebrae = {}
    for i, (level, length) in enumerate(lengths.items()):
        y = 1000.0 + 100.0 * i
        vertebrae[level] = Vertebra(ant_sup=(500.0 + length, y), post_sup=(500.0, y))
    for level in partial:
        vertebrae[level] = Vertebra(post_sup=(500.0, 2000.0))
    return make_landmarks(vertebrae, ())


@pytest.mark.parametrize("level", ["S1", "L5", "L4", "L3", "L2", "L1"])
def test_the_lowest_placed_superior_endplate_is_45_mm(level: str) -> None:
    """S1's superior endplate, else the lowest placed lumbar one, is taken as 45 mm: a 90 px
    endplate makes a pixel 0.5 mm."""
    assert anatomy_scale(_endplates({level: 90.0}), 45.0) == pytest.approx(0.5)


def test_s1_is_preferred_to_a_lumbar_endplate_and_a_half_placed_endplate_is_skipped() -> None:
    assert anatomy_scale(_endplates({"L5": 90.0, "S1": 150.0}), 45.0) == pytest.approx(0.3)
    assert anatomy_scale(_endplates({"L5": 90.0}, partial=("S1",)), 45.0) == pytest.approx(0.5)
    assert anatomy_scale(_endplates({"L1": 1.0}), 45.0) == pytest.approx(45.0)  # a 1 px endplate still sizes
    assert anatomy_scale(_endplates({"L1": 1e-6}), 45.0) is None  # coincident corners do not
    assert anatomy_scale(_endplates({"T12": 90.0}), 45.0) is None  # not a lumbar or S1 endplate


# --- the nudges themselves -----------------------------------------------------------------------------


def test_a_nudge_moves_a_femoral_head_by_the_step_along_each_image_axis() -> None:
    landmarks = make_landmarks({}, (FemoralHead((100.0, 200.0)), FemoralHead((120.0, 190.0))))
    moved = _nudge(landmarks, "femoral_heads", "1", (0.25, -0.5))
    assert [h.center for h in moved.femoral_heads] == [(100.0, 200.0), (120.25, 189.5)]
    corner = make_landmarks({"L3": Vertebra(ant_sup=(10.0, 20.0))}, ())
    assert _nudge(corner, "L3", "ant_sup", (0.25, -0.5)).point("L3", "ant_sup") == (10.25, 19.5)


def test_the_heads_error_enters_pt_as_one_over_their_distance_from_s1() -> None:
    """PT = −tilt(S − H), H the midpoint of two heads each with an isotropic σ: only motion of H
    across the line H→S turns it, by 1/|S − H| rad per mm, and H moves σ/√2 each way. With only
    the heads uncertain (S1's corners exact): σ_PT = σ / (√2 · |S − H|) rad."""
    sigma = 3.0
    heads = (FemoralHead((90.0, 300.0)), FemoralHead((110.0, 300.0)))  # H = (100, 300) px
    s1 = Vertebra(post_sup=(60.0, 100.0), ant_sup=(140.0, 100.0))  # S = (100, 100): 200 px above H
    plan = _calibrated_plan(make_landmarks({"S1": s1}, heads))
    model = ErrorModel(
        {**ErrorModel.isotropic(0.0).classes, "femoral_head": error_model.ClassError(sigma, sigma)},
        45.0, "heads only",
    )
    distance_mm = 200.0 * 0.5
    expected = math.degrees(sigma / (math.sqrt(2.0) * distance_mm))
    assert propagate(plan, model=model).preop["PT"] == pytest.approx(expected, rel=2e-3)


def _calibrated_plan(landmarks: Landmarks):  # type: ignore[no-untyped-def]
    from alignment_planner.calibration.spacing import PixelSpacing
    from alignment_planner.plan.model import ImageRef, Plan

    return Plan(landmarks=landmarks, image=ImageRef(pixel_spacing=PixelSpacing.isotropic(0.5)), facing="right")


def test_an_isotropic_error_reaches_both_axes_of_a_head() -> None:
    """Moving a head along x or along y both change PT unless H→S is along that axis: with S
    straight above H, only the x error counts, so a y-only error gives σ_PT = 0."""
    heads = (FemoralHead((90.0, 300.0)), FemoralHead((110.0, 300.0)))
    s1 = Vertebra(post_sup=(60.0, 100.0), ant_sup=(140.0, 100.0))
    plan = _calibrated_plan(make_landmarks({"S1": s1}, heads))
    y_only = ErrorModel(
        {**ErrorModel.isotropic(0.0).classes, "femoral_head": error_model.ClassError(0.0, 3.0)}, 45.0, "y"
    )
    x_only = ErrorModel(
        {**ErrorModel.isotropic(0.0).classes, "femoral_head": error_model.ClassError(3.0, 0.0)}, 45.0, "x"
    )
    assert propagate(plan, model=y_only).preop["PT"] == pytest.approx(0.0, abs=1e-9)
    assert propagate(plan, model=x_only).preop["PT"] == pytest.approx(
        math.degrees(3.0 / (math.sqrt(2.0) * 100.0)), rel=2e-3
    )
    assert replace(plan).landmarks == plan.landmarks


# --- endplate directions (clinical.md §5.4: error along and across the endplate) ---------------------


def test_a_corner_is_nudged_along_and_across_its_own_endplate() -> None:
    """The partner corner 0.5 mm away along (0.3, 0.4): along = (0.6, 0.8), across = (−0.8, 0.6)."""
    along, across = error_model.directions("ant_sup", (1.0, 2.0), (1.3, 2.4))
    assert along == pytest.approx((0.6, 0.8)) and across == pytest.approx((-0.8, 0.6))


@pytest.mark.parametrize(
    ("name", "partner"),
    [("center", (5.0, 5.0)), ("ant_sup", None), ("post_inf", (0.0, 1e-9))],
)
def test_without_an_endplate_direction_the_image_axes_are_used(name: str, partner: Point | None) -> None:
    """A centre, a corner without its partner, or a partner on it (1e-9 mm): x then y."""
    assert error_model.directions(name, (0.0, 0.0), partner) == ((1.0, 0.0), (0.0, 1.0))


# --- the compensation model's own error (clinical.md §4.6, §5.3) --------------------------------------

LAFAGE_PT_SD = 1.4826 * 4.1  # Lafage 2012: PT median absolute error 4.1°, as a normal SD
LAFAGE_SVA_SD = 1.4826 * 27.0


def _compensated(*drop: str):  # type: ignore[no-untyped-def]
    from alignment_planner.plan.model import Compensation, Osteotomy
    from tests.core.issue15_plans import flatback

    plan = flatback(Osteotomy("PSO", "L3", 30.0), model=Compensation("yamato2016"))
    landmarks = plan.landmarks
    for level in drop:
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf", "center"):
            landmarks = landmarks.with_point(level, name, None)
    return replace(plan, landmarks=landmarks)


def _compensated_model() -> dict[str, float]:
    # Not memoised: mutmut forks each mutant's run from a process that has already run the
    # tests, so a cached result would be the unmutated one.
    return propagate(_compensated(), 2.0).model


def test_a_compensated_plan_carries_the_models_error_on_every_value_the_pelvis_moves() -> None:
    """The model's PT error turns the whole body about the hip axis: SS, T1 slope, ST and the
    spinopelvic inclinations move degree for degree with it (SD 1.4826 × 4.1 = 6.08°); SVA has its
    own published error (1.4826 × 27 = 40.0 mm); PI, LL, TK and the pelvic angles do not move."""
    model = _compensated_model()
    for key in ("PT", "SS", "T1S", "TS_CL", "ST", "T1SPI", "T9SPI"):
        assert model[key] == pytest.approx(LAFAGE_PT_SD, rel=1e-6), key
    assert model["SVA"] == pytest.approx(LAFAGE_SVA_SD, rel=1e-9)
    assert not {"PI", "LL", "TK", "TPA", "CPA", "GT"} & set(model)


def test_a_horizontal_offset_moves_by_its_vertical_lever_when_the_body_turns() -> None:
    """cSVA = C2c.x − C7ps.x: turning by dφ about H moves it by (C2c.y − C7ps.y)·dφ, so its model SD
    is |C2c.y − C7ps.y| · 6.08° in radians, measured on the planned spine."""
    from alignment_planner.analysis.pipeline import analyze

    plan = _compensated()
    skeleton = analyze(plan).postop_skeleton
    assert skeleton is not None
    lever = abs(skeleton.centre("C2")[1] - skeleton.point("C7", "post_sup")[1])
    expected = lever * math.radians(LAFAGE_PT_SD)
    assert _compensated_model()["cSVA"] == pytest.approx(expected, rel=1e-4)


def test_a_value_not_measurable_does_not_stop_the_model_error_of_the_others() -> None:
    """Without C2, cSVA and C2–S1 SVA have no model error; T1SPI, T9SPI and ST still do."""
    model = propagate(_compensated("C2"), 2.0).model
    assert "cSVA" not in model and "C2S1_SVA" not in model
    for key in ("T1SPI", "T9SPI", "ST"):
        assert model[key] == pytest.approx(LAFAGE_PT_SD, rel=1e-6), key


def test_a_plan_whose_cut_cannot_be_simulated_has_no_planned_bands() -> None:
    """A PSO at L3 with L3's anterior corners missing cannot be drawn: the planned values are not
    computed, so they have no band, while the pre-op values (L3 not needed for LL) keep theirs."""
    from alignment_planner.plan.model import Osteotomy
    from tests.core.issue15_plans import flatback

    plan = flatback(Osteotomy("PSO", "L3", 30.0))
    plan = replace(plan, landmarks=plan.landmarks.with_point("L3", "ant_sup", None).with_point("L3", "ant_inf", None))
    u = propagate(plan, 2.0)
    assert u.preop["LL"] is not None and u.preop["LL"] > 0
    assert u.postop["LL"] is None and u.postop["SVA"] is None


# --- what propagate says about itself ------------------------------------------------------------------


def test_a_negative_or_nan_point_error_is_refused_with_the_rule() -> None:
    from tests.core.issue15_plans import flatback

    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError) as caught:
            propagate(flatback(), bad)
        assert str(caught.value) == "the per-point standard deviation must be a finite number ≥ 0 mm"


def test_an_uncalibrated_film_without_an_s1_or_lumbar_endplate_has_no_bands_and_says_why() -> None:
    """clinical.md §5.4: an uncalibrated film's pixels are sized by the anatomy; with nothing to
    size them by there are no bands, pre-op or planned."""
    from tests.core.issue15_plans import flatback

    plan = flatback()
    landmarks = plan.landmarks
    for level in ("S1", "L1", "L2", "L3", "L4", "L5"):
        landmarks = landmarks.with_point(level, "ant_sup", None)
    u = propagate(replace(plan, landmarks=landmarks, image=None), 2.0)
    assert u.point_sd_mm == 2.0
    assert set(u.preop) == set(u.postop) == {p.key for p in _parameters()}
    assert all(v is None for v in (*u.preop.values(), *u.postop.values()))
    assert u.method == (
        "linearised propagation of an independent 2 mm error (1 SD, each axis) on every landmark; "
        "uncalibrated, and no S1 or lumbar superior endplate to size the pixels by: no bands "
        "(clinical.md §5.4)"
    )


def test_an_uncalibrated_film_names_the_model_and_the_anatomical_scale() -> None:
    from tests.core.issue15_plans import flatback

    plan = replace(flatback(), image=None)
    s1 = plan.landmarks.vertebrae["S1"]
    scale = 45.0 / math.dist(s1.post_sup, s1.ant_sup)  # type: ignore[arg-type]
    u = propagate(plan)
    assert u.method == (
        "linearised propagation of per-landmark-class error fitted to the published SEMs "
        f"(clinical.md §5.1, §5.4); uncalibrated: pixels sized by the anatomy ({scale:.3f} mm/px, "
        "the endplate taken as 45 mm)"
    )


def _parameters() -> tuple[Parameter, ...]:
    from alignment_planner.measurements import PARAMETERS

    return PARAMETERS


def test_t9_tilt_carries_the_error_of_t9s_corners_and_of_the_heads() -> None:
    """T9SPI = tilt(T9c − H) (clinical.md §1.2), T9c the mean of four corners and H the midpoint
    of two heads, each point with an isotropic σ: across the line H→T9c the centre moves σ/2 and
    H σ/√2, so σ_T9SPI = σ·√(1/4 + 1/2) / |T9c − H| rad."""
    from tests.core.issue15_plans import flatback

    plan = flatback()
    lm = plan.landmarks
    t9 = [lm.point("T9", n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    centre = (sum(p[0] for p in t9) / 4.0, sum(p[1] for p in t9) / 4.0)  # type: ignore[index,misc]
    heads = [h.center for h in lm.femoral_heads]
    hip = ((heads[0][0] + heads[1][0]) / 2.0, (heads[0][1] + heads[1][1]) / 2.0)
    distance_mm = math.dist(centre, hip) * 0.4
    expected = math.degrees(2.0 * math.sqrt(0.75) / distance_mm)
    assert propagate(plan, 2.0).preop["T9SPI"] == pytest.approx(expected, rel=2e-3)


# --- the sampled ratio band (LDI, clinical.md §5.4) ------------------------------------------------------


def test_a_denominator_band_reaching_exactly_zero_includes_zero() -> None:
    """LL = 1.96 with SD 1: its 95 % band is 0…3.92, which includes 0: LDI undefined within noise."""
    from alignment_planner.analysis.uncertainty import _ratio_band

    result = _ratio_band(10.0, 1.96, [1.0], [1.0], 100.0, 0.0)
    assert isinstance(result, str)
    assert _ratio_band(10.0, 1.0, [1.0], [2.0], 100.0, 0.0) == (
        "undefined within noise: the denominator 1.0 ± 3.9 (95 %) includes 0"
    )


def test_the_sampled_band_is_the_same_every_time() -> None:
    """The same plan gives the same LDI band (a fixed sampling seed), about as wide as the linear
    estimate: LDI = 100·40/50 = 80 %, numerator and denominator SD 1 and 2 (independent), so
    SD ≈ 80·√((1/40)² + (2/50)²) = 3.77 points (the band itself is asymmetric)."""
    from alignment_planner.analysis.uncertainty import _ratio_band

    first = _ratio_band(40.0, 50.0, [1.0, 0.0], [0.0, 2.0], 100.0, 0.0)
    assert first == _ratio_band(40.0, 50.0, [1.0, 0.0], [0.0, 2.0], 100.0, 0.0)
    assert isinstance(first, tuple)
    linear_sd = 80.0 * math.hypot(1.0 / 40.0, 2.0 / 50.0)
    low, high = first
    assert low < 80.0 < high
    assert high - low == pytest.approx(2.0 * 1.96 * linear_sd, rel=0.05)


def test_a_long_horizontal_offset_moves_by_its_vertical_lever_too() -> None:
    """C2–S1 SVA = C2c.x − S1ps.x: its model SD is |C2c.y − S1ps.y| · 6.08° in radians; with C2 far
    in front of S1 (flatback) this checks the turn is taken as a derivative, not a 1° chord."""
    from alignment_planner.analysis.pipeline import analyze

    plan = _compensated()
    skeleton = analyze(plan).postop_skeleton
    assert skeleton is not None
    lever = abs(skeleton.centre("C2")[1] - skeleton.point("S1", "post_sup")[1])
    assert _compensated_model()["C2S1_SVA"] == pytest.approx(lever * math.radians(LAFAGE_PT_SD), rel=2e-4)


def test_an_explicit_centre_has_the_body_centre_error_in_the_calibrated_model() -> None:
    """SVA = C7c.x − S1ps.x with an explicit C7 centre: the centre's x error is the body-centre SD
    (2 mm, clinical.md §5.4 table), S1's corner contributes along·ux and across·uy of its endplate
    direction u: σ² = 2² + (3.755·ux)² + (1.442·uy)²."""
    from tests.core.issue15_plans import flatback

    plan = flatback()
    lm = plan.landmarks
    c7 = [lm.point("C7", n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    centre = (sum(p[0] for p in c7) / 4.0, sum(p[1] for p in c7) / 4.0)  # type: ignore[index,misc]
    plan = replace(plan, landmarks=lm.with_point("C7", "center", centre))
    s1 = plan.landmarks.vertebrae["S1"]
    dx, dy = s1.ant_sup[0] - s1.post_sup[0], s1.ant_sup[1] - s1.post_sup[1]  # type: ignore[index]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    model = load_error_model()
    centre_sd, s1_error = model.classes["body_centre"].along_mm, model.classes["S1_corner"]
    assert (centre_sd, s1_error.along_mm, s1_error.across_mm) == (2.0, 3.755, 1.442)
    expected = math.sqrt(centre_sd**2 + (s1_error.along_mm * ux) ** 2 + (s1_error.across_mm * uy) ** 2)
    assert propagate(plan).preop["SVA"] == pytest.approx(expected, rel=1e-4)


def test_an_error_across_only_still_moves_a_head_across() -> None:
    """Heads with error only along y (0 along x): H moves σ/√2 vertically; with S1's midpoint
    S = H + (30, −100) mm, the part of that motion across H→S is σ/√2 · 30/|S − H|, turning PT by
    that over |S − H| rad."""
    heads = (FemoralHead((90.0, 300.0)), FemoralHead((110.0, 300.0)))
    s1 = Vertebra(post_sup=(120.0, 100.0), ant_sup=(200.0, 100.0))  # S = (160, 100) px
    plan = _calibrated_plan(make_landmarks({"S1": s1}, heads))
    y_only = ErrorModel(
        {**ErrorModel.isotropic(0.0).classes, "femoral_head": error_model.ClassError(0.0, 3.0)}, 45.0, "y"
    )
    d = math.hypot(30.0, 100.0)
    expected = math.degrees(3.0 / math.sqrt(2.0) * (30.0 / d) / d)
    assert propagate(plan, model=y_only).preop["PT"] == pytest.approx(expected, rel=2e-3)


def test_each_stage_samples_its_own_ldi() -> None:
    """A 30° PSO at L3 takes the flatback's LL from 25° to 55° and leaves L4–S1 (below the cut)
    alone: the planned LDI is the pre-op one × 25/55, and each stage's band brackets its own."""
    from alignment_planner.analysis.pipeline import analyze
    from alignment_planner.plan.model import Osteotomy
    from tests.core.issue15_plans import flatback

    plan = flatback(Osteotomy("PSO", "L3", 30.0))
    pre_ldi = analyze(plan).preop.value("LDI")
    assert pre_ldi is not None
    planned_ldi = pre_ldi * 25.0 / 55.0
    u = propagate(plan, 1.0)
    low, high = u.interval("LDI")  # type: ignore[misc]
    assert low < pre_ldi < high and not low < planned_ldi < high
    low, high = u.interval("LDI", "postop")  # type: ignore[misc]
    assert low < planned_ldi < high and not low < pre_ldi < high
    exact = make_landmarks({"L1": Vertebra(ant_sup=(1e-6, 0.0), post_sup=(0.0, 0.0))}, ())
    assert anatomy_scale(exact, 45.0) is None  # 1e-6 px is coincident: no scale


def test_without_a_cut_the_planned_ldi_band_is_the_pre_op_one() -> None:
    """No osteotomy, pelvis fixed: the planned values are the pre-op ones, LL carries no model
    error (a hip rotation does not change it), so both stages sample the same band; and the
    per-point error used is reported."""
    from tests.core.issue15_plans import flatback

    u = propagate(flatback(), 1.5)
    assert u.point_sd_mm == 1.5
    assert u.interval("LDI") is not None and u.interval("LDI") == u.interval("LDI", "postop")
