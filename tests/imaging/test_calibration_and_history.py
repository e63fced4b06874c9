"""Manual calibration fits (clinical.md §6) and the undo history (architecture.md principle 3)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.calibration.manual import (
    CalibrationError,
    calibrate_ball,
    calibrate_distance,
    fit_circle,
)
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.plan.history import History
from alignment_planner.plan.model import Plan


def test_distance_calibration() -> None:
    calibration = calibrate_distance((10, 10), (310, 410), 100.0)
    assert calibration.spacing == PixelSpacing(0.2, 0.2)
    assert calibration.source == "manual-distance"
    # An anisotropic image keeps its aspect ratio; only the scale changes.
    aniso = calibrate_distance((0, 0), (0, 100), 30.0, PixelSpacing(0.2, 0.1))
    assert aniso.spacing is not None and aniso.spacing.row == pytest.approx(0.3)
    assert aniso.spacing.column == pytest.approx(0.15)


@settings(max_examples=50, deadline=None)
@given(st.floats(5, 400), st.floats(-1000, 1000), st.floats(-1000, 1000), st.integers(3, 12),
       st.floats(0, 6.28))
def test_circle_fit_recovers_an_exact_circle(radius: float, cx: float, cy: float, n: int, phase: float) -> None:
    points = [(cx + radius * math.cos(phase + 2 * math.pi * i / n), cy + radius * math.sin(phase + 2 * math.pi * i / n))
              for i in range(n)]
    fit = fit_circle(points)
    assert fit.radius == pytest.approx(radius, rel=1e-6)
    assert fit.center == pytest.approx((cx, cy), abs=1e-6 * max(radius, 1))


def test_ball_calibration_with_noisy_edge_points() -> None:
    points = [(500 + 60 * math.cos(t) + (0.4 if i % 2 else -0.4), 800 + 60 * math.sin(t))
              for i, t in enumerate([k * 0.7 for k in range(9)])]
    calibration, fit = calibrate_ball(points, 25.0)
    assert calibration.spacing is not None
    assert calibration.spacing.row == pytest.approx(25.0 / 120.0, rel=0.01)
    assert 0 < fit.rms_residual < 0.5 and "9 points" in (calibration.detail or "")


@pytest.mark.parametrize(
    ("points", "words"),
    [([(0, 0), (1, 1)], "at least three"), ([(0, 0), (1, 1), (2, 2), (3, 3)], "collinear")],
)
def test_bad_ball_points(points: list[tuple[float, float]], words: str) -> None:
    with pytest.raises(CalibrationError, match=words):
        calibrate_ball(points, 25.0)


def test_bad_distance_inputs() -> None:
    with pytest.raises(CalibrationError, match="less than a pixel"):
        calibrate_distance((1, 1), (1.2, 1), 10.0)
    with pytest.raises(CalibrationError, match="positive"):
        calibrate_distance((0, 0), (10, 0), -5.0)
    # 1000 mm across 10 px: a typo for 10 mm, not a radiograph.
    with pytest.raises(CalibrationError, match=r"100 mm/px.*between 0\.001 and 10 mm"):
        calibrate_distance((0, 0), (10, 0), 1000.0)


def _plan(x: float) -> Plan:
    return Plan(landmarks=Landmarks().with_point("L1", "ant_sup", (x, 0.0)))


def test_undo_redo_and_labels() -> None:
    history = History(Plan())
    history.push(_plan(1), "Place L1.ant_sup")
    history.push(_plan(2), "Move L1.ant_sup")
    assert history.undo_label == "Move L1.ant_sup" and history.dirty
    assert history.undo() == _plan(1)
    assert history.redo_label == "Move L1.ant_sup"
    assert history.redo() == _plan(2)
    assert history.redo() is None
    history.undo()
    history.push(_plan(3), "Move L1.ant_sup")  # a new edit drops the redo branch
    assert not history.can_redo and history.current == _plan(3)


def test_a_drag_is_one_undo_step() -> None:
    history = History(Plan())
    history.push(_plan(0), "Place")
    for x in range(1, 20):
        history.push(_plan(x), "Move L1.ant_sup", merge_key=("drag", 1))
    history.seal()
    history.push(_plan(100), "Move L1.ant_sup", merge_key=("drag", 1))  # sealed: a new step
    assert history.undo() == _plan(19)
    assert history.undo() == _plan(0)


def test_saved_state_and_no_op_edits() -> None:
    history = History(_plan(1))
    assert not history.dirty
    history.push(_plan(1), "nothing")  # identical plan: not a step
    assert not history.can_undo
    history.push(_plan(2), "Move")
    history.mark_saved()
    assert not history.dirty
    history.undo()
    assert history.dirty
    history.redo()
    assert not history.dirty
    history.reset(replace(_plan(5)))
    assert not history.can_undo and not history.dirty
