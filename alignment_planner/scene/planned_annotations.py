"""Free measurements on the planned film (issue 18 §3): each point moves with the part of the film
it was drawn on, and the value is measured again where the points have gone.

A point belongs to the region the planned preview moves it with (``fragments``): the part above
the highest cut whose cranial side holds it, else the part below every cut, whose legs stay
where they are when the pelvis turns on them (a line drawn along a femoral shaft does not tilt).
An angle drawn on T12 and L1 with a cut between them changes by the cut's angle; a measurement
whose points lie in different regions names the cuts it spans. Motions are rigid in millimetres,
so a measurement that stays in one region keeps its value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.annotations.values import AnnotationValue, measure_annotations
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import Annotation, Plan
from alignment_planner.scene.fragments import (
    Affine,
    CutLine,
    Legs,
    apply_affine,
    cranial_side,
    legs,
    region_motions,
)

Motions = tuple[tuple[CutLine | None, Affine], ...]


@dataclass(frozen=True, slots=True)
class PlannedAnnotation:
    annotation: Annotation
    """With its points where the plan moves them (planned pixels)."""
    value: AnnotationValue
    """Measured there; ``value.spans`` names the cuts between its points."""


def planned_annotations(plan: Plan, analysis: Analysis) -> tuple[PlannedAnnotation, ...]:
    if not plan.annotations:
        return ()
    motions = region_motions(plan, analysis)
    standing = legs(plan, analysis)
    moved: list[Annotation] = []
    spans: list[tuple[str, ...]] = []
    for annotation in plan.annotations:
        regions = [_region(motions, p) for p in annotation.points]
        points = tuple(
            p if _stays(motions, standing, r, p) else apply_affine(motions[r][1], p)
            for r, p in zip(regions, annotation.points, strict=True)
        )
        moved.append(replace(annotation, points=points))
        spans.append(_crossed(motions, regions))
    values = measure_annotations(moved, analysis.calibration, analysis.facing)
    return tuple(
        PlannedAnnotation(a, replace(v, spans=s)) for a, v, s in zip(moved, values, spans, strict=True)
    )


def _stays(motions: Motions, standing: Legs | None, region: int, p: Point) -> bool:
    """Nothing is simulated, or ``p`` is on the legs, which the pelvis turns on."""
    return not motions or (region == 0 and standing is not None and standing.hold(p))


def _region(motions: Motions, p: Point) -> int:
    """Index into ``motions`` of the region holding ``p``: the highest cut it is above."""
    for index in range(len(motions) - 1, 0, -1):
        line = motions[index][0]
        if line is not None and cranial_side(line, p):
            return index
    return 0


def _crossed(motions: Motions, regions: list[int]) -> tuple[str, ...]:
    if not regions or min(regions) == max(regions):
        return ()
    return tuple(
        line.label
        for line, _motion in motions[min(regions) + 1 : max(regions) + 1]
        if line is not None
    )


def annotation_values(plan: Plan, analysis: Analysis) -> tuple[tuple[AnnotationValue, AnnotationValue], ...]:
    """Each annotation's pre-op and planned value, in file order: what ``measure``, the report and
    the panels list."""
    if not plan.annotations:
        return ()
    preop = measure_annotations(plan.annotations, analysis.calibration, analysis.facing)
    planned = planned_annotations(plan, analysis)
    return tuple((before, after.value) for before, after in zip(preop, planned, strict=True))
