"""Measurements: tests that kill the survivors of ``bash tools/mutation.sh measurements`` (issue 15
§7). Skeletons are built by hand in the anatomical frame of clinical.md §0 (millimetres, x anterior,
y cranial); ``incl`` of an endplate whose anterior corner is (dx, dy) from its posterior one is
``atan2(−dy, dx)`` (clinical.md §0.2), so every expected value below follows from the coordinates."""

from __future__ import annotations

import math

import pytest

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.measurements import PARAMETERS, Measurements, Value, measure_skeleton
from alignment_planner.measurements.definitions import PARAMETERS_BY_KEY, _vpa, pelvic_incidence
from alignment_planner.measurements.measure import UNCALIBRATED_REASON
from alignment_planner.measurements.registry import BodyCentre, Corner, HipAxis, endplate
from alignment_planner.measurements.segmental import segmental_lordosis
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

Point = tuple[float, float]


def _sup(post: Point, dx: float, dy: float) -> dict[str, Point]:
    """A superior endplate: posterior corner, anterior corner (dx, dy) from it."""
    return {"post_sup": post, "ant_sup": (post[0] + dx, post[1] + dy)}


def _full() -> Skeleton:
    landmarks = build_landmarks(SpineSpec(), spacing=PixelSpacing.isotropic(0.2))
    return Skeleton.from_landmarks(landmarks, AnatomicalFrame(0.2, 0.2, "right"))


def _without(skeleton: Skeleton, *drop: tuple[str, str]) -> Skeleton:
    points = {level: dict(named) for level, named in skeleton.points.items()}
    for level, name in drop:
        points[level].pop(name, None)
    return Skeleton(points, skeleton.heads)


# --- segmental angles (clinical.md §1.2, §1.3 step 4) ----------------------------------------------


def _lumbar() -> Skeleton:
    """L4 superior endplate level (0°), L5 45° (anterior corner 10 mm lower over 10 mm), S1 90°
    (anterior corner straight below); L3 has only its posterosuperior corner; L2 and L1 are not
    placed."""
    return Skeleton(
        {
            "L3": {"post_sup": (0.0, 150.0)},
            "L4": _sup((0.0, 100.0), 40.0, 0.0),
            "L5": _sup((0.0, 50.0), 10.0, -10.0),
            "S1": _sup((0.0, 0.0), 0.0, -10.0),
        },
        (),
    )


def test_segmental_lordosis_is_the_caudal_minus_the_cranial_superior_endplate() -> None:
    """clinical.md §1.2: segment Vi→Vi+1 = incl(Vi+1 sup) − incl(Vi sup), lordosis +:
    L4-L5 = 45 − 0 = 45°, L5-S1 = 90 − 45 = 45°."""
    s = _lumbar()
    assert segmental_lordosis(s, "L4", "L5") == pytest.approx(45.0, abs=1e-12)
    assert segmental_lordosis(s, "L5", "S1") == pytest.approx(45.0, abs=1e-12)
    assert segmental_lordosis(s, "L5", "L4") == pytest.approx(-45.0, abs=1e-12)
    with pytest.raises(NotMeasurable):
        segmental_lordosis(s, "L3", "L4")


def test_the_segment_table_lists_each_segment_with_a_placed_level() -> None:
    """Each segment with at least one placed level has a value or names what is missing; a segment
    whose two levels are both unplaced is left out."""
    segments = measure_skeleton(_lumbar(), calibrated=True).segmental
    assert list(segments) == ["L2-L3", "L3-L4", "L4-L5", "L5-S1"]
    assert segments["L4-L5"].value == pytest.approx(45.0, abs=1e-12)
    assert segments["L5-S1"].value == pytest.approx(45.0, abs=1e-12)
    assert segments["L3-L4"] == Value(None, "missing L3.ant_sup")
    assert segments["L2-L3"] == Value(None, "missing L2.post_sup, L2.ant_sup, L3.ant_sup")


