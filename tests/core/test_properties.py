"""Property-based invariances of the measurements (issue 2 §8, clinical.md §0.1, §1.2)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.anatomy.levels import DISCS
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.geometry.primitives import Point
from alignment_planner.measurements import PARAMETERS
from alignment_planner.measurements.definitions import LDI_MIN_LORDOSIS_DEG
from alignment_planner.plan.model import ImageRef, Plan
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

LENGTH_KEYS = [p.key for p in PARAMETERS if p.is_length]
ANGLE_KEYS = [p.key for p in PARAMETERS if not p.is_length]
INVARIANT_KEYS = [p.key for p in PARAMETERS if p.hip_rotation_invariant]

angles = st.floats(min_value=-12.0, max_value=25.0, allow_nan=False)


@st.composite
def spines(draw: st.DrawFn) -> SpineSpec:
    segments = {name: draw(angles) for name in DISCS}
    return SpineSpec(
        pelvic_incidence=draw(st.floats(30.0, 85.0)),
        pelvic_tilt=draw(st.floats(-5.0, 40.0)),
        segment_lordosis=segments,
        disc_share=draw(st.floats(0.3, 0.9)),
        head_offset_mm=(draw(st.floats(-20.0, 20.0)), draw(st.floats(-20.0, 20.0))),
    )


spacings = st.builds(
    PixelSpacing, st.floats(0.05, 0.5), st.floats(0.05, 0.5)
)


def _plan(landmarks: Landmarks, spacing: PixelSpacing | None, facing: str | None = None) -> Plan:
    return Plan(landmarks=landmarks, image=ImageRef(pixel_spacing=spacing), facing=facing)  # type: ignore[arg-type]


def _map(landmarks: Landmarks, fn: Callable[[Point], Point]) -> Landmarks:
    def m(p: Point | None) -> Point | None:
        return None if p is None else fn(p)

    vertebrae = {
        level: Vertebra(m(v.ant_sup), m(v.post_sup), m(v.post_inf), m(v.ant_inf), m(v.center))
        for level, v in landmarks.vertebrae.items()
    }
    heads = tuple(FemoralHead(fn(h.center)) for h in landmarks.femoral_heads)
    return make_landmarks(vertebrae, heads)


def _values(analysis: Analysis) -> dict[str, float | None]:
    return {k: v.value for k, v in analysis.preop.values.items()}


def _assert_same(a: Analysis, b: Analysis, keys: list[str], tol: float = 1e-7) -> None:
    va, vb = _values(a), _values(b)
    for key in keys:
        assert (va[key] is None) == (vb[key] is None), key
        if va[key] is not None:
            assert vb[key] == pytest.approx(va[key], abs=tol), key


@settings(max_examples=60, deadline=None)
@given(spines(), spacings, st.sampled_from(["left", "right"]))
def test_built_geometry_measures_its_own_angles(spec: SpineSpec, spacing: PixelSpacing, facing: str) -> None:
    """Anisotropic spacing and either facing: the construction's PI, PT, LL come back exactly."""
    analysis = analyze(_plan(build_landmarks(spec, spacing=spacing, facing=facing), spacing))  # type: ignore[arg-type]
    lumbar = sum(spec.segment_lordosis[s] for s in ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"))
    assert analysis.preop.value("PI") == pytest.approx(spec.pelvic_incidence, abs=1e-7)
    assert analysis.preop.value("PT") == pytest.approx(spec.pelvic_tilt, abs=1e-7)
    assert analysis.preop.value("LL") == pytest.approx(lumbar, abs=1e-7)


def test_anisotropic_spacing_matters() -> None:
    """The test above can fail: reading anisotropic pixels as square ones changes the angles."""
    spacing = PixelSpacing(0.1, 0.2)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing)
    right = analyze(_plan(landmarks, spacing))
    wrong = analyze(_plan(landmarks, PixelSpacing(0.2, 0.2)))
    assert right.preop.value("PI") == pytest.approx(52.0, abs=1e-9)
    assert abs(wrong.preop.value("PI") - 52.0) > 1.0  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(spines(), spacings, st.floats(1000.0, 5000.0))
