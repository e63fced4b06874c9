"""Run every registered parameter on a skeleton; each result is a value or a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import wrap180
from alignment_planner.measurements.definitions import PARAMETERS
from alignment_planner.measurements.segmental import SEGMENTS, segmental_lordosis

UNCALIBRATED_REASON = "uncalibrated: no pixel spacing (calibrate the image to measure lengths)"


class Value(NamedTuple):
    """A measured value, or ``None`` with the reason it is not measurable.

    A NamedTuple rather than a frozen dataclass: ~50 are built per measurement, on every drag, and
    tuples construct about twice as fast while being just as immutable.
    """

    value: float | None
    reason: str | None = None

    @property
    def measured(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Measurements:
    values: dict[str, Value]
    """By parameter key, in registry order."""
    segmental: dict[str, Value]
    """By segment name (``L4-L5``), cranial to caudal; only segments with at least one corner."""

    def value(self, key: str) -> float | None:
        return self.values[key].value

    @classmethod
    def unavailable(cls, reason: str) -> Measurements:
        return cls({p.key: Value(None, reason) for p in PARAMETERS}, {})


_PLAN = tuple((p, p.is_length) for p in PARAMETERS)


def measure_skeleton(skeleton: Skeleton, *, calibrated: bool, segmental: bool = True) -> Measurements:
    """Every parameter; with ``segmental`` also the table of segmental lordosis (a cohort summary
    reads the parameters alone)."""
    superior = skeleton.superior_inclinations() if segmental else {}  # one pass; parameters then only look up
    values: dict[str, Value] = {}
    for parameter, is_length in _PLAN:
        if is_length and not calibrated:
            # Missing landmarks are the more useful thing to say when both apply.
            missing = parameter.missing(skeleton)
            reason = "missing " + ", ".join(missing) if missing else UNCALIBRATED_REASON
            values[parameter.key] = Value(None, reason)
            continue
        try:
            values[parameter.key] = Value(parameter.compute(skeleton))
        except NotMeasurable as exc:
            missing = parameter.missing(skeleton)
            reason = "missing " + ", ".join(missing) if missing else exc.reason
            values[parameter.key] = Value(None, reason)
    return Measurements(values, _segmental(skeleton, superior) if segmental else {})


def _segmental(skeleton: Skeleton, superior: dict[str, float]) -> dict[str, Value]:
    result: dict[str, Value] = {}
    points = skeleton.points
    for name, upper, lower in SEGMENTS:
        if upper not in points and lower not in points:
            continue
        cranial = superior.get(upper)
        caudal = superior.get(lower)
        if cranial is not None and caudal is not None:
            angle = caudal - cranial  # = segmental_lordosis(), inlined: wrap180 only when needed
            result[name] = Value(angle if -180.0 < angle <= 180.0 else wrap180(angle))
            continue
        try:
            result[name] = Value(segmental_lordosis(skeleton, upper, lower))
        except NotMeasurable as exc:
            missing = [
                f"{level}.{corner}"
                for level in (upper, lower)
                for corner in ("post_sup", "ant_sup")
                if not skeleton.has_point(level, corner)
            ]
            result[name] = Value(None, "missing " + ", ".join(missing) if missing else exc.reason)
    return result
