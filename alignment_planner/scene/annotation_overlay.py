"""How the free measurements are drawn (issue 18): plain overlay primitives in display units, with
labels that go through the same label layout as the constructions, and a handle per point on the
pre-operative film (key ``annotation.I.J``: point J of annotation I) so each can be dragged.

On the planned film the points are where the plan moves them (``planned_annotations``), the value
is measured there, and a measurement whose points the plan moved apart says which cut it spans.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.annotations.values import AnnotationValue, measure_annotations
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import Annotation, Plan
from alignment_planner.scene.planned_annotations import planned_annotations
from alignment_planner.scene.primitives import (
    Arc,
    DisplayGeometry,
    Handle,
    Label,
    Line,
    Primitive,
    Stage,
    screen_angle,
)

STYLE: Final = "annotation"
REFERENCE_REACH_MM = 60.0  # half the length of a reference line drawn through one point alone


Drawn = tuple[tuple[Primitive, ...], tuple[Handle, ...]]

# The last pre-op result. On the pre-op film the drawing depends only on the annotations, the scale
# and the facing, so a landmark drag (a new plan on every move) reuses it. Keyed on the annotations
# tuple itself: plans are immutable, an edit that keeps the annotations shares the same tuple, and
# holding it here keeps the identity valid.
_last_preop: tuple[tuple[Annotation, ...], tuple[object, ...], Drawn] | None = None


def annotation_overlay(
    plan: Plan, analysis: Analysis, stage: Stage, geometry: DisplayGeometry, per_mm: float
) -> Drawn:
    """Primitives for every annotation on ``stage``'s film, and (pre-op) a handle per point."""
    global _last_preop
    d = geometry.to_display
    if stage == "preop":
        key = (analysis.calibration, analysis.facing, geometry, per_mm)
        if _last_preop is not None and _last_preop[0] is plan.annotations and _last_preop[1] == key:
            return _last_preop[2]
        values = measure_annotations(plan.annotations, analysis.calibration, analysis.facing)
        items = annotation_primitives(plan.annotations, values, d, per_mm)
        drawn = (tuple(items), annotation_handles(plan.annotations, d))
        _last_preop = (plan.annotations, key, drawn)
        return drawn
    planned = planned_annotations(plan, analysis)
    moved = tuple(p.annotation for p in planned)
    return tuple(annotation_primitives(moved, tuple(p.value for p in planned), d, per_mm)), ()


def annotation_handles(
    annotations: tuple[Annotation, ...], d: Callable[[Point], Point]
) -> tuple[Handle, ...]:
    return tuple(
        Handle(f"annotation.{i}.{j}", "annotation", f"{i}.{j}", d(p))
        for i, annotation in enumerate(annotations)
        for j, p in enumerate(annotation.points)
    )


def annotation_primitives(
    annotations: tuple[Annotation, ...],
    values: tuple[AnnotationValue, ...],
    d: Callable[[Point], Point],
    per_mm: float,
) -> list[Primitive]:
    """``d`` maps pre-op (or planned) pixels to display units; ``per_mm`` is display units per mm,
    for sizes given in millimetres (ticks, arrow heads)."""
    items: list[Primitive] = []
    for index, (annotation, value) in enumerate(zip(annotations, values, strict=True)):
        draw = _DRAW[annotation.type]
        draw(items, f"annotation:{index}", [d(p) for p in annotation.points], _caption(value), per_mm)
    return items


def _caption(value: AnnotationValue) -> str:
    """"L3 height 27.5 mm", "28.4°", "Modic 1", "35.5° (spans PSO L3)", "Distance 1 uncalibrated"."""
    if value.unit is None:
        text = value.note or value.label or value.name
    elif value.value is None:
        reason = (value.reason or "not measurable").removeprefix("not measurable: ")
        text = f"{value.name} {reason}"
    else:
        text = f"{value.label} {value.text()}" if value.label else value.text()
    return f"{text} ({value.spans_text})" if value.spans_text else text


def _label(items: list[Primitive], key: str, anchor: Point, text: str) -> None:
    items.append(Label(f"{key}:label", anchor, text, STYLE))


def _distance(items: list[Primitive], key: str, p: list[Point], text: str, per_mm: float) -> None:
    a, b = p
    items.append(Line(f"{key}:line", a, b, STYLE))
    length = math.dist(a, b)
    if length > 1e-9:
        nx, ny = -(b[1] - a[1]) / length * 2.0 * per_mm, (b[0] - a[0]) / length * 2.0 * per_mm
        for name, end in (("tick0", a), ("tick1", b)):
            items.append(Line(f"{key}:{name}", (end[0] - nx, end[1] - ny), (end[0] + nx, end[1] + ny), STYLE))
    _label(items, key, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), text)


