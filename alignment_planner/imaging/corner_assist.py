"""Corner assist: after a click, move the point onto the cortical corner it was meant for, if and only
if the image shows that corner clearly within a few millimetres (issue 17 §4).

It runs *after* the click, never before, so it cannot anchor the reader: the reader looks and
clicks, then the point may move. Two well-kept operators from scikit-image do the work:

1. ``skimage.feature.match_template`` (normalised cross-correlation) with a model of the corner the
   reader asked for: a bright body occupying one quadrant, oriented by the vertebra's expected tilt.
   Correlating an oriented model over a few millimetres is what makes the search robust to noise,
   low contrast and rib shadows, and what stops it jumping to the *other* corner across a disc
   (that corner's bone lies in another quadrant and correlates poorly).
2. ``skimage.feature.corner_subpix`` (Förstner) places the corner to sub-pixel precision from the
   local grey-value covariance, once the match says where it is.

The confidence is the correlation at the match. Weak evidence (low correlation, a match at the
edge of the search area, two equally good places, or a Förstner point that disagrees) leaves the
click exactly where the reader put it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alignment_planner.geometry.primitives import Point

SEARCH_MM = 7.0
"""How far a click may move. A reader's clicks scatter about 2.5 mm (SD per axis) round a corner;
98 % of them land within 7 mm of it. Further, the next vertebra's corners come within reach."""
MIN_CONFIDENCE = 0.7
"""Correlation below this is weak evidence: the click stays."""
# Half-size of the corner model: larger than a cortex, smaller than a disc, and small enough that a
# pedicle joining the posterior wall 2–3 mm below the corner does not pull the match off it.
_TEMPLATE_MM = 2.5
_WORK_MM = 0.3  # working grid: the model's scale is the same on a 0.14 mm and a 0.4 mm film
_EDGE_MM = 0.35  # the model's edge blur (the film's own unsharpness)
_TILT_SPREAD_DEG = (-20.0, -10.0, 0.0, 10.0, 20.0)  # orientations tried around the expected one
_AMBIGUITY = 0.04  # a second place this close in correlation, and far away, makes the match doubtful
_SUBPIX_AGREE_MM = 1.0


@dataclass(frozen=True, slots=True)
class Refinement:
    """The outcome of one assisted click, in image pixels."""

    clicked: Point
    point: Point
    """Where the point goes: the corner found, or the click itself when the evidence was weak."""
    confidence: float
    """Correlation of the image with the corner model at ``point`` (0 … 1; 0 when nothing fitted)."""
    reason: str
    """Why it moved or did not, in the reader's words."""

    @property
    def moved(self) -> bool:
        return self.point != self.clicked


def bone_direction(corner: str, facing_sign: float, tilt_deg: float = 0.0) -> Point:
    """Unit vector (image pixels: x right, y down) from a vertebral corner into its body.

    ``facing_sign`` is +1 when anterior is image +x. ``tilt_deg`` is the endplate inclination
    (clinical.md §0.2: positive when the anterior end is lower), which turns the body.
    """
    anterior = 1.0 if corner.startswith("ant") else -1.0
    superior = 1.0 if corner.endswith("sup") else -1.0
    # In the anatomical frame (x anterior, y cranial) the body lies posterior of an anterior corner
    # and caudal of a superior one.
    ax, ay = -anterior, -superior
    turn = math.radians(-tilt_deg)  # an endplate sloping down anteriorly turns the body clockwise
    rx = ax * math.cos(turn) - ay * math.sin(turn)
    ry = ax * math.sin(turn) + ay * math.cos(turn)
    norm = math.hypot(rx, ry)
    return (facing_sign * rx / norm, -ry / norm)


