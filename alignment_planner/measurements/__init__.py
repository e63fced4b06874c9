"""Sagittal alignment parameters: one registry (``PARAMETERS``), one ``measure`` function."""

from __future__ import annotations

from alignment_planner.measurements.definitions import (
    HEADLINE_KEYS,
    PARAMETERS,
    PARAMETERS_BY_KEY,
    reader_label,
    reader_name,
)
from alignment_planner.measurements.measure import Measurements, Value, measure_skeleton
from alignment_planner.measurements.registry import Parameter
from alignment_planner.measurements.segmental import SEGMENTS

__all__ = [
    "HEADLINE_KEYS",
    "PARAMETERS",
    "PARAMETERS_BY_KEY",
    "SEGMENTS",
    "Measurements",
    "Parameter",
    "Value",
    "measure_skeleton",
    "reader_label",
    "reader_name",
]