def _angle(items: list[Primitive], key: str, p: list[Point], text: str, per_mm: float) -> None:
    arm1, vertex, arm2 = p
    items.append(Line(f"{key}:arm0", vertex, arm1, STYLE))
    items.append(Line(f"{key}:arm1", vertex, arm2, STYLE))
    radius = 0.35 * min(math.dist(vertex, arm1), math.dist(vertex, arm2))
    if radius <= 1e-9:
        _label(items, key, vertex, text)
        return
    start = screen_angle(vertex, arm1)
    span = (screen_angle(vertex, arm2) - start + 180.0) % 360.0 - 180.0
    items.append(Arc(f"{key}:arc", vertex, radius, start, span, STYLE))
    middle = math.radians(start + span / 2)
    reach = radius + 6.0 * per_mm
    _label(items, key, (vertex[0] + math.cos(middle) * reach, vertex[1] - math.sin(middle) * reach), text)


def _cobb(items: list[Primitive], key: str, p: list[Point], text: str, per_mm: float) -> None:
    items.append(Line(f"{key}:line0", p[0], p[1], STYLE))
    items.append(Line(f"{key}:line1", p[2], p[3], STYLE))
    m0 = ((p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2)
    m1 = ((p[2][0] + p[3][0]) / 2, (p[2][1] + p[3][1]) / 2)
    items.append(Line(f"{key}:link", m0, m1, "construction"))  # which two lines belong together
    _label(items, key, ((m0[0] + m1[0]) / 2, (m0[1] + m1[1]) / 2), text)


def _reference(vertical: bool) -> Callable[[list[Primitive], str, list[Point], str, float], None]:
    def draw(items: list[Primitive], key: str, p: list[Point], text: str, per_mm: float) -> None:
        through = p[0]
        reach = REFERENCE_REACH_MM * per_mm
        if len(p) == 1:
            a, b = ((through[0], through[1] - reach), (through[0], through[1] + reach)) if vertical else (
                (through[0] - reach, through[1]), (through[0] + reach, through[1]))
            items.append(Line(f"{key}:line", a, b, STYLE))
            _label(items, key, b, text)
            return
        target = p[1]
        foot = (through[0], target[1]) if vertical else (target[0], through[1])
        overshoot = 10.0 * per_mm
        if vertical:
            step = overshoot if foot[1] >= through[1] else -overshoot
            items.append(Line(f"{key}:line", through, (foot[0], foot[1] + step), STYLE))
        else:
            step = overshoot if foot[0] >= through[0] else -overshoot
            items.append(Line(f"{key}:line", through, (foot[0] + step, foot[1]), STYLE))
        items.append(Line(f"{key}:offset", target, foot, STYLE))
        _label(items, key, ((target[0] + foot[0]) / 2, (target[1] + foot[1]) / 2), text)

    return draw


def _text(items: list[Primitive], key: str, p: list[Point], text: str, per_mm: float) -> None:
    _label(items, key, p[0], text)


def _arrow(items: list[Primitive], key: str, p: list[Point], text: str, per_mm: float) -> None:
    tail, tip = p
    items.append(Line(f"{key}:shaft", tail, tip, STYLE))
    length = math.dist(tail, tip)
    if length > 1e-9:
        ux, uy = (tip[0] - tail[0]) / length, (tip[1] - tail[1]) / length
        head = min(5.0 * per_mm, 0.4 * length)
        for name, side in (("head0", 1.0), ("head1", -1.0)):
            # 25° either side of the shaft, pointing back from the tip.
            c, s = math.cos(math.radians(25.0)), math.sin(math.radians(25.0)) * side
            back = (-(ux * c - uy * s) * head, -(ux * s + uy * c) * head)
            items.append(Line(f"{key}:{name}", tip, (tip[0] + back[0], tip[1] + back[1]), STYLE))
    _label(items, key, tail, text)


_DRAW: dict[str, Callable[[list[Primitive], str, list[Point], str, float], None]] = {
    "distance": _distance,
    "angle": _angle,
    "cobb": _cobb,
    "vertical": _reference(vertical=True),
    "horizontal": _reference(vertical=False),
    "text": _text,
    "arrow": _arrow,
}
