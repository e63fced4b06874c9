"""Femoral heads as circles (issue 17 §3) and degraded phantom films for the landmarking bench (§6)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.geometry.circle import NotACircle, fit_circle
from alignment_planner.synthetic.phantom import CLEAN, Degradation, render_phantom
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks


def test_three_rim_points_give_the_circle_through_them() -> None:
    # Hand-computed: (0, 0), (6, 0), (0, 8) lie on the circle centred (3, 4) with radius 5.
    circle = fit_circle([(0.0, 0.0), (6.0, 0.0), (0.0, 8.0)])
    assert circle.center == pytest.approx((3.0, 4.0)) and circle.radius == pytest.approx(5.0)
    assert circle.rms == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(-500, 500), st.floats(-500, 500), st.floats(20, 200),
    st.lists(st.floats(0, 2 * math.pi), min_size=4, max_size=12, unique=True),
)
def test_least_squares_on_many_rim_points(cx: float, cy: float, r: float, angles: list[float]) -> None:
    spread = max(angles) - min(angles)
    # Places on the rim, not angles: 1e-300, 0.0 and 2π are one point (hypothesis drew 0, 1, 2π
    # and 1e-38: two places, a line, rightly refused).
    distinct = {(round(math.cos(a), 3), round(math.sin(a), 3)) for a in angles}
    if spread < 1.0 or len(distinct) < 3:
        return  # points bunched in a short arc, or fewer than three places, do not pin a circle down
    points = [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in angles]
    circle = fit_circle(points)
    assert circle.center == pytest.approx((cx, cy), abs=1e-6 * r + 1e-6)
    assert circle.radius == pytest.approx(r, rel=1e-6)


@pytest.mark.parametrize("points", [[(0.0, 0.0), (1.0, 1.0)], [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)],
                                    [(0.0, 0.0), (100.0, 0.0), (200.0, 0.01)], [(5.0, 5.0)] * 3])
def test_too_few_or_collinear_points_are_refused_with_a_reason(points: list[tuple[float, float]]) -> None:
    with pytest.raises(NotACircle, match=r"three rim points|one line"):
        fit_circle(points)


def _films() -> tuple[np.ndarray, np.ndarray, object]:
    spacing = PixelSpacing.isotropic(0.5)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(470.0, 1800.0))
    clean = render_phantom(landmarks, (900, 2100), spacing, seed=4).pixels
    poor = render_phantom(landmarks, (900, 2100), spacing, seed=4, degradation=Degradation(
        noise=2.5, contrast=0.5, blur_mm=0.8, rib_shadows=2)).pixels
    return clean, poor, landmarks


def test_clean_is_the_default_film_byte_for_byte() -> None:
    spacing = PixelSpacing.isotropic(0.5)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(470.0, 1800.0))
    a = render_phantom(landmarks, (400, 2100), spacing, seed=2).pixels
    b = render_phantom(landmarks, (400, 2100), spacing, seed=2, degradation=CLEAN).pixels
    assert np.array_equal(a, b)


def test_a_degraded_film_is_noisier_flatter_and_has_ribs_across_the_bodies() -> None:
    clean, poor, landmarks = _films()
    # Noise: the pixel-to-pixel difference in a flat patch of soft tissue in front of the lumbar spine.
    l3 = landmarks.vertebra("L3")  # type: ignore[attr-defined]
    x, y = int(l3.ant_sup[0]) + 80, int(l3.ant_sup[1])
    def roughness(img: np.ndarray) -> float:
        patch = img[y : y + 30, x : x + 30].astype(float)
        return float(np.std(np.diff(patch, axis=1)))
    assert roughness(poor) > 1.5 * roughness(clean)
    # Contrast: the jump across L3's anterior wall is smaller.
    def jump(img: np.ndarray) -> float:
        row = img[int((l3.ant_sup[1] + l3.ant_inf[1]) / 2)].astype(float)
        wall = int((l3.ant_sup[0] + l3.ant_inf[0]) / 2)
        return float(np.median(row[wall - 25 : wall - 10]) - np.median(row[wall + 10 : wall + 25]))
    assert 0 < jump(poor) < 0.75 * jump(clean)
    # Rib shadows alone: T8's body is crossed by more dense bone than on the clean film.
    ribs = render_phantom(landmarks, (900, 2100), PixelSpacing.isotropic(0.5), seed=4,  # type: ignore[arg-type]
                          degradation=Degradation(rib_shadows=2)).pixels
    t8 = landmarks.vertebra("T8")  # type: ignore[attr-defined]
    top, bottom = int(t8.post_sup[1]), int(t8.post_inf[1])
    left, right = int(t8.post_sup[0]) + 5, int(t8.ant_sup[0]) - 5
    assert ribs[top:bottom, left:right].mean() > clean[top:bottom, left:right].mean() + 20
