"""Edits of a plan's free measurements (issue 18): each returns a new plan, one undo step for the
caller's history. Indices outside the list leave the plan as it was."""

from __future__ import annotations

from dataclasses import replace

from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import ANNOTATION_POINTS, Annotation, Plan


def with_annotation(plan: Plan, annotation: Annotation) -> Plan:
    fewest, most = ANNOTATION_POINTS[annotation.type]
    if not fewest <= len(annotation.points) <= most:
        raise ValueError(f"a {annotation.type} has {fewest}–{most} points, got {len(annotation.points)}")
    return replace(plan, annotations=(*plan.annotations, annotation))


def without_annotation(plan: Plan, index: int) -> Plan:
    if not 0 <= index < len(plan.annotations):
        return plan
    return replace(plan, annotations=plan.annotations[:index] + plan.annotations[index + 1 :])


def _changed(plan: Plan, index: int, annotation: Annotation) -> Plan:
    annotations = list(plan.annotations)
    annotations[index] = annotation
    return replace(plan, annotations=tuple(annotations))


def with_annotation_point(plan: Plan, index: int, point_index: int, pixel: Point) -> Plan:
    if not 0 <= index < len(plan.annotations):
        return plan
    annotation = plan.annotations[index]
    if not 0 <= point_index < len(annotation.points):
        return plan
    points = list(annotation.points)
    points[point_index] = pixel
    return _changed(plan, index, replace(annotation, points=tuple(points)))


def with_annotation_label(plan: Plan, index: int, label: str | None) -> Plan:
    """A blank label removes it (the annotation is then called by its type and number)."""
    if not 0 <= index < len(plan.annotations):
        return plan
    label = label.strip() if label is not None else None
    return _changed(plan, index, replace(plan.annotations[index], label=label or None))


def with_annotation_text(plan: Plan, index: int, text: str | None) -> Plan:
    """The note of a text (never empty: it keeps its text) or an arrow (blank removes it)."""
    if not 0 <= index < len(plan.annotations):
        return plan
    annotation = plan.annotations[index]
    text = text.strip() if text is not None else None
    if annotation.type == "text" and not text:
        return plan
    return _changed(plan, index, replace(annotation, text=text or None))
