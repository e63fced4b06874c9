"""The phantom radiograph generator (issue 7 §1, §5): deterministic, and its ground truth sits on
the anatomy it draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.synthetic.phantom import render_phantom
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = PixelSpacing.isotropic(0.5)
SIZE = (900, 2100)


@pytest.fixture(scope="module")
def landmarks():  # type: ignore[no-untyped-def]
    return build_landmarks(SpineSpec(), spacing=SPACING, hip_pixel=(380.0, 1720.0))


@pytest.fixture(scope="module")
def film(landmarks):  # type: ignore[no-untyped-def]
    return render_phantom(landmarks, SIZE, SPACING, seed=3)


def test_same_seed_same_pixels_other_seed_other_noise(landmarks, film) -> None:  # type: ignore[no-untyped-def]
    again = render_phantom(landmarks, SIZE, SPACING, seed=3)
    assert again.pixels.tobytes() == film.pixels.tobytes()
    other = render_phantom(landmarks, SIZE, SPACING, seed=4)
    difference = np.abs(other.pixels.astype(int) - film.pixels.astype(int))
    assert 0 < difference.mean() < 60  # the noise differs, the anatomy does not
    assert film.pixels.shape == (SIZE[1], SIZE[0]) and film.pixels.dtype == np.uint16
    assert film.pixels.max() < 4096  # 12 bits stored


def _profile(pixels: np.ndarray, a: tuple[float, float], b: tuple[float, float], n: int = 41) -> np.ndarray:
    xs, ys = np.linspace(a[0], b[0], n), np.linspace(a[1], b[1], n)
    return pixels[np.round(ys).astype(int), np.round(xs).astype(int)].astype(float)


def _contrast(pixels: np.ndarray, centre: tuple[float, float], into_bone: tuple[float, float]) -> float:
    """Mean brightness over 3 mm on the bone side of ``centre`` minus over 3 mm on the other."""
    step = 3.0 / SPACING.row
    inside = _profile(pixels, centre, (centre[0] + into_bone[0] * step, centre[1] + into_bone[1] * step), 7)
    outside = _profile(pixels, centre, (centre[0] - into_bone[0] * step, centre[1] - into_bone[1] * step), 7)
    return float(inside[1:].mean() - outside[1:].mean())


def test_endplates_lie_on_strong_edges(landmarks, film) -> None:  # type: ignore[no-untyped-def]
    """Across each endplate's midpoint the film steps from disc to bone: the landmarks mark the
    edge the resident will see. The same measure 6 mm into the body finds no such step."""
    on_edge, off_edge = [], []
    for level, vertebra in landmarks.vertebrae.items():
        if level == "S1" or vertebra.ant_inf is None:
            continue
        body_centre = np.mean([vertebra.ant_sup, vertebra.post_sup, vertebra.ant_inf, vertebra.post_inf], axis=0)
        for front, back in ((vertebra.ant_sup, vertebra.post_sup), (vertebra.ant_inf, vertebra.post_inf)):
            mid = ((front[0] + back[0]) / 2, (front[1] + back[1]) / 2)
            along = np.subtract(front, back) / math.dist(front, back)
            normal = np.array([-along[1], along[0]])
            if np.dot(normal, body_centre - np.array(mid)) < 0:
                normal = -normal  # point into the body
            into = (float(normal[0]), float(normal[1]))
            on_edge.append(_contrast(film.pixels, mid, into))
            deeper = (mid[0] + into[0] * 12.0, mid[1] + into[1] * 12.0)  # 6 mm inside the body
            off_edge.append(_contrast(film.pixels, deeper, into))
    assert len(on_edge) >= 40
    assert np.median(on_edge) > 150  # bone is clearly brighter than the disc across the endplate
    assert np.median(on_edge) > 3 * abs(np.median(off_edge))


def test_femoral_heads_and_the_calibration_ball_are_drawn(landmarks, film) -> None:  # type: ignore[no-untyped-def]
    pixels = film.pixels.astype(float)
    x, y = (round(v) for v in film.ball_center)
    radius = film.ball_diameter_mm / 2 / SPACING.column
    assert pixels[y - 2 : y + 3, x - 2 : x + 3].mean() > 3500  # metal: near white
    outside = pixels[y - 2 : y + 3, round(x + radius * 1.6) - 2 : round(x + radius * 1.6) + 3].mean()
    assert outside < 2800
    head = landmarks.femoral_heads[0].center
    core = pixels[round(head[1]) - 3 : round(head[1]) + 4, round(head[0]) - 3 : round(head[0]) + 4].mean()
    air = pixels[20:40, 20:40].mean()
    assert core > air + 1000