@pytest.mark.parametrize(
    ("cranial", "caudal", "expected"),
    [
        ((0.0, -10.0), (0.0, 10.0), 180.0),  # 90° then −90°: −180 reads as +180 (range (−180, 180])
        ((0.0, 10.0), (10 * math.cos(math.radians(90.5)), -10 * math.sin(math.radians(90.5))), -179.5),
        ((10 * math.cos(math.radians(-100.0)), 10 * math.sin(math.radians(100.0))),
         (10 * math.cos(math.radians(100.0)), -10 * math.sin(math.radians(100.0))), -160.0),
    ],
)
def test_a_folded_segment_reads_within_minus_180_to_180(
    cranial: Point, caudal: Point, expected: float
) -> None:
    """clinical.md §1.3 step 2: Δ = wrap180(incl(caudal) − incl(cranial)), in (−180°, 180°]: a
    corner clicked on the wrong side gives a folded, not a doubled, angle."""
    s = Skeleton({"L4": _sup((0.0, 100.0), *cranial), "L5": _sup((0.0, 50.0), *caudal)}, ())
    assert measure_skeleton(s, calibrated=True).segmental["L4-L5"].value == pytest.approx(expected, abs=1e-9)


# --- pelvic incidence near its singular point (clinical.md §1.2) ----------------------------------


def _pelvis(hip: Point) -> Skeleton:
    """S1 superior endplate from (−10, 10) to (10, −10): SS = 45°, S = (0, 0)."""
    return Skeleton({"S1": {"post_sup": (-10.0, 10.0), "ant_sup": (10.0, -10.0)}}, (hip,))


@pytest.mark.parametrize(
    ("hip", "pi"),
    [
        ((0.0, -100.0), 45.0),  # straight below S: PT 0°, PI = PT + SS = 45°
        ((0.0, -0.5), 45.0),  # just below S
        ((0.5, 0.0), 135.0),  # level with S, anterior: PT 90°, PI = 90 + 45
        ((1e-6, 0.0), 135.0),  # 1e-6 mm away is not coincident (the tolerance is strict)
        ((0.0, 1e-6), -135.0),  # 1e-6 mm above S: PT −180°, PI = −180 + 45
    ],
)
def test_pi_is_measured_wherever_the_hip_axis_is_not_on_the_s1_midpoint(hip: Point, pi: float) -> None:
    """PI = angle from the caudal normal of the S1 endplate at S to S→H, = PT + SS (clinical.md
    §1.2), for a hip axis directly below, level with, or a micrometre from S."""
    assert pelvic_incidence(_pelvis(hip)) == pytest.approx(pi, abs=1e-9)


def test_a_hip_axis_on_the_s1_midpoint_makes_the_pelvis_not_measurable_and_says_why() -> None:
    values = measure_skeleton(_pelvis((0.0, 0.0)), calibrated=True).values
    reason = "degenerate geometry: the S1 endplate midpoint coincides with the hip axis"
    assert values["PI"] == Value(None, reason)
    assert values["PT"] == Value(None, reason)
    assert values["SS"].value == pytest.approx(45.0, abs=1e-12)


def test_a_body_centre_on_the_hip_axis_or_on_s1_says_which() -> None:
    """T1SPI = tilt(T1c − H) and ST = 90° − tilt(C7c − S) have no direction when the points meet."""
    s = Skeleton(
        {
            "S1": {"post_sup": (-10.0, 10.0), "ant_sup": (10.0, -10.0)},
            "T1": {"center": (30.0, -80.0)},
            "C7": {"center": (0.0, 0.0)},
        },
        ((30.0, -80.0),),
    )
    values = measure_skeleton(s, calibrated=True).values
    assert values["T1SPI"] == Value(None, "degenerate geometry: the T1 body centre coincides with the hip axis")
    assert values["ST"] == Value(None, "degenerate geometry: the C7 body centre coincides with the S1 midpoint")


