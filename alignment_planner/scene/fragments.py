"""Which part of the radiograph moves with which cut, for the planned-image preview (issue 4 §5,
imaging.md B5).

Each cut is a line through its hinge across the whole film: along the disc for a disc-level cut,
through the middle of the body for a vertebral one. The film is divided by these lines into
regions; the region cranial to cut k (and caudal to the next cut up) moves with the rotations of
cuts 1…k, the caudal-most region with none; then the trunk and pelvis turn with the pelvic
compensation about the hip axis. The legs do not: the pelvis turns on the femoral heads and the
femora stay (clinical.md §3.3 step 5, §4.6), so when a compensation turns the pelvis the part of
the film below the anatomical horizontal through the hip axis, and the femoral heads themselves,
stay where they are (the ischium below that line stays with them: the film does not tell pelvis
from femur there, and a line through the centre of rotation keeps the seam smallest).
Regions are polygons in pre-operative pixels; motions are affine maps of pixels (rigid in
millimetres; with anisotropic pixels not rigid in pixels). The screen clips the one shared image
to each region and applies its motion, so a wedge that opens leaves a visible gap and one that
closes overlaps: nothing is stretched.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.geometry.base import BaseGeometry

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.anatomy.skeleton import NotMeasurable
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import Point
from alignment_planner.geometry.transforms import Rigid2D
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.simulate import initial_hinge
from alignment_planner.scene.primitives import DEFAULT_HEAD_RADIUS_MM

GUESSED_SPACING_MM = 0.15
"""An uncalibrated film's pixel, for sizing a head drawn without a radius (as the overlay does)."""

Affine = tuple[float, float, float, float, float, float]
"""``(a, b, c, d, tx, ty)``: ``x' = a·x + b·y + tx``, ``y' = c·x + d·y + ty`` in pixels."""


@dataclass(frozen=True, slots=True)
class Fragment:
    rings: tuple[tuple[Point, ...], ...]
    """Outer rings of the region's polygon(s), in pre-operative pixels."""
    motion: Affine
    label: str
    """What moves it, for tooltips and tests (for example "above PSO L3")."""


@dataclass(frozen=True, slots=True)
class CutLine:
    label: str
    point: Point  # pixels
    direction: Point  # pixels, unit length
    cranial: Point  # a pixel point on the side that moves


def cut_lines(plan: Plan, analysis: Analysis) -> tuple[CutLine | None, ...]:
    """One line per applied cut, caudal first (aligned with ``analysis.applied``); ``None`` where
    the landmarks do not give the cut's direction."""
    frame, skeleton = analysis.frame, analysis.preop_skeleton
    if frame is None or skeleton is None:
        return ()
    lines: list[CutLine | None] = []
    for applied in analysis.applied:
        osteotomy = applied.osteotomy
        hinge = frame.to_pixel(initial_hinge(skeleton, osteotomy, frame))
        try:
            front, back, cranial = PROCEDURE_TYPES[osteotomy.type].cut_rule.axis(skeleton, osteotomy.level)
        except NotMeasurable:
            lines.append(None)
            continue
        a, b, up = frame.to_pixel(front), frame.to_pixel(back), frame.to_pixel(cranial)
        length = math.dist(a, b)
        if length < 1e-9:
            lines.append(None)
            continue
        direction = ((b[0] - a[0]) / length, (b[1] - a[1]) / length)
        lines.append(CutLine(f"above {osteotomy.type} {osteotomy.level}", hinge, direction, up))
    return tuple(lines)


LEGS_LABEL = "the legs (the pelvis turns on the femoral heads)"
IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Legs:
    """What stays when the pelvis turns: the film below ``line`` (the anatomical horizontal
    through the hip axis) and the femoral heads (centre and radius in pre-op pixels)."""

    line: CutLine
    heads: tuple[tuple[Point, float], ...]

    def hold(self, p: Point) -> bool:
        """Whether pre-op pixel ``p`` belongs to the legs."""
        if not cranial_side(self.line, p):
            return True
        return any(math.dist(p, centre) <= radius for centre, radius in self.heads)