def refine_corner(
    image: npt.NDArray[np.generic],
    clicked: Point,
    spacing_mm: tuple[float, float],
    into_body: Point,
    *,
    values: npt.NDArray[np.float64] | None = None,
    invert: bool = False,
    search_mm: float = SEARCH_MM,
    min_confidence: float = MIN_CONFIDENCE,
) -> Refinement:
    """Find the corner meant by a click at ``clicked`` (x, y pixels) on ``image`` (rows, columns).

    ``into_body`` is the expected direction from the corner into the vertebral body (see
    :func:`bone_direction`). ``values`` maps stored values to grey levels (a modality lookup) and
    ``invert`` says bone is dark in them; the image is only read around the click.
    """
    # skimage (with scipy) costs ~0.5 s to import: loaded at the first click, not at start.
    from skimage.feature import corner_subpix
    from skimage.filters import gaussian
    from skimage.transform import rescale

    row_mm, col_mm = spacing_mm
    work = max(_WORK_MM, min(row_mm, col_mm))
    reach_mm = search_mm + _TEMPLATE_MM + 1.0
    patch, origin = _crop(image, clicked, (reach_mm / row_mm, reach_mm / col_mm))
    if patch is None:
        return Refinement(clicked, clicked, 0.0, "the click is too close to the edge of the film")
    grey = patch.astype(np.float64) if values is None else values[patch]
    if invert:
        grey = -grey
    grey = rescale(grey, (row_mm / work, col_mm / work), order=1, anti_aliasing=work > min(row_mm, col_mm))
    low, high = np.percentile(grey, (2.0, 98.0))
    if high - low <= 0:
        return Refinement(clicked, clicked, 0.0, "no contrast around the click")
    grey = (grey - low) / (high - low)
    # The click in working pixels (row, column) inside the resampled patch.
    click_rc = ((clicked[1] - origin[0]) * row_mm / work, (clicked[0] - origin[1]) * col_mm / work)
    scores, half = _correlate(grey, into_body, _TEMPLATE_MM / work, _EDGE_MM / work)
    rows, cols = np.indices(scores.shape)
    # ``match_template`` with pad_input keeps the score at the template's centre = the corner.
    distance = np.hypot(rows - click_rc[0], cols - click_rc[1]) * work
    inside = distance <= search_mm
    inside &= (rows >= half) & (rows < scores.shape[0] - half)
    inside &= (cols >= half) & (cols < scores.shape[1] - half)
    masked = np.where(inside, scores, -np.inf)
    best = np.unravel_index(int(np.argmax(masked)), masked.shape)
    confidence = float(max(masked[best], 0.0))
    if confidence < min_confidence:
        return Refinement(clicked, clicked, confidence, "no clear corner near the click")
    if distance[best] > search_mm - 2 * work:
        return Refinement(clicked, clicked, confidence, "the nearest corner is beyond the assist's reach")
    rival = masked.copy()
    rival[np.hypot(rows - best[0], cols - best[1]) * work < 2.5] = -np.inf
    if float(rival.max()) > confidence - _AMBIGUITY:
        return Refinement(clicked, clicked, confidence, "two places look alike: the click is kept")
    peak = _subpixel_peak(scores, best)
    refined = corner_subpix(gaussian(grey, 0.6 / work), np.array([best]), window_size=_odd(2.5 / work))[0]
    if np.all(np.isfinite(refined)) and math.dist(refined, peak) * work <= _SUBPIX_AGREE_MM:
        peak = (float(refined[0]), float(refined[1]))
    point = (origin[1] + peak[1] * work / col_mm, origin[0] + peak[0] * work / row_mm)
    return Refinement(clicked, point, confidence, f"moved to the corner (match {confidence:.2f})")


def _odd(size: float) -> int:
    n = max(3, round(size))
    return n if n % 2 else n + 1


def _crop(
    image: npt.NDArray[np.generic], clicked: Point, reach_px: tuple[float, float]
) -> tuple[npt.NDArray[np.generic] | None, tuple[int, int]]:
    """The image around the click, and the (row, column) of its top-left pixel."""
    height, width = image.shape[:2]
    r0 = round(clicked[1] - reach_px[0])
    c0 = round(clicked[0] - reach_px[1])
    r1 = round(clicked[1] + reach_px[0]) + 1
    c1 = round(clicked[0] + reach_px[1]) + 1
    if r0 < 0 or c0 < 0 or r1 > height or c1 > width:
        return None, (0, 0)
    return image[r0:r1, c0:c1], (r0, c0)


def _corner_model(into_body: Point, half: int, edge_px: float) -> npt.NDArray[np.float64]:
    """A bright quadrant whose bisector is ``into_body``: the body behind a corner, soft-edged."""
    ys, xs = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float64)
    angle = math.atan2(into_body[1], into_body[0])
    # The two walls meeting at the corner bound the quadrant ±45° about the bisector.
    inside = np.ones_like(xs)
    for side in (-1.0, 1.0):
        wall = angle + side * math.pi / 4
        normal = (math.cos(wall + side * math.pi / 2), math.sin(wall + side * math.pi / 2))
        signed = -(xs * normal[0] + ys * normal[1])
        inside *= 0.5 * (1.0 + np.tanh(signed / edge_px))
    return np.asarray(inside, dtype=np.float64)


def _correlate(
    grey: npt.NDArray[np.float64], into_body: Point, half_px: float, edge_px: float
) -> tuple[npt.NDArray[np.float64], int]:
    """The best correlation over a few orientations about the expected one, per pixel."""
    from skimage.feature import match_template

    half = max(3, round(half_px))
    base = math.atan2(into_body[1], into_body[0])
    best: npt.NDArray[np.float64] | None = None
    for spread in _TILT_SPREAD_DEG:
        angle = base + math.radians(spread)
        model = _corner_model((math.cos(angle), math.sin(angle)), half, edge_px)
        score = np.asarray(match_template(grey, model, pad_input=True, mode="edge"), dtype=np.float64)
        best = score if best is None else np.maximum(best, score)
    assert best is not None
    return best, half


def _subpixel_peak(scores: npt.NDArray[np.float64], at: tuple[np.intp, ...]) -> tuple[float, float]:
    """The correlation peak to a fraction of a pixel (a parabola through it and its neighbours)."""
    r, c = int(at[0]), int(at[1])
    offsets = []
    for dr, dc in ((1, 0), (0, 1)):
        before, here, after = scores[r - dr, c - dc], scores[r, c], scores[r + dr, c + dc]
        curvature = before - 2 * here + after
        offsets.append(0.0 if curvature >= 0 else float(0.5 * (before - after) / curvature))
    return (r + max(-0.5, min(0.5, offsets[0])), c + max(-0.5, min(0.5, offsets[1])))
