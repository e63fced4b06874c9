"""A parametric lateral spine: ground-truth landmarks from pelvic and segmental angles.

Used for the bundled sample plans, for property-based tests that need anatomically shaped input,
and (later) by the phantom radiograph generator. It builds the spine in the anatomical frame (mm)
from the pelvis upwards, then places it on an image grid with a chosen pixel spacing and facing.

Conventions match clinical.md §0–1, so a spine built with PI = 60, PT = 25 and segment angles summing
to 40° over L1-L2 … L5-S1 measures PI 60.00, PT 25.00, LL 40.00 (tested).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.anatomy.levels import DISCS, LEVEL_INDEX, LEVELS
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.geometry.frame import AnatomicalFrame, Facing
from alignment_planner.geometry.primitives import Point


def _default_segments() -> Mapping[str, float]:
    segments = {name: -3.5 for name in DISCS if name.startswith("T") and name != "T12-L1"}
    segments.update({f"C{i}-C{i + 1}": 3.0 for i in range(2, 7)})
    segments.update({"C7-T1": -1.0, "T12-L1": -2.0})
    # Lumbar distribution of an asymptomatic adult (clinical.md §2.1 [37], rounded).
    segments.update({"L1-L2": 2.0, "L2-L3": 6.0, "L3-L4": 10.0, "L4-L5": 14.0, "L5-S1": 22.0})
    return MappingProxyType(segments)


@dataclass(frozen=True)
class SpineSpec:
    """Shape of a spine. Segment angles are superior-to-superior endplate, lordosis positive."""

    pelvic_incidence: float = 52.0
    pelvic_tilt: float = 13.0
    segment_lordosis: Mapping[str, float] = field(default_factory=_default_segments)
    disc_share: float = 0.65
    """Fraction of each segment's angle taken by the disc; the rest is the upper body's wedge."""
    pelvic_radius_mm: float = 120.0
    """Distance hip axis → S1 endplate midpoint."""
    head_offset_mm: tuple[float, float] = (8.0, 5.0)
    """Offset between the two femoral head centres on the film (they rarely superimpose)."""
    top_level: str = "C2"
    body_wedge: Mapping[str, float] = field(default_factory=dict)
    """Extra wedging of single vertebral bodies (degrees, kyphotic negative): a compression or a
    healed fracture. It adds to the segment whose upper vertebra it is."""
    slip_mm: Mapping[str, float] = field(default_factory=dict)
    """Anterior translation of a vertebra (and all above it) on the one below: spondylolisthesis."""
    disc_scale: Mapping[str, float] = field(default_factory=dict)
    """Disc height factors by disc (``"L4-L5": 0.5`` for a collapsed disc)."""


def body_height(level: str) -> float:
    region, number = level[0], int(level[1:])
    if region == "C":
        return 18.0 if number == 2 else 14.0
    if region == "T":
        return 16.0 + (number - 1) * 8.0 / 11.0
    return (26.0, 27.0, 28.0, 28.0, 27.0)[number - 1] if region == "L" else 0.0


def body_depth(level: str) -> float:
    region, number = level[0], int(level[1:])
    if region == "C":
        return 16.0 + (number - 2) * 0.5
    if region == "T":
        return 22.0 + (number - 1) * 10.0 / 11.0
    return (38.0, 40.0, 42.0, 44.0, 46.0)[number - 1] if region == "L" else 44.0


def disc_height(upper: str) -> float:
    region, number = upper[0], int(upper[1:])
    if region == "C":
        return 5.0
    if region == "T":
        return 5.0 + (number - 1) * 2.5 / 11.0
    return (9.0, 10.0, 11.0, 12.0, 11.0)[number - 1]


def _rotate(v: Point, degrees: float) -> Point:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (c * v[0] - s * v[1], s * v[0] + c * v[1])


def _endplate(centre: Point, direction: Point, depth: float) -> tuple[Point, Point]:
    half = depth / 2.0
    posterior = (centre[0] - direction[0] * half, centre[1] - direction[1] * half)
    anterior = (centre[0] + direction[0] * half, centre[1] + direction[1] * half)
    return posterior, anterior


def build_anatomical(spec: SpineSpec) -> tuple[dict[str, dict[str, Point]], tuple[Point, Point]]:
    """Points in the anatomical frame with the hip axis at the origin."""
    hip = (0.0, 0.0)
    sacral_slope = spec.pelvic_incidence - spec.pelvic_tilt
    # PT = −tilt(H → S): S lies behind the vertical through H by PT.
    s1_mid = _rotate((0.0, spec.pelvic_radius_mm), spec.pelvic_tilt)
    direction = (math.cos(math.radians(sacral_slope)), -math.sin(math.radians(sacral_slope)))
    s1_post, s1_ant = _endplate(s1_mid, direction, body_depth("S1"))
    points: dict[str, dict[str, Point]] = {"S1": {"post_sup": s1_post, "ant_sup": s1_ant}}

    centre = s1_mid
    top = LEVEL_INDEX[spec.top_level]
    for index in range(LEVEL_INDEX["L5"], top - 1, -1):
        level = LEVELS[index]
        below = LEVELS[index + 1]
        segment = spec.segment_lordosis.get(f"{level}-{below}", 0.0)
        disc_angle = segment * spec.disc_share
        wedge = segment - disc_angle + spec.body_wedge.get(level, 0.0)
        # Disc: from the superior endplate below to this vertebra's inferior endplate.
        normal = _rotate(direction, 90.0 + disc_angle / 2.0)
        gap = disc_height(level) * spec.disc_scale.get(f"{level}-{below}", 1.0)
        centre = (centre[0] + normal[0] * gap, centre[1] + normal[1] * gap)
        slip = spec.slip_mm.get(level, 0.0)
        centre = (centre[0] + direction[0] * slip, centre[1] + direction[1] * slip)
        direction = _rotate(direction, disc_angle)
        inf_post, inf_ant = _endplate(centre, direction, body_depth(level))
        # Body: from the inferior to the superior endplate, wedged by ``wedge``.
        normal = _rotate(direction, 90.0 + wedge / 2.0)
        centre = (centre[0] + normal[0] * body_height(level), centre[1] + normal[1] * body_height(level))
        direction = _rotate(direction, wedge)
        sup_post, sup_ant = _endplate(centre, direction, body_depth(level))
        points[level] = {
            "ant_sup": sup_ant, "post_sup": sup_post, "post_inf": inf_post, "ant_inf": inf_ant,
        }
    dx, dy = spec.head_offset_mm
    heads = ((hip[0] - dx / 2, hip[1] - dy / 2), (hip[0] + dx / 2, hip[1] + dy / 2))
    return points, heads


def build_landmarks(
    spec: SpineSpec,
    *,
    spacing: PixelSpacing,
    facing: Facing = "right",
    hip_pixel: Point = (1200.0, 4300.0),
) -> Landmarks:
    """The spine on an image grid: the hip axis lands on ``hip_pixel``."""
    points, heads = build_anatomical(spec)
    frame = AnatomicalFrame(spacing.row, spacing.column, facing)

    def to_pixel(p: Point) -> Point:
        x, y = frame.to_pixel(p)
        return (x + hip_pixel[0], y + hip_pixel[1])

    vertebrae: dict[str, Vertebra] = {}
    for level, named in points.items():
        placed: dict[str, Any] = {name: to_pixel(p) for name, p in named.items()}
        vertebrae[level] = Vertebra(**placed)
    return make_landmarks(vertebrae, tuple(FemoralHead(to_pixel(h)) for h in heads))