def test_mirrored_image_gives_identical_values(spec: SpineSpec, spacing: PixelSpacing, width: float) -> None:
    landmarks = build_landmarks(spec, spacing=spacing, facing="right")
    mirrored = _map(landmarks, lambda p: (width - p[0], p[1]))
    a = analyze(_plan(landmarks, spacing))
    b = analyze(_plan(mirrored, spacing))
    assert (a.facing, b.facing) == ("right", "left")
    _assert_same(a, b, [p.key for p in PARAMETERS])
    for name, value in a.preop.segmental.items():
        assert b.preop.segmental[name].value == pytest.approx(value.value, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(spines(), spacings, st.floats(-3000, 3000), st.floats(-3000, 3000))
def test_translation_invariance(spec: SpineSpec, spacing: PixelSpacing, dx: float, dy: float) -> None:
    landmarks = build_landmarks(spec, spacing=spacing)
    moved = _map(landmarks, lambda p: (p[0] + dx, p[1] + dy))
    _assert_same(analyze(_plan(landmarks, spacing)), analyze(_plan(moved, spacing)),
                 [p.key for p in PARAMETERS], tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(spines(), st.floats(0.05, 0.5), st.floats(0.2, 5.0))
def test_isotropic_scaling_keeps_angles_and_scales_lengths(spec: SpineSpec, spacing: float, k: float) -> None:
    landmarks = build_landmarks(spec, spacing=PixelSpacing.isotropic(spacing))
    scaled = _map(landmarks, lambda p: (p[0] * k, p[1] * k))
    a = analyze(_plan(landmarks, PixelSpacing.isotropic(spacing)))
    b = analyze(_plan(scaled, PixelSpacing.isotropic(spacing)))
    _assert_same(a, b, ANGLE_KEYS, tol=1e-7)
    for key in LENGTH_KEYS:
        assert b.preop.value(key) == pytest.approx(a.preop.value(key) * k, rel=1e-9, abs=1e-7)  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(spines(), spacings)
def test_pi_equals_pt_plus_ss_and_other_identities(spec: SpineSpec, spacing: PixelSpacing) -> None:
    values = _values(analyze(_plan(build_landmarks(spec, spacing=spacing), spacing)))
    assert values["PI"] == pytest.approx(values["PT"] + values["SS"], abs=1e-9)  # type: ignore[operator]
    # clinical.md §1.2: SSA + GT = PI + 90°.
    assert values["SSA"] + values["GT"] == pytest.approx(values["PI"] + 90.0, abs=1e-9)  # type: ignore[operator]
    assert values["PI_LL"] == pytest.approx(values["PI"] - values["LL"], abs=1e-9)  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(spines(), spacings)
def test_segmental_angles_sum_to_the_regional_angle(spec: SpineSpec, spacing: PixelSpacing) -> None:
    analysis = analyze(_plan(build_landmarks(spec, spacing=spacing), spacing))
    seg = {k: v.value for k, v in analysis.preop.segmental.items()}
    lumbar = ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1")
    assert sum(seg[s] for s in lumbar) == pytest.approx(analysis.preop.value("LL"), abs=1e-7)  # type: ignore[misc]
    assert sum(seg[s] for s in lumbar[3:]) == pytest.approx(analysis.preop.value("L4S1"), abs=1e-7)  # type: ignore[misc]
    for name, value in seg.items():
        assert value == pytest.approx(spec.segment_lordosis[name], abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(spines(), st.floats(0.05, 0.5), st.floats(-30.0, 30.0))
def test_rotation_about_the_hip_axis(spec: SpineSpec, spacing: float, alpha: float) -> None:
    """PI, LL, TK, TPA, GT (every parameter flagged invariant) stay; PT and SS shift by α."""
    iso = PixelSpacing.isotropic(spacing)
    landmarks = build_landmarks(spec, spacing=iso, facing="right")
    heads = [h.center for h in landmarks.femoral_heads]
    hx, hy = (heads[0][0] + heads[1][0]) / 2, (heads[0][1] + heads[1][1]) / 2
    c, s = math.cos(math.radians(alpha)), math.sin(math.radians(alpha))

    # Counter-clockwise by α in the anatomical frame is clockwise on screen (y down), facing right.
    def rotate(p: Point) -> Point:
        dx, dy = p[0] - hx, hy - p[1]
        return (hx + c * dx - s * dy, hy - (s * dx + c * dy))

    # Facing is stored: a large rotation can tip a steep sacrum past vertical, and facing derived
    # from the S1 corners would then (rightly) flip; that is not what this property is about.
    a = analyze(_plan(landmarks, iso, "right"))
    b = analyze(_plan(_map(landmarks, rotate), iso, "right"))
    # LDI is reported only from LL ≥ 1°; exactly at that edge rounding decides, in both directions.
    assume(abs(a.preop.value("LL") - LDI_MIN_LORDOSIS_DEG) > 1e-6)  # type: ignore[operator]
    assert {"PI", "LL", "TK", "TPA", "GT"} <= set(INVARIANT_KEYS)
    _assert_same(a, b, INVARIANT_KEYS, tol=1e-7)
    assert b.preop.value("PT") == pytest.approx(a.preop.value("PT") + alpha, abs=1e-7)  # type: ignore[operator]
    assert b.preop.value("SS") == pytest.approx(a.preop.value("SS") - alpha, abs=1e-7)  # type: ignore[operator]


def test_uncalibrated_plan_measures_angles_not_lengths() -> None:
    landmarks = build_landmarks(SpineSpec(), spacing=PixelSpacing.isotropic(0.2))
    analysis = analyze(_plan(landmarks, None))
    for key in ANGLE_KEYS:
        assert analysis.preop.values[key].measured, key
    for key in LENGTH_KEYS:
        value = analysis.preop.values[key]
        assert value.value is None and value.reason and value.reason.startswith("uncalibrated"), key
    assert analysis.preop.value("PI") == pytest.approx(52.0, abs=1e-9)


def test_explicit_centre_overrides_the_corner_mean() -> None:
    spacing = PixelSpacing.isotropic(1.0)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing)
    c7 = landmarks.vertebrae["C7"]
    shifted = landmarks.with_point("C7", "center", (c7.ant_sup[0] + 50.0, c7.ant_sup[1]))  # type: ignore[index]
    before = analyze(_plan(landmarks, spacing)).preop.value("SVA")
    after = analyze(_plan(shifted, spacing)).preop.value("SVA")
    corner_mean_x = sum(c7.point(n)[0] for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")) / 4  # type: ignore[index]
    assert after - before == pytest.approx(c7.ant_sup[0] + 50.0 - corner_mean_x)  # type: ignore[index,operator]
    assert c7.center is None
