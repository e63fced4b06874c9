"""Measurement records for machines: the ``measure --json`` object (contract.md §3) and CSV rows.

Keys come from the parameter registry; nothing here lists parameters by hand.
"""

from __future__ import annotations

from typing import Any

from alignment_planner.analysis.followups import followup_results
from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.measurements import PARAMETERS, SEGMENTS, Measurements
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.wedge import Wedge
from alignment_planner.targets import Classification, classify
from alignment_planner.targets.classify import AMES_CBVA_REASON, SCHWAB_THRESHOLDS


def _number(value: float | None) -> float | None:
    # Six decimals: far below clinical precision, and free of binary noise such as 54.99999999997.
    return None if value is None else round(value, 6)


def stage_values(measurements: Measurements) -> dict[str, float | None]:
    return {p.key: _number(measurements.values[p.key].value) for p in PARAMETERS}


def stage_reasons(measurements: Measurements) -> dict[str, str]:
    return {
        key: value.reason for key, value in measurements.values.items() if value.reason is not None
    }


def classification_record(classification: Classification) -> dict[str, Any]:
    """contract.md §3 ``classification`` for one stage, plus extension keys beside it."""
    schwab, gap = classification.schwab, classification.gap
    return {
        "schwab": {key: getattr(schwab, key) for key in SCHWAB_THRESHOLDS},
        "gap": {
            "RPV": gap.RPV, "RLL": gap.RLL, "LDI": gap.LDI, "RSA": gap.RSA, "age": gap.age,
            "total": gap.total, "category": gap.category,
        },
        "roussouly": classification.roussouly,
        # Extensions: Kieser's simplified modifier, GAP's relative values, what decided Roussouly.
        "schwab_simplified": {"plus_signs": schwab.plus_signs, "severity": schwab.severity},
        "gap_relative": {k: _number(v) for k, v in gap.relative.items()},
        "roussouly_basis": classification.roussouly_reason,
        "ames": {
            "cSVA": classification.ames.cSVA,
            "TS_CL": classification.ames.TS_CL,
            "CBVA": classification.ames.CBVA,
            "CBVA_basis": AMES_CBVA_REASON,
        },
    }


def classifications(plan: Plan, analysis: Analysis) -> tuple[Classification, Classification]:
    age = plan.patient.age if plan.patient else None
    return classify(analysis.preop, age), classify(analysis.postop, age)


def json_record(plan_label: str, plan: Plan, analysis: Analysis) -> dict[str, Any]:
    preop_class, postop_class = classifications(plan, analysis)
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
        "classification": {
            "preop": classification_record(preop_class),
            "postop": classification_record(postop_class),
        },
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
        "compensation": {
            "model": plan.compensation_or_default.model,
            "assumption": analysis.compensation_label,
            "pelvic_rotation_deg": _number(-analysis.compensation_deg)
            if analysis.compensation_deg is not None
            else None,
        },
        "osteotomies": [wedge_record(w) for w in analysis.wedges],
        "warnings": list(analysis.warnings),
        **({"followups": followup_records(plan, analysis)} if plan.followups else {}),
    }


def followup_records(plan: Plan, analysis: Analysis) -> list[dict[str, Any]]:
    """contract.md §4.3: per follow-up its values and planned − achieved; facing, calibration and
    why a value is null are extensions beside them."""
    records = []
    for result in followup_results(plan, analysis):
        film = result.film
        spacing = film.calibration.spacing
        records.append({
            "label": result.followup.label,
            "date": result.followup.date,
            "values": stage_values(result.achieved),
            "predicted_minus_achieved": {k: _number(v) for k, v in result.error.items()},
            "facing": film.facing,
            "calibration": {
                "pixel_spacing_mm": spacing.as_list() if spacing else None,
                "source": film.calibration.source,
            },
            "not_measurable": stage_reasons(result.achieved),
            "warnings": list(film.warnings),
        })
    return records


def uncertainty_record(u: Uncertainty) -> dict[str, Any]:
    """The optional ``uncertainty`` block of ``measure --json`` (issue 5 §4)."""
    return {
        "point_sd_mm": u.point_sd_mm,
        "method": u.method,
        "values": "one standard deviation per key; the 95 % band is ± 1.96 SD",
        "preop": {k: _number(v) for k, v in u.preop.items()},
        "postop": {k: _number(v) for k, v in u.postop.items()},
    }


def wedge_record(w: Wedge) -> dict[str, Any]:
    o = w.osteotomy
    return {
        "type": o.type,
        "level": o.level,
        "angle_deg": _number(o.angle_deg),
        "hinge": list(o.hinge) if o.hinge is not None else None,
        f"{w.kind}_mm": _number(w.mm),
        f"{w.kind}_basis": w.where or w.reason,
    }


CSV_LEADING = (
    "plan", "facing", "pixel_spacing_row_mm", "pixel_spacing_col_mm", "calibration_source",
)


def csv_header() -> list[str]:
    return [
        *CSV_LEADING,
        *(f"preop_{p.key}" for p in PARAMETERS),
        *(f"postop_{p.key}" for p in PARAMETERS),
        *(f"{stage}_{name}" for stage in ("preop", "postop") for name in CLASSIFICATION_COLUMNS),
        *(f"preop_seg_{name}" for name, _u, _l in SEGMENTS),
        "warnings",
    ]


CLASSIFICATION_COLUMNS = (
    "schwab_PI_LL", "schwab_PT", "schwab_SVA", "gap_total", "gap_category", "roussouly",
)


def _classification_cells(c: Classification) -> list[Any]:
    cells = (c.schwab.PI_LL, c.schwab.PT, c.schwab.SVA, c.gap.total, c.gap.category, c.roussouly)
    return ["" if cell is None else cell for cell in cells]


def csv_row(plan_label: str, plan: Plan, analysis: Analysis) -> list[Any]:
    preop_class, postop_class = classifications(plan, analysis)
    spacing = analysis.calibration.spacing
    preop = analysis.preop.values
    postop = analysis.postop.values
    segmental = analysis.preop.segmental
    # Cells inline (no helper call per value): ~100 cells a row, thousands of rows a cohort.
    return [
        plan_label,
        analysis.facing or "",
        spacing.row if spacing else "",
        spacing.column if spacing else "",
        analysis.calibration.source,
        *("" if (v := preop[key].value) is None else round(v, 6) for key in _KEYS),
        *("" if (v := postop[key].value) is None else round(v, 6) for key in _KEYS),
        *_classification_cells(preop_class),
        *_classification_cells(postop_class),
        *(
            "" if (s := segmental.get(name)) is None or (v := s.value) is None else round(v, 6)
            for name in _SEGMENT_NAMES
        ),
        "; ".join(analysis.warnings),
    ]


_KEYS = tuple(p.key for p in PARAMETERS)
_SEGMENT_NAMES = tuple(name for name, _u, _l in SEGMENTS)
