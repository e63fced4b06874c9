"""Landmark error propagated to every value (issue 5 §4)."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = PixelSpacing.isotropic(0.2)
PLAN = Plan(
    landmarks=build_landmarks(SpineSpec(), spacing=SPACING),
    image=ImageRef(pixel_spacing=SPACING),
    osteotomies=(Osteotomy("PSO", "L3", 25.0),),
    compensation=Compensation("yamato2016"),
)


def test_zero_error_gives_zero_bands() -> None:
    u = propagate(PLAN, 0.0)
    assert all(v == 0.0 for v in u.preop.values() if v is not None)
    assert all(v == 0.0 for v in u.postop.values() if v is not None)


def test_bands_shrink_with_the_per_point_error() -> None:
    wide, narrow = propagate(PLAN, 3.0), propagate(PLAN, 1.0)
    for key in ("PI", "PT", "LL", "SVA", "TPA", "TK"):
        assert narrow.preop[key] == pytest.approx(wide.preop[key] / 3.0, rel=1e-6)  # type: ignore[operator]
        assert narrow.postop[key] == pytest.approx(wide.postop[key] / 3.0, rel=1e-6)  # type: ignore[operator]
        assert 0 < narrow.preop[key] < wide.preop[key]  # type: ignore[operator]


def test_sva_band_has_the_closed_form() -> None:
    """SVA = C7 centre (mean of four corners) − S1 posterosuperior corner, horizontally."""
    sd = 2.0
    u = propagate(PLAN, sd)
    assert u.preop["SVA"] == pytest.approx(math.hypot(sd / 2.0, sd), rel=1e-4)


def test_linearisation_agrees_with_monte_carlo() -> None:
    sd_mm, samples = 2.5, 300
    rng = random.Random(7)
    sd_px = sd_mm / 0.2
    values: dict[str, list[float]] = {"PT": [], "LL": [], "TPA": []}
    for _ in range(samples):
        landmarks = PLAN.landmarks
        for level, vertebra in PLAN.landmarks.vertebrae.items():
            for name in ("ant_sup", "post_sup", "post_inf", "ant_inf", "center"):
                p = vertebra.point(name)
                if p is not None:
                    landmarks = landmarks.with_point(level, name, (p[0] + rng.gauss(0, sd_px), p[1] + rng.gauss(0, sd_px)))
        heads = tuple(
            replace(h, center=(h.center[0] + rng.gauss(0, sd_px), h.center[1] + rng.gauss(0, sd_px)))
            for h in landmarks.femoral_heads
        )
        result = analyze(replace(PLAN, landmarks=landmarks.with_femoral_heads(heads))).preop
        for key in values:
            values[key].append(result.values[key].value)  # type: ignore[arg-type]
    u = propagate(PLAN, sd_mm)
    for key, series in values.items():
        mean = sum(series) / samples
        sd = math.sqrt(sum((v - mean) ** 2 for v in series) / (samples - 1))
        assert sd == pytest.approx(u.preop[key], rel=0.15), key


def test_not_measurable_values_have_no_band_and_uncalibrated_is_said() -> None:
    partial = replace(PLAN, landmarks=PLAN.landmarks.with_point("C2", "ant_inf", None), image=None)
    u = propagate(partial, 2.5)
    assert u.preop["CPA"] is None and u.preop["SVA"] is None
    assert u.preop["PI"] is not None and "uncalibrated" in u.method


def test_negative_error_is_refused() -> None:
    with pytest.raises(ValueError, match="≥ 0"):
        propagate(PLAN, -1.0)
