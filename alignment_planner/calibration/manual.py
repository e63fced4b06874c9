"""Manual calibration (clinical.md §6): a known distance, or a circle fitted to a calibration ball.

"Fit the marker with a circle (least-squares edge fit), not two clicks." Points are image pixels.
When the image already has a spacing whose rows and columns differ, its aspect ratio is kept and
only the scale is corrected; otherwise pixels are taken as square.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment_planner.calibration.spacing import (
    Calibration,
    PixelSpacing,
    plausible_spacing,
    spacing_range_text,
)
from alignment_planner.geometry.primitives import Point


class CalibrationError(ValueError):
    """The clicked points cannot define a scale (too few, coincident, collinear, …)."""


def _aspect(current: PixelSpacing | None) -> tuple[float, float]:
    if current is None:
        return 1.0, 1.0
    return current.row / current.column, 1.0  # (row, column) relative to the column spacing


def calibrate_distance(
    a: Point, b: Point, known_mm: float, current: PixelSpacing | None = None
) -> Calibration:
    if not (math.isfinite(known_mm) and known_mm > 0):
        raise CalibrationError("the known distance must be a positive number of millimetres")
    row_rel, col_rel = _aspect(current)
    length = math.hypot((b[0] - a[0]) * col_rel, (b[1] - a[1]) * row_rel)
    if length < 1.0:
        raise CalibrationError("the two points are less than a pixel apart")
    column = known_mm / length
    spacing = _checked(PixelSpacing(column * row_rel, column))
    return Calibration(
        spacing, "manual-distance", f"{known_mm:g} mm between two points {length:.1f} px apart"
    )


@dataclass(frozen=True, slots=True)
class CircleFit:
    center: Point
    radius: float
    """In column-pixel units."""
    rms_residual: float
    """Root-mean-square distance of the points from the circle, in the same units."""


def fit_circle(points: Sequence[Point], current: PixelSpacing | None = None) -> CircleFit:
    """Algebraic least-squares circle (Kåsa) through ≥ 3 edge points."""
    if len(points) < 3:
        raise CalibrationError("a circle needs at least three points on the ball's edge")
    row_rel, col_rel = _aspect(current)
    xy = np.array([(x * col_rel, y * row_rel) for x, y in points], dtype=np.float64)
    design = np.column_stack([2 * xy[:, 0], 2 * xy[:, 1], np.ones(len(xy))])
    target = (xy**2).sum(axis=1)
    solution, _residuals, rank, _sv = np.linalg.lstsq(design, target, rcond=None)
    if rank < 3:
        raise CalibrationError("the points are collinear or coincide: click around the ball's edge")
    cx, cy, c = solution
    radius_sq = c + cx**2 + cy**2
    if radius_sq <= 0:
        raise CalibrationError("no circle fits these points")
    radius = math.sqrt(radius_sq)
    residual = float(np.sqrt(np.mean((np.hypot(xy[:, 0] - cx, xy[:, 1] - cy) - radius) ** 2)))
    return CircleFit((float(cx / col_rel), float(cy / row_rel)), float(radius), residual)


def calibrate_ball(
    points: Sequence[Point], diameter_mm: float, current: PixelSpacing | None = None
) -> tuple[Calibration, CircleFit]:
    if not (math.isfinite(diameter_mm) and diameter_mm > 0):
        raise CalibrationError("the ball diameter must be a positive number of millimetres")
    fit = fit_circle(points, current)
    if fit.radius < 2.0:
        raise CalibrationError("the fitted circle is smaller than 4 pixels across")
    row_rel, _ = _aspect(current)
    column = diameter_mm / (2.0 * fit.radius)
    spacing = _checked(PixelSpacing(column * row_rel, column))
    detail = (
        f"{diameter_mm:g} mm ball fitted through {len(points)} points: {2 * fit.radius:.1f} px "
        f"across, edge residual {fit.rms_residual:.2f} px"
    )
    return Calibration(spacing, "manual-ball", detail), fit


def _checked(spacing: PixelSpacing) -> PixelSpacing:
    if not (plausible_spacing(spacing.row) and plausible_spacing(spacing.column)):
        raise CalibrationError(
            f"this gives {spacing.describe()}, but a radiograph has {spacing_range_text()}: "
            "check the known size and the points"
        )
    return spacing