def test_ldi_is_reported_from_a_lordosis_of_exactly_one_degree() -> None:
    """clinical.md §2.8 guards LL ≤ 0; below 1° LDI is noise and not reported, at 1° it is:
    L1 and L4 level, S1 inclined exactly 1° → LL = L4S1 = 1°, LDI = 100 %."""
    s1 = {"post_sup": (0.0, 0.0), "ant_sup": (0.9998476951563913, -0.01745240643728351)}
    s = Skeleton({"L1": _sup((0.0, 200.0), 40.0, 0.0), "L4": _sup((0.0, 50.0), 40.0, 0.0), "S1": s1}, ())
    values = measure_skeleton(s, calibrated=True).values
    assert values["LL"].value == 1.0
    assert values["LDI"].value == pytest.approx(100.0, abs=1e-9)


# --- what "not measurable" says ----------------------------------------------------------------------


def test_lengths_on_an_uncalibrated_film_say_so_and_angles_are_still_measured() -> None:
    values = measure_skeleton(_full(), calibrated=False).values
    for key in ("SVA", "cSVA", "C2S1_SVA"):
        assert values[key] == Value(None, UNCALIBRATED_REASON)
    assert UNCALIBRATED_REASON == "uncalibrated: no pixel spacing (calibrate the image to measure lengths)"
    measured = [p.key for p in PARAMETERS if not p.is_length]
    assert all(values[key].value is not None for key in measured)