def legs(plan: Plan, analysis: Analysis) -> Legs | None:
    """The legs, when the planned pelvis turns (``None`` otherwise: nothing to tell apart)."""
    frame, preop = analysis.frame, analysis.preop_skeleton
    if frame is None or not analysis.compensation_deg or preop is None or not preop.heads:
        return None
    hip = preop.hip_axis()
    centre = frame.to_pixel(hip)
    forward, up = frame.to_pixel((hip[0] + 1.0, hip[1])), frame.to_pixel((hip[0], hip[1] + 1.0))
    length = math.dist(centre, forward)
    direction = ((forward[0] - centre[0]) / length, (forward[1] - centre[1]) / length)
    spacing = plan.calibration.spacing
    pixel_mm = min(spacing.row, spacing.column) if spacing else GUESSED_SPACING_MM
    default_px = DEFAULT_HEAD_RADIUS_MM / pixel_mm
    heads = tuple((head.center, head.radius or default_px) for head in plan.landmarks.femoral_heads)
    return Legs(CutLine(LEGS_LABEL, centre, direction, up), heads)


def fragments(plan: Plan, analysis: Analysis, size: tuple[float, float]) -> tuple[Fragment, ...]:
    """Regions of a ``size`` (width, height) film and their planned motions; the first is the
    part that does not move with a cut: the legs when the pelvis turns (``LEGS_LABEL``, not
    moved), then the rest below every cut (moved by the compensation only). Empty when nothing
    is simulated."""
    motions = region_motions(plan, analysis)
    if not motions:
        return ()
    lines = cut_lines(plan, analysis)
    regions = _regions(lines, size)
    standing = legs(plan, analysis)
    result = []
    if standing is None:
        result.append(Fragment(regions[0], motions[0][1], "below every cut"))
    else:
        legs_rings, pelvis_rings = _split_legs(regions[0], standing)
        result.append(Fragment(legs_rings, IDENTITY, LEGS_LABEL))
        result.append(Fragment(pelvis_rings, motions[0][1], "below every cut"))
    for index, (line, motion) in enumerate(motions[1:]):
        if line is not None:
            result.append(Fragment(regions[index + 1], motion, line.label))
    return tuple(result)


@functools.lru_cache(maxsize=16)
def _split_legs(
    rings: tuple[tuple[Point, ...], ...], standing: Legs
) -> tuple[tuple[tuple[Point, ...], ...], tuple[tuple[Point, ...], ...]]:
    """The part below every cut as (legs, the rest). Memoised like ``_regions``: an angle slider
    turns the pelvis by another amount, the legs' outline is the same."""
    below: BaseGeometry = shapely.union_all([ShapelyPolygon(r) for r in rings])
    reach = 4.0 * max(below.bounds[2] - below.bounds[0], below.bounds[3] - below.bounds[1], 1.0)
    above_hips = _half_plane(standing.line, reach)
    heads = shapely.union_all([shapely.Point(c).buffer(r, quad_segs=32) for c, r in standing.heads])
    kept = below.difference(above_hips).union(below.intersection(heads))
    return _rings(kept), _rings(below.difference(kept))


