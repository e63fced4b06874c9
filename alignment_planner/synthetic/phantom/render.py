"""A lateral standing full-spine radiograph drawn from landmarks (issue 7 §1).

An X-ray pixel shows the attenuation summed along its ray, so every structure is drawn into its own
layer and the layers are added: ribs of the two sides double up where they cross, the ilium shows
over the sacrum and the soft tissue under everything. Bone has a cortical rim over trabecular
texture. The sum goes through the film's response curve, then a heel-effect exposure gradient,
blur and quantum noise. Deterministic for a given seed: the same landmarks and seed give the same
pixels, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw
from shapely.geometry import Polygon as ShapelyPolygon
from skimage.filters import gaussian

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.geometry.primitives import Point
from alignment_planner.synthetic.phantom import shapes
from alignment_planner.synthetic.phantom.shapes import Ring

# Attenuation per layer, arbitrary units (the response curve maps them to grey levels).
SOFT_TISSUE = 0.55
LUNG = -0.3
CANCELLOUS = 0.55
CORTEX = 1.05
POSTERIOR = 0.45
RIB = 0.35
PELVIS = 0.3
FEMUR = 0.7
SKULL = 0.7
METAL = 4.0
CORTEX_MM = 1.3


@dataclass(frozen=True, slots=True)
class PhantomFilm:
    pixels: npt.NDArray[np.uint16]
    """(rows, columns), 12 bits stored, bone white (MONOCHROME2)."""
    ball_center: Point
    """Calibration ball centre in pixels."""
    ball_diameter_mm: float


@dataclass(frozen=True, slots=True)
class Degradation:
    """How much worse than a good film to make it (issue 17 §6): a corner assist must be judged on
    films as poor as a busy department's, not only on clean phantom edges. 1.0 / 0 = unchanged."""

    noise: float = 1.0
    """Quantum noise multiplier (an under-exposed film, a large patient)."""
    contrast: float = 1.0
    """Bone-to-background contrast multiplier (scatter, a flat processing curve)."""
    blur_mm: float = 0.0
    """Extra unsharpness, as the standard deviation of a Gaussian (motion, a thick grid)."""
    rib_shadows: int = 0
    """Extra pairs of rib shadows crossing each thoracic body (oblique ribs overlapping the spine)."""


CLEAN = Degradation()