def test_a_missing_landmark_is_named_before_the_missing_calibration() -> None:
    corners = [("C7", n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    values = measure_skeleton(_without(_full(), *corners), calibrated=False).values
    assert values["SVA"] == Value(None, "missing C7 body centre (C7.center or all four corners)")
    assert values["cSVA"] == Value(None, "missing C7.post_sup")


def test_every_missing_landmark_of_a_value_is_named() -> None:
    """TK T4–T12 needs both inferior corners of T12: both are named, in the registry's order."""
    values = measure_skeleton(_without(_full(), ("T12", "post_inf"), ("T12", "ant_inf")), calibrated=True).values
    assert values["TK"] == Value(None, "missing T12.post_inf, T12.ant_inf")
    no_heads = Skeleton(_full().points, ())
    assert measure_skeleton(no_heads, calibrated=True).values["TPA"] == Value(None, "missing femoral_heads")
    no_t1 = _without(_full(), ("T1", "ant_sup"))
    assert measure_skeleton(no_t1, calibrated=True).values["TPA"] == Value(
        None, "missing T1 body centre (T1.center or all four corners)"
    )


def test_an_analysis_that_cannot_run_gives_every_value_the_same_reason() -> None:
    unavailable = Measurements.unavailable("facing unknown")
    assert list(unavailable.values) == [p.key for p in PARAMETERS]
    assert all(v == Value(None, "facing unknown") for v in unavailable.values.values())
    assert unavailable.segmental == {}


# --- the registry's building blocks ------------------------------------------------------------------


def test_an_endplate_is_its_posterior_then_anterior_corner() -> None:
    assert endplate("L4", "sup") == (Corner("L4", "post_sup"), Corner("L4", "ant_sup"))
    assert endplate("T12", "inf") == (Corner("T12", "post_inf"), Corner("T12", "ant_inf"))


def test_a_vertebral_pelvic_angle_needs_the_pelvis_and_that_body_centre() -> None:
    """clinical.md §1.2: TPA/CPA/L1PA/T4PA = tilt(Vc − H) + PT: hip axis, S1 endplate, Vc."""
    expected = (HipAxis(), Corner("S1", "post_sup"), Corner("S1", "ant_sup"), BodyCentre("T4"))
    assert _vpa("T4") == expected
    assert PARAMETERS_BY_KEY["T4PA"].requires == expected
    assert HipAxis().describe() == "femoral_heads"
    assert BodyCentre("T4").present(Skeleton({"T4": {"center": (0.0, 0.0)}}, ()))
    assert not BodyCentre("T4").present(Skeleton({"T5": {"center": (0.0, 0.0)}}, ()))


def test_a_degenerate_endplate_in_a_segment_says_so() -> None:
    """L4's superior corners on one point: L4-L5 is not measurable because the endplate has no
    direction (clinical.md §1.3 step 1), not because anything is missing."""
    s = Skeleton({"L4": {"post_sup": (0.0, 100.0), "ant_sup": (0.0, 100.0)}, "L5": _sup((0.0, 50.0), 10.0, -10.0)}, ())
    assert measure_skeleton(s, calibrated=True).segmental["L4-L5"] == Value(
        None, "degenerate geometry: L4.post_sup and L4.ant_sup coincide (the superior endplate has no direction)"
    )


def test_every_missing_landmark_of_a_length_is_named_on_an_uncalibrated_film() -> None:
    corners = [("C7", n) for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    s = _without(_full(), *corners, ("S1", "post_sup"))
    assert measure_skeleton(s, calibrated=False).values["SVA"] == Value(
        None, "missing C7 body centre (C7.center or all four corners), S1.post_sup"
    )


# --- the landmarking guide (which points a parameter needs) -------------------------------------------


def _steps(keys: list[str], landmarks: object = None) -> list[str]:
    from alignment_planner.measurements.guide import requirements_of, steps_for_requirements

    return [s.key for s in steps_for_requirements(requirements_of(keys), landmarks)]  # type: ignore[arg-type]


def test_a_placed_centre_is_not_asked_for_again() -> None:
    """SVA needs the C7 body centre (contract.md §2: explicit, or the mean of four corners) and
    S1's posterosuperior corner: with both placed, nothing is left to ask."""
    from alignment_planner.anatomy.landmarks import Vertebra, make_landmarks

    placed = make_landmarks({"C7": Vertebra(center=(5.0, 5.0)), "S1": Vertebra(post_sup=(1.0, 2.0))}, ())
    assert _steps(["SVA"], placed) == []
    four = Vertebra(ant_sup=(1.0, 1.0), post_sup=(0.0, 1.0), post_inf=(0.0, 0.0), ant_inf=(1.0, 0.0))
    assert _steps(["SVA"], make_landmarks({"C7": four}, ())) == ["S1.post_sup"]
    # An explicit centre already defines the body centre: the fourth corner is not asked for.
    centre_and_three = Vertebra(ant_sup=(1.0, 1.0), post_sup=(0.0, 1.0), post_inf=(0.0, 0.0), center=(0.5, 0.5))
    assert _steps(["SVA"], make_landmarks({"C7": centre_and_three}, ())) == ["S1.post_sup"]


def test_three_placed_corners_are_completed_by_the_fourth_not_a_centre_click() -> None:
    """The mean of four corners is reproducible, an eyeballed centre less so: with three of C7's
    corners placed, the guide asks for the fourth."""
    from alignment_planner.anatomy.landmarks import Vertebra, make_landmarks

    three = Vertebra(ant_sup=(1.0, 1.0), post_sup=(0.0, 1.0), post_inf=(0.0, 0.0))
    placed = make_landmarks({"C7": three, "S1": Vertebra(post_sup=(1.0, 2.0))}, ())
    assert _steps(["SVA"], placed) == ["C7.ant_inf"]
    two = Vertebra(ant_sup=(1.0, 1.0), post_sup=(0.0, 1.0))
    assert _steps(["SVA"], make_landmarks({"C7": two}, ())) == ["S1.post_sup", "C7.center"]
    empty = make_landmarks({"C7": Vertebra(), "S1": Vertebra(post_sup=(1.0, 2.0))}, ())
    assert _steps(["SVA"], empty) == ["C7.center"]


def test_the_levels_a_scope_visits_are_listed_once_in_order() -> None:
    from alignment_planner.measurements.guide import levels_of, steps_for

    assert levels_of(steps_for("minimal"))[:3] == ("femoral_heads", "S1", "L1")
    assert len(set(levels_of(steps_for("full")))) == len(levels_of(steps_for("full")))
