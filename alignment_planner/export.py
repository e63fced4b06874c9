"""Measurement records for machines: the ``measure --json`` object (contract.md §3) and CSV rows.

Keys come from the parameter registry; nothing here lists parameters by hand.
"""

from __future__ import annotations

from typing import Any

from alignment_planner.analysis import Analysis
from alignment_planner.measurements import PARAMETERS, SEGMENTS, Measurements


def _number(value: float | None) -> float | None:
    # Six decimals: far below clinical precision, and free of binary noise such as 54.99999999997.
    return None if value is None else round(value, 6)


def stage_values(measurements: Measurements) -> dict[str, float | None]:
    return {p.key: _number(measurements.values[p.key].value) for p in PARAMETERS}


def stage_reasons(measurements: Measurements) -> dict[str, str]:
    return {
        key: value.reason for key, value in measurements.values.items() if value.reason is not None
    }


def json_record(plan_label: str, analysis: Analysis) -> dict[str, Any]:
    calibration = analysis.calibration
    spacing = calibration.spacing
    return {
        "plan": plan_label,
        "facing": analysis.facing,
        "calibration": {
            "pixel_spacing_mm": spacing.as_list() if spacing else None,
            "source": calibration.source,
        },
        "preop": stage_values(analysis.preop),
        "postop": stage_values(analysis.postop),
        # Extensions (contract.md §3 allows new keys): why a value is null, and segmental angles.
        "not_measurable": {
            "preop": stage_reasons(analysis.preop),
            "postop": stage_reasons(analysis.postop),
        },
        "segmental": {
            "convention": "superior endplate to superior endplate, lordosis positive (deg)",
            "preop": {k: _number(v.value) for k, v in analysis.preop.segmental.items()},
            "postop": {k: _number(v.value) for k, v in analysis.postop.segmental.items()},
        },
        "warnings": list(analysis.warnings),
    }


CSV_LEADING = (
    "plan", "facing", "pixel_spacing_row_mm", "pixel_spacing_col_mm", "calibration_source",
)


def csv_header() -> list[str]:
    return [
        *CSV_LEADING,
        *(f"preop_{p.key}" for p in PARAMETERS),
        *(f"postop_{p.key}" for p in PARAMETERS),
        *(f"preop_seg_{name}" for name, _u, _l in SEGMENTS),
        "warnings",
    ]


def csv_row(plan_label: str, analysis: Analysis) -> list[Any]:
    spacing = analysis.calibration.spacing
    preop = analysis.preop.values
    postop = analysis.postop.values
    segmental = analysis.preop.segmental
    return [
        plan_label,
        analysis.facing or "",
        spacing.row if spacing else "",
        spacing.column if spacing else "",
        analysis.calibration.source,
        *(_cell(preop[p.key].value) for p in PARAMETERS),
        *(_cell(postop[p.key].value) for p in PARAMETERS),
        *(_cell(segmental[name].value) if name in segmental else "" for name, _u, _l in SEGMENTS),
        "; ".join(analysis.warnings),
    ]


def _cell(value: float | None) -> Any:
    return "" if value is None else round(value, 6)