class _Layer:
    """One structure group drawn in film millimetres onto a float image of the film's grid, or of
    a grid ``divisor`` times coarser for structures that are smooth anyway (soft tissue, lungs,
    ribs, pelvis): they are summed there and scaled up once, which keeps a 2500×7000 film within
    the issue's 5 s."""

    def __init__(self, size: tuple[int, int], to_px: tuple[float, float], divisor: int = 1) -> None:
        width, height = size
        self.image = Image.new("F", (-(-width // divisor), -(-height // divisor)), 0.0)
        self.draw = ImageDraw.Draw(self.image)
        self.to_px = (to_px[0] / divisor, to_px[1] / divisor)

    def _px(self, ring: Iterable[Point]) -> list[tuple[float, float]]:
        kx, ky = self.to_px
        return [(x * kx, y * ky) for x, y in ring]

    def polygon(self, ring: Ring, value: float) -> None:
        self.draw.polygon(self._px(ring), fill=value)

    def line(self, points: Ring, value: float, width_mm: float) -> None:
        width = max(1, round(width_mm * self.to_px[0]))
        self.draw.line(self._px(points), fill=value, width=width, joint="curve")

    def shelled(self, ring: Ring, rim: float, inside: float, thickness_mm: float = CORTEX_MM) -> None:
        """A bone: the outline filled with cortex, the interior (shrunk by the cortical thickness)
        with cancellous bone."""
        self.polygon(ring, rim)
        inner = ShapelyPolygon(ring).buffer(-thickness_mm)
        if not inner.is_empty and inner.geom_type == "Polygon":
            self.polygon([(float(x), float(y)) for x, y, *_ in inner.exterior.coords], inside)

    def array(self) -> npt.NDArray[np.float32]:
        return np.asarray(self.image, dtype=np.float32)


Floats = npt.NDArray[np.float32]


def _smooth(image: Floats, passes: int = 1, axis: int | None = None) -> Floats:
    """[1 2 1]/4 along one axis or both, ``passes`` times (a small Gaussian); edges kept."""
    out = image.astype(np.float32, copy=True)
    for _ in range(passes):
        for ax in (0, 1) if axis is None else (axis,):
            view = out if ax == 0 else out.T
            inner = view[1:-1] * np.float32(0.5)
            inner += view[:-2] * np.float32(0.25)
            inner += view[2:] * np.float32(0.25)
            view[1:-1] = inner
    return out


def _upscale(small: Floats, size: tuple[int, int]) -> Floats:
    scaled = Image.fromarray(small, mode="F").resize(size, Image.Resampling.BILINEAR)
    return np.asarray(scaled, dtype=np.float32)


def _chaikin(ring: Ring, passes: int = 3) -> Ring:
    """Corner cutting: a polygon with rounded corners (skin is not faceted)."""
    for _ in range(passes):
        out: Ring = []
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            out.append((0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]))
            out.append((0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]))
        ring = out
    return ring


def _texture(rng: np.random.Generator, size: tuple[int, int], scale: int) -> npt.NDArray[np.float32]:
    """Trabecular texture: noise at 1/scale resolution, streaked vertically (trabeculae follow the
    load), scaled up to the film and normalised to about ±1."""
    width, height = size
    small = rng.standard_normal((height // scale + 2, width // scale + 2), dtype=np.float32)
    small = _smooth(_smooth(small, 1), 3, axis=0)
    small /= float(small.std()) or 1.0
    return _upscale(small, (width, height))


def render_phantom(
    landmarks: Landmarks,
    size: tuple[int, int],
    spacing: PixelSpacing,
    *,
    seed: int = 0,
    ball_diameter_mm: float = 25.0,
    habitus: float = 1.0,
    degradation: Degradation = CLEAN,
) -> PhantomFilm:
    """Draw the film of ``landmarks`` on a ``size`` (width, height) grid with ``spacing``.

    ``habitus`` scales the soft-tissue depth (1 = average adult); ``degradation`` makes a poorer
    film of the same anatomy (the clean film's pixels are unchanged when it is ``CLEAN``)."""
    width, height = size
    to_mm = (spacing.column, spacing.row)
    to_px = (1.0 / spacing.column, 1.0 / spacing.row)
    rng = np.random.default_rng(seed)
    bodies = shapes.bodies(landmarks, to_mm)
    if not bodies:
        raise ValueError("a phantom needs at least one vertebra with four corners")
    s1 = landmarks.vertebrae.get("S1")
    heads = [(h.center[0] * to_mm[0], h.center[1] * to_mm[1]) for h in landmarks.femoral_heads]
    facing = 1.0 if sum(b.anterior[0] for b in bodies) > 0 else -1.0

    bone, posterior = _Layer(size, to_px), _Layer(size, to_px)  # full resolution: landmarks sit on them
    ribs = [_Layer(size, to_px, 2) for _ in range(2)]
    pelvis, femur, skull = (_Layer(size, to_px, 2) for _ in range(3))
    soft, lungs = _Layer(size, to_px, 8), _Layer(size, to_px, 4)
    metal = posterior  # the ball lies in front of the body, clear of the posterior elements

    # --- spine -------------------------------------------------------------------------------
    for body in bodies:
        bone.shelled(body.outline(), CORTEX, CANCELLOUS)
        for _name, ring in shapes.posterior_elements(body):
            posterior.polygon(ring, POSTERIOR)
        if body.level == "C2":
            bone.shelled(shapes.dens(body), CORTEX, CANCELLOUS, 1.0)
    spine_points = [b.centre for b in bodies]
    anteriors = [b.anterior for b in bodies]
    sacrum_outline: Ring = []
    hip: Point | None = None
    if s1 is not None and s1.post_sup is not None and s1.ant_sup is not None:
        ps = (s1.post_sup[0] * to_mm[0], s1.post_sup[1] * to_mm[1])
        as_ = (s1.ant_sup[0] * to_mm[0], s1.ant_sup[1] * to_mm[1])
        sacrum_outline, s1_body = shapes.sacrum(ps, as_)
        bone.shelled(sacrum_outline, CORTEX * 0.8, CANCELLOUS * 0.9)
        bone.shelled(s1_body, CORTEX, CANCELLOUS)
        spine_points.append(shapes.mid(ps, as_))
        anteriors.append(shapes.unit(shapes.sub(as_, ps)))
        if heads:
            hip = shapes.mid(heads[0], heads[-1])
            frame = shapes.pelvis_frame(hip, shapes.mid(ps, as_), facing)
            wing, ring = shapes.ilium(frame)
            pelvis.shelled(wing, PELVIS * 2.2, PELVIS, 2.0)
            pelvis.line([*ring, ring[0]], PELVIS * 2.0, 9.0)

    # --- hips and femora ---------------------------------------------------------------------
    for i, centre in enumerate(heads):
        # The two femora overlap on a lateral film: each in its own layer, so they add up.
        layer = femur if i == 0 else pelvis
        radius = 24.0
        fitted = landmarks.femoral_heads[i].radius
        if fitted:
            radius = fitted * to_mm[0]
        shaft_top = shapes.add(centre, (facing * -6.0, 45.0))
        shaft = [
            shapes.add(shaft_top, (-15.0, 0.0)), shapes.add(shaft_top, (15.0, 0.0)),
            shapes.add(shaft_top, (15.0 + facing * 10.0, 600.0)),
            shapes.add(shaft_top, (-15.0 + facing * 10.0, 600.0)),
        ]
        layer.shelled(shaft, FEMUR * 1.3, FEMUR * 0.45, 5.0)
        trochanter = shapes.ellipse(shapes.add(centre, (facing * -18.0, 30.0)), 24.0, 30.0)
        layer.shelled(trochanter, FEMUR * 0.9, FEMUR * 0.55, 1.5)
        neck = [
            shapes.add(centre, (0.0, -14.0)), shapes.add(centre, (facing * -12.0, 40.0)),
            shapes.add(centre, (facing * -30.0, 36.0)), shapes.add(centre, (0.0, 14.0)),
        ]
        layer.polygon(neck, FEMUR * 0.7)
        layer.shelled(shapes.ellipse(centre, radius, radius), FEMUR * 1.4, FEMUR * 0.8, 1.6)

    # --- thorax -------------------------------------------------------------------------------
    thoracic = [b for b in bodies if b.level.startswith("T")]
    for body in thoracic:
        number = int(body.level[1:])
        origin = shapes.add(body.posterior_wall(0.8), body.anterior, -0.35 * body.depth)
        for side, layer in enumerate(ribs):
            shift = (facing * 3.0 * side, 4.0 * side)
            line = [shapes.add(p, shift) for p in shapes.rib(origin, body.anterior, side, number)]
            bony, cartilage = line[: len(line) * 3 // 4 + 1], line[len(line) * 3 // 4 :]
            layer.line(bony, RIB * 2.0, 9.0)  # cortical edges …
            layer.line(bony, RIB, 6.0)  # … over a lighter marrow
            layer.line(cartilage, RIB * 0.45, 7.0)  # costal cartilage: barely denser than tissue
        for extra in range(degradation.rib_shadows):
            # Ribs of a rotated or scoliotic chest project obliquely across the body itself.
            slope = (-0.5 if extra % 2 else 0.6) * (1.0 + 0.2 * extra)
            start = shapes.add(body.posterior_wall(0.3 + 0.35 * (extra % 2)), body.anterior, -15.0)
            end = shapes.add(start, shapes.unit(shapes.add(body.anterior, body.superior, slope)), 90.0)
            ribs[extra % 2].line([start, end], RIB * 1.6, 8.0)
    if len(thoracic) >= 6:
        upper, lower = thoracic[1], thoracic[-2]
        top = shapes.add(upper.centre, upper.anterior, 0.9 * upper.depth)
        bottom = shapes.add(lower.centre, lower.anterior, 0.9 * lower.depth)
        depth = 125.0 * habitus
        lung = [
            shapes.add(top, (0.0, -25.0)), shapes.add(top, upper.anterior, depth * 0.6),
            shapes.add(shapes.mid(top, bottom), lower.anterior, depth),
            shapes.add(bottom, lower.anterior, depth),
            shapes.add(bottom, (0.0, 15.0)), shapes.add(shapes.mid(top, bottom), lower.anterior, -25.0),
        ]
        lungs.polygon(_chaikin(lung), 1.0)
        # The heart: a denser ellipse over the front of the lower chest, inside the lung field.
        heart_centre = shapes.add(shapes.mid(shapes.mid(top, bottom), bottom), lower.anterior, depth * 0.62)
        lungs.polygon(shapes.ellipse(heart_centre, 55.0 * habitus, 45.0 * habitus, lower.anterior), 0.55)
    lumbar = [b for b in bodies if b.level.startswith("L")]
    if lumbar:  # bowel gas in front of the lumbar spine: a few dark, seeded pockets
        for _ in range(7):
            body = lumbar[int(rng.integers(len(lumbar)))]
            spot = shapes.add(body.centre, body.anterior, float(rng.uniform(60.0, 130.0)) * habitus)
            spot = shapes.add(spot, (0.0, float(rng.uniform(-20.0, 20.0))))
            size_mm = float(rng.uniform(8.0, 16.0))
            lungs.polygon(shapes.ellipse(spot, size_mm, size_mm * 0.7, (1.0, 0.3)), 0.35)

    # --- head ---------------------------------------------------------------------------------
    c2 = next((b for b in bodies if b.level == "C2"), None)
    if c2 is not None:
        parts = shapes.skull(c2)
        skull.shelled(parts["vault"], SKULL * 1.4, SKULL * 0.35, 6.0)
        soft.polygon(parts["vault"], SOFT_TISSUE * 0.6)
        for name in ("clivus", "occiput", "c1_anterior", "c1_posterior"):
            skull.polygon(parts[name], SKULL * 1.3)
        skull.shelled(parts["mandible"], SKULL * 1.5, SKULL * 0.7, 3.0)
        skull.polygon(parts["teeth"], SKULL * 1.8)
        spine_points.insert(0, shapes.add(shapes.mid(c2.post_sup, c2.ant_sup), c2.superior, 60.0))
        anteriors.insert(0, c2.anterior)

    # --- soft tissue envelope -----------------------------------------------------------------
    fronts, backs = [], []
    head_offset = 1 if c2 is not None else 0  # the point above C2 counts as cervical
    for i in range(len(spine_points)):
        index = i - head_offset
        level = bodies[max(index, 0)].level if index < len(bodies) else "S1"
        region = level[0]
        front = {"C": 75.0, "T": 175.0, "L": 155.0}.get(region, 130.0) * habitus
        back = {"C": 70.0, "T": 65.0, "L": 75.0}.get(region, 95.0) * habitus
        fronts.append(front)
        backs.append(back)
    outline = shapes.envelope(spine_points, anteriors, fronts, backs)
    if hip is not None:  # down the thighs to the bottom of the film
        below = (hip[0], height * to_mm[1] + 50.0)
        outline = [*outline[: len(spine_points)], shapes.add(below, (facing * 90.0, 0.0)),
                   shapes.add(below, (facing * -90.0, 0.0)), *outline[len(spine_points):]]
    soft.polygon(_chaikin(outline), SOFT_TISSUE)

    # --- calibration ball: on the skin in front of the hips, clear of bone -------------------------
    anchor = hip if hip is not None else spine_points[-1]
    ball = shapes.add(anchor, (facing * 150.0 * habitus, -40.0))
    ball = (min(max(ball[0], 20.0), width * to_mm[0] - 20.0), ball[1])
    metal.polygon(shapes.ellipse(ball, ball_diameter_mm / 2, ball_diameter_mm / 2, n=96), METAL)

    # --- sum, texture, response, exposure, blur, noise ---------------------------------------
    # Soft tissue: thicker (brighter) down the trunk to the pelvis, its edges rolled off because a
    # body is round; lungs darken the chest. Both summed at 1/4 scale, then scaled up once.
    tissue = soft.array()
    profile = np.linspace(0.75, 1.25, tissue.shape[0], dtype=np.float32)[:, None]
    # The beam crosses the body from side to side: the path is longest in the middle and thins
    # towards the skin. A wide blur of the outline (about 30 mm) gives that rounded profile.
    passes = max(2, round((30.0 / (8 * spacing.column)) ** 2 / 2))
    rounded = _smooth(np.sqrt(np.clip(_smooth(tissue, passes) * 2.0, 0.0, 1.0)) * tissue, 2)
    coarse = _upscale(rounded * profile, lungs.image.size) + LUNG * _smooth(lungs.array(), 10)
    medium = ribs[0].array() + ribs[1].array() + pelvis.array() + femur.array() + skull.array()
    medium = _smooth(medium, 1)
    texture = _texture(rng, size, 3)
    attenuation = _upscale(coarse, size) + _upscale(medium, size)
    attenuation += bone.array() * (1.0 + 0.22 * texture)
    attenuation += posterior.array()
    rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    heel = np.float32(0.92) + np.float32(0.16) * rows  # anode heel: less exposure at one end
    cols = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    vignette = np.float32(1.0) - np.float32(0.08) * cols * cols
    signal = 1.0 - np.exp(-attenuation * heel * vignette)
    signal = _smooth(signal.astype(np.float32), 1)
    if degradation.blur_mm > 0:
        sigma = degradation.blur_mm / spacing.column
        signal = gaussian(signal, sigma, preserve_range=True).astype(np.float32)
    if degradation.contrast != 1.0:  # about the mean: the film stays as bright, its edges weaker
        mean = np.float32(signal.mean())
        signal = mean + np.float32(degradation.contrast) * (signal - mean)
    grey = np.float32(250.0) + np.float32(3400.0) * signal
    noise = rng.standard_normal(grey.shape, dtype=np.float32)
    grey += noise * np.sqrt(np.maximum(grey, 1.0)) * np.float32(0.6 * degradation.noise)
    pixels = np.clip(grey, 0, 4095).astype(np.uint16)
    centre_px = (ball[0] * to_px[0], ball[1] * to_px[1])
    return PhantomFilm(pixels, centre_px, ball_diameter_mm)
