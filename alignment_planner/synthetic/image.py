"""A simple synthetic lateral radiograph drawn from landmarks (for bundled samples and benches).

Bright vertebral bodies with a denser rim, femoral heads, a soft-tissue band and mild noise, on a
16-bit grid. Deliberately plain: the phantom generator (sample-case issue) makes realistic films.
Deterministic for a given seed.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from alignment_planner.anatomy.landmarks import Landmarks, Vertebra
from alignment_planner.calibration.spacing import PixelSpacing


def _blur(image: npt.NDArray[np.float32], radius: int) -> npt.NDArray[np.float32]:
    """Separable box blur (applied twice ≈ Gaussian); numpy only."""
    out = image
    for _ in range(2):
        for axis in (0, 1):
            padded = np.pad(out, [(radius + 1, radius) if a == axis else (0, 0) for a in (0, 1)], mode="edge")
            cumulative = np.cumsum(padded, axis=axis, dtype=np.float64)
            upper = np.take(cumulative, np.arange(2 * radius + 1, cumulative.shape[axis]), axis=axis)
            lower = np.take(cumulative, np.arange(0, cumulative.shape[axis] - 2 * radius - 1), axis=axis)
            out = ((upper - lower) / (2 * radius + 1)).astype(np.float32)
    return out


def render_radiograph(
    landmarks: Landmarks,
    size: tuple[int, int],
    spacing: PixelSpacing,
    *,
    seed: int = 0,
) -> npt.NDArray[np.uint16]:
    """A ``(height, width)`` uint16 image; bone bright (MONOCHROME2)."""
    width, height = size
    canvas = Image.new("F", (width, height), 0.0)
    draw = ImageDraw.Draw(canvas)
    # Soft tissue: a wide band around the spine, denser towards the pelvis.
    xs = [p[0] for v in landmarks.vertebrae.values() for p in (v.ant_sup, v.post_sup) if p]
    centre_x = float(np.median(xs)) if xs else width / 2
    half = 90.0 / spacing.column
    draw.rectangle([centre_x - 1.6 * half, 0, centre_x + 1.4 * half, height], fill=900.0)
    draw.rectangle([centre_x - half, 0, centre_x + half, height], fill=1500.0)
    for head in landmarks.femoral_heads:
        radius = (head.radius or 24.0 / spacing.column)
        x, y = head.center
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=5200.0)
        draw.ellipse([x - radius * 0.8, y - radius * 0.8, x + radius * 0.8, y + radius * 0.8], fill=4200.0)
    for vertebra in landmarks.vertebrae.values():
        _draw_vertebra(draw, vertebra, spacing)
    image = np.asarray(canvas, dtype=np.float32)
    image = _blur(image, max(1, int(0.6 / spacing.column)))
    rows = np.linspace(0.85, 1.15, height, dtype=np.float32)[:, None]  # exposure falloff
    noise = np.random.default_rng(seed).normal(0.0, 25.0, size=image.shape).astype(np.float32)
    result: npt.NDArray[np.uint16] = np.clip(image * rows + 400.0 + noise, 0, 4095).astype(np.uint16)
    return result


def _draw_vertebra(draw: ImageDraw.ImageDraw, vertebra: Vertebra, spacing: PixelSpacing) -> None:
    ps, as_, ai, pi = vertebra.post_sup, vertebra.ant_sup, vertebra.ant_inf, vertebra.post_inf
    if ps is not None and as_ is not None and ai is not None and pi is not None:
        corners = [ps, as_, ai, pi]
        draw.polygon(corners, fill=5600.0)  # cortical rim
        cx = sum(c[0] for c in corners) / 4
        cy = sum(c[1] for c in corners) / 4
        draw.polygon([(cx + (x - cx) * 0.82, cy + (y - cy) * 0.78) for x, y in corners], fill=4300.0)
        # Posterior elements: a fainter block behind the body.
        back = 1.0 if as_[0] < ps[0] else -1.0
        depth = abs(as_[0] - ps[0]) * 0.9
        draw.polygon(
            [ps, (ps[0] + back * depth, ps[1] + 4), (pi[0] + back * depth, pi[1] - 4), pi], fill=3000.0
        )
    elif ps is not None and as_ is not None:  # sacrum: a wedge below its endplate
        down = 45.0 / spacing.row
        draw.polygon(
            [ps, as_, (as_[0] - (as_[0] - ps[0]) * 0.2, as_[1] + down), (ps[0], ps[1] + down * 1.4)],
            fill=5000.0,
        )