def region_motions(plan: Plan, analysis: Analysis) -> tuple[tuple[CutLine | None, Affine], ...]:
    """The planned motion (pre-op → planned pixels) of the part below every cut, then of the part
    above each cut (aligned with ``analysis.applied``, with its line, ``None`` where the landmarks
    do not give it). Empty when nothing is simulated."""
    frame = analysis.frame
    if frame is None or not analysis.simulated or analysis.postop_skeleton is None:
        return ()
    compensation = Rigid2D()
    preop = analysis.preop_skeleton
    if analysis.compensation_deg and preop is not None and preop.heads:
        compensation = Rigid2D.rotation_about(preop.hip_axis(), -analysis.compensation_deg)
    result: list[tuple[CutLine | None, Affine]] = [(None, _pixel_affine(compensation, frame))]
    motion = Rigid2D()
    for applied, line in zip(analysis.applied, cut_lines(plan, analysis), strict=True):
        # A cut without a line still moves everything above (composed into ``motion``).
        motion = motion.then(Rigid2D.rotation_about(applied.hinge, applied.osteotomy.angle_deg))
        result.append((line, _pixel_affine(motion.then(compensation), frame)))
    return tuple(result)


def cranial_side(line: CutLine, p: Point) -> bool:
    """Whether pre-op pixel ``p`` lies on the side of ``line`` that moves with it."""
    (px, py), (dx, dy) = line.point, line.direction
    nx, ny = -dy, dx
    if (line.cranial[0] - px) * nx + (line.cranial[1] - py) * ny < 0:
        nx, ny = -nx, -ny
    return (p[0] - px) * nx + (p[1] - py) * ny >= 0


@functools.lru_cache(maxsize=64)
def _regions(
    lines: tuple[CutLine | None, ...], size: tuple[float, float]
) -> tuple[tuple[tuple[Point, ...], ...], ...]:
    """The film below every cut, then the part above each cut (empty where it has no line).
    Memoised: regions depend on where the cuts are, not on their angles, so an angle slider
    reuses them."""
    width, height = size
    film = shapely.box(0.0, 0.0, width, height)
    reach = 4.0 * math.hypot(width, height)
    halves = [None if line is None else _half_plane(line, reach) for line in lines]
    below: BaseGeometry = film
    for half in halves:
        if half is not None:
            below = below.difference(half)
    regions = [_rings(below)]
    for index, half in enumerate(halves):
        if half is None:
            regions.append(())
            continue
        region: BaseGeometry = film.intersection(half)
        for higher in halves[index + 1 :]:
            if higher is not None:
                region = region.difference(higher)
        regions.append(_rings(region))
    return tuple(regions)


def _half_plane(line: CutLine, reach: float) -> ShapelyPolygon:
    (px, py), (dx, dy) = line.point, line.direction
    nx, ny = -dy, dx
    if (line.cranial[0] - px) * nx + (line.cranial[1] - py) * ny < 0:
        nx, ny = -nx, -ny
    a = (px - dx * reach, py - dy * reach)
    b = (px + dx * reach, py + dy * reach)
    far_b, far_a = (b[0] + nx * reach, b[1] + ny * reach), (a[0] + nx * reach, a[1] + ny * reach)
    return ShapelyPolygon([a, b, far_b, far_a])


def _rings(geometry: BaseGeometry) -> tuple[tuple[Point, ...], ...]:
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    for polygon in polygons:
        if isinstance(polygon, ShapelyPolygon) and not polygon.is_empty:
            rings.append(tuple((float(x), float(y)) for x, y in polygon.exterior.coords[:-1]))
    return tuple(rings)


def _pixel_affine(motion: Rigid2D, frame: AnatomicalFrame) -> Affine:
    """``motion`` (anatomical mm) as a map of pre-op pixels to planned pixels."""
    origin = frame.to_pixel(motion.apply(frame.to_anatomical((0.0, 0.0))))
    ex = frame.to_pixel(motion.apply(frame.to_anatomical((1.0, 0.0))))
    ey = frame.to_pixel(motion.apply(frame.to_anatomical((0.0, 1.0))))
    a, b = ex[0] - origin[0], ey[0] - origin[0]
    c, d = ex[1] - origin[1], ey[1] - origin[1]
    return (a, b, c, d, origin[0], origin[1])


def apply_affine(affine: Affine, p: Point) -> Point:
    a, b, c, d, tx, ty = affine
    return (a * p[0] + b * p[1] + tx, c * p[0] + d * p[1] + ty)
