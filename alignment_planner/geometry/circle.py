"""A circle through points on a rim, by least squares (clinical.md §1.1: femoral head centres are
circle fits to three or more contour points)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment_planner.geometry.primitives import Point


class NotACircle(ValueError):
    """The points do not define a circle (fewer than three, or all on one line)."""


@dataclass(frozen=True, slots=True)
class Circle:
    center: Point
    radius: float
    rms: float
    """Root-mean-square distance of the points from the circle (0 for three points)."""


def fit_circle(points: Sequence[Point]) -> Circle:
    """The least-squares circle (geometric distance, ``skimage.measure.CircleModel``)."""
    if len(points) < 3:
        raise NotACircle(f"a circle needs at least three rim points, got {len(points)}")
    # skimage (with scipy) costs ~1 s to import: loaded at the first head fitted, not at start.
    from skimage.measure import CircleModel

    data = np.asarray(points, dtype=np.float64)
    spread = float(np.ptp(data, axis=0).max())
    model = CircleModel.from_estimate(data)
    if not model or spread == 0.0:
        raise NotACircle("the rim points lie on one line: click points spread round the head")
    cx, cy = (float(v) for v in model.center)
    radius = float(model.radius)
    # Nearly collinear points fit a huge circle: no femoral head is larger than the points' spread
    # by a factor of a hundred, so such a fit is a mis-click, not a head.
    if not math.isfinite(radius) or radius > 100.0 * spread:
        raise NotACircle("the rim points lie almost on one line: click points spread round the head")
    rms = float(np.sqrt(np.mean(model.residuals(data) ** 2)))
    return Circle((cx, cy), radius, rms)
