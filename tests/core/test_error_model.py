"""The calibrated landmark error model (clinical.md §5.4; issue 15 §3): propagated SDs reproduce
the published SEMs, ratios get asymmetric bands, uncalibrated angles do not depend on the scale,
and planned values carry the compensation model's error."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from alignment_planner.analysis.error_model import error_model_document
from alignment_planner.analysis.uncertainty import MEDIAN_ABS_TO_SD, Z95, propagate
from alignment_planner.anatomy.landmarks import FemoralHead, Vertebra, make_landmarks
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from alignment_planner.teaching.cases import find_cases
from tests.core.issue15_plans import flatback

# clinical.md §5.1 (Kyrölä 2018 intra-rater SEMs) and §5.4 (cervical angles 3–5°)
PUBLISHED_SEM = {
    "PI": (2.4, 4.7), "SS": (2.2, 2.9), "TK": (3.1, 4.9), "PT": (0.8, 3.1), "SVA": (2.2, 5.8),
    "CL": (3.0, 5.0), "TS_CL": (3.0, 5.0),
}


@pytest.mark.parametrize("case", find_cases(), ids=lambda c: c.id)
def test_propagated_sds_fall_inside_the_published_sems(case) -> None:  # type: ignore[no-untyped-def]
    u = propagate(read_plan(case.plan_path))
    for key, (low, high) in PUBLISHED_SEM.items():
        sd = u.sd(key)
        assert sd is not None and low <= sd <= high, (key, sd)


def test_short_cervical_endplates_no_longer_give_huge_bands() -> None:
    """Issue example: 2.5 mm isotropic gave CL ± 33° and TS−CL ± 37° where SEMs are 3–5°."""
    u = propagate(flatback())
    assert u.band("CL") is not None and u.band("CL") < Z95 * 5.0  # type: ignore[operator]
    assert u.band("TS_CL") is not None and u.band("TS_CL") < Z95 * 5.0  # type: ignore[operator]


def test_the_model_and_its_sources_are_one_data_file() -> None:
    document = error_model_document()
    assert set(document["classes"]) == {
        "femoral_head", "S1_corner", "lumbar_corner", "thoracic_corner", "cervical_corner", "body_centre"
    }
    for entry in document["classes"].values():
        assert entry["along_mm"] > 0 and entry["across_mm"] > 0
    assert "Kyrölä" in json.dumps(document["published_sem"], ensure_ascii=False)


def test_band_is_196_sd() -> None:
    """95 % two-sided: z = 1.96 (1.64 is one-sided)."""
    u = propagate(flatback())
    assert u.band("PI") == pytest.approx(1.96 * u.sd("PI"), rel=1e-12)  # type: ignore[operator]


def test_ldi_band_is_asymmetric_by_sampling() -> None:
    u = propagate(flatback())
    low, high = u.interval("LDI")  # type: ignore[misc]
    value = 100.0  # flatback: all of its 25° LL is in L4–S1
    assert low < value < high
    assert abs((high - value) - (value - low)) > 1.0  # a ratio's band is not symmetric


def test_ldi_is_undefined_within_noise_when_ll_band_includes_zero() -> None:
    segments = dict(SpineSpec().segment_lordosis)
    segments.update({"L1-L2": -8.0, "L2-L3": -6.0, "L3-L4": 0.0, "L4-L5": 6.0, "L5-S1": 9.0})  # LL 1°
    spacing = PixelSpacing.isotropic(0.2)
    plan = Plan(
        landmarks=build_landmarks(SpineSpec(segment_lordosis=segments), spacing=spacing),
        image=ImageRef(pixel_spacing=spacing),
    )
    u = propagate(plan)
    assert "LDI" in u.undefined["preop"] and "includes 0" in u.undefined["preop"]["LDI"]
    assert u.band("LDI") is None


def _scaled(plan: Plan, factor: float) -> Plan:
    """The same film at another (unknown) magnification: every pixel coordinate × factor."""
    lm = plan.landmarks

    def s(p):  # type: ignore[no-untyped-def]
        return None if p is None else (p[0] * factor, p[1] * factor)

    vertebrae = {
        level: Vertebra(s(v.ant_sup), s(v.post_sup), s(v.post_inf), s(v.ant_inf), s(v.center))
        for level, v in lm.vertebrae.items()
    }
    heads = tuple(FemoralHead(s(h.center)) for h in lm.femoral_heads)
    return replace(plan, landmarks=make_landmarks(vertebrae, heads), image=None)


def test_uncalibrated_angle_bands_do_not_depend_on_the_scale() -> None:
    """Issue example: an uncalibrated PNG gave PI ± 25° and CL ± 88° with px taken as mm."""
    plan = flatback()
    one, three = propagate(_scaled(plan, 1.0)), propagate(_scaled(plan, 3.0))
    calibrated = propagate(plan)
    for key in ("PI", "PT", "LL", "CL", "TS_CL", "TPA"):
        assert one.sd(key) == pytest.approx(three.sd(key), rel=1e-4), key
        # the S1 endplate of this spine is 44 mm, taken as 45: within a few percent of calibrated
        assert one.sd(key) == pytest.approx(calibrated.sd(key), rel=0.05), key
    assert "sized by the anatomy" in one.method
    assert one.sd("SVA") is None  # lengths stay unmeasurable uncalibrated


def test_planned_values_carry_landmark_and_model_error() -> None:
    """clinical.md §4.6/§5.3: PT ± 4.1°, SVA ± 27 mm median absolute error → SD × 1.4826."""
    plan = flatback(Osteotomy("PSO", "L3", 30.0), model=Compensation("pt_target", 20.0))
    u = propagate(plan)
    assert u.model["SVA"] == pytest.approx(27.0 * MEDIAN_ABS_TO_SD, rel=1e-9)
    assert u.model["PT"] == pytest.approx(4.1 * MEDIAN_ABS_TO_SD, rel=1e-4)  # a pure pelvic rotation
    assert u.sd("SVA", "postop") > u.postop["SVA"]  # type: ignore[operator]
    assert "TPA" not in u.model and "LL" not in u.model  # unchanged by turning the pelvis
    fixed = propagate(flatback(Osteotomy("PSO", "L3", 30.0)))
    assert fixed.model == {}


def test_anisotropic_spacing_uses_each_axis_own_spacing() -> None:
    """SVA is horizontal: with an isotropic 2 mm error its SD is hypot(2/2, 2) mm (C7 centre = mean
    of four corners, S1 corner) whatever the row spacing."""
    spacing = PixelSpacing(0.4, 0.2)  # row, column
    plan = Plan(
        landmarks=build_landmarks(SpineSpec(), spacing=spacing), image=ImageRef(pixel_spacing=spacing)
    )
    u = propagate(plan, 2.0)
    assert u.sd("SVA") == pytest.approx((1.0**2 + 2.0**2) ** 0.5, rel=1e-4)
