"""Reading the plan file's ``annotations`` list (contract.md §4.2) into ``Annotation`` objects.

Strict like the rest of the reader: every error names the field (``annotations[2].lines[1][0]:
expected two finite numbers [x, y], got "abc"``). Unknown keys of an annotation are kept.

Shapes (pre-operative pixels): ``distance`` and ``angle`` hold ``points``; ``cobb`` holds two
``lines`` of two points; ``text`` holds ``at`` and ``text``. Extensions of this program, which
older readers keep on round-trip: ``vertical``/``horizontal`` (``points``: the point the reference
line goes through, then optionally the point whose offset from it is measured) and ``arrow``
(``points``: tail, tip; optional ``text``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from alignment_planner.files.plan_writer import describe_value
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import ANNOTATION_POINTS, Annotation

_KNOWN_KEYS = frozenset({"type", "label", "points", "lines", "at", "text"})

PointReader = Callable[[Any, str], Point]
"""The plan reader's own check of ``[x, y]`` (finite, within its coordinate bound), which raises
its own error naming the field: one definition of a valid point for landmarks and drawings."""


class InvalidAnnotation(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def read_annotations(value: Any, point: PointReader) -> tuple[Annotation, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidAnnotation("annotations", f"expected a list, got {describe_value(value)}")
    return tuple(_annotation(item, f"annotations[{i}]", point) for i, item in enumerate(value))


def _annotation(value: Any, field: str, point: PointReader) -> Annotation:
    if not isinstance(value, dict):
        raise InvalidAnnotation(field, f"expected an object, got {describe_value(value)}")
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in ANNOTATION_POINTS:
        known = ", ".join(ANNOTATION_POINTS)
        raise InvalidAnnotation(f"{field}.type", f"unknown annotation type {describe_value(kind)} "
                                f"(known: {known})")
    label = _optional_text(value.get("label"), f"{field}.label")
    text = _optional_text(value.get("text"), f"{field}.text")
    if kind == "cobb":
        points = _cobb_lines(value.get("lines"), f"{field}.lines", point)
    elif kind == "text":
        if "at" not in value:
            raise InvalidAnnotation(f"{field}.at", "missing (where the note is, [x, y] in pixels)")
        if text is None:
            raise InvalidAnnotation(f"{field}.text", "missing (the note's text)")
        points = (point(value["at"], f"{field}.at"),)
    else:
        points = _points(value.get("points"), f"{field}.points", kind, point)
    extra = {k: v for k, v in value.items() if k not in _KNOWN_KEYS}
    return Annotation(kind, points, label, text, MappingProxyType(extra) if extra else _NO_EXTRA)


_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


def _optional_text(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidAnnotation(field, f"expected text, got {describe_value(value)}")


def _points(value: Any, field: str, kind: str, point: PointReader) -> tuple[Point, ...]:
    fewest, most = ANNOTATION_POINTS[kind]
    wanted = str(most) if fewest == most else f"{fewest} or {most}"
    if not isinstance(value, list) or not fewest <= len(value) <= most:
        raise InvalidAnnotation(field, f"a {kind} has {wanted} points [[x, y], …], got "
                                f"{describe_value(value)}")
    return tuple(point(p, f"{field}[{i}]") for i, p in enumerate(value))


def _cobb_lines(value: Any, field: str, point: PointReader) -> tuple[Point, ...]:
    if not isinstance(value, list) or len(value) != 2:
        raise InvalidAnnotation(field, "a cobb has two lines [[[x1, y1], [x2, y2]], [[x3, y3], [x4, y4]]], "
                                f"got {describe_value(value)}")
    points: list[Point] = []
    for i, line in enumerate(value):
        if not isinstance(line, list) or len(line) != 2:
            raise InvalidAnnotation(f"{field}[{i}]", f"a line is two points [[x, y], [x, y]], got "
                                    f"{describe_value(line)}")
        points += [point(p, f"{field}[{i}][{j}]") for j, p in enumerate(line)]
    return tuple(points)
