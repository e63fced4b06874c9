"""``outcomes`` output (contract.md §4.5): the JSON document, the CSV rows and the human table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alignment_planner.analysis.outcomes import KEYS, ErrorStats, PlanOutcome, Summary
from alignment_planner.measurements import PARAMETERS_BY_KEY
from alignment_planner.procedures.personal_compensation import MIN_PLANS

TABLE_KEYS = ("PT", "SS", "LL", "PI_LL", "TK", "SVA", "TPA", "GT")
"""The keys the human table shows (JSON and CSV carry every key)."""


def rounded(value: float | None) -> float | None:
    """A JSON number: six decimals."""
    return None if value is None else round(value, 6)


def stats_record(stats: ErrorStats) -> dict[str, Any]:
    return {"n": stats.n, "bias": rounded(stats.bias), "mae": rounded(stats.mae), "sd": rounded(stats.sd),
            "se": rounded(stats.se)}


def _per_key(table: dict[str, ErrorStats]) -> dict[str, Any]:
    return {k: stats_record(table[k]) for k in KEYS}


def outcomes_document(outcomes: Sequence[PlanOutcome], summary: Summary) -> dict[str, Any]:
    fit = summary.personal
    return {
        "convention": "error = planned − achieved (positive: the plan predicted more than was achieved)",
        "plans": [
            {
                "plan": o.label,
                "compensation_model": o.model,
                "groups": list(o.groups),
                "followups": [
                    {
                        "label": row.followup, "date": row.date,
                        "planned": {k: rounded(row.planned[k]) for k in KEYS},
                        "achieved": {k: rounded(row.achieved[k]) for k in KEYS},
                        "predicted_minus_achieved": {k: rounded(row.error[k]) for k in KEYS},
                    }
                    for row in o.rows
                ],
            }
            for o in outcomes
        ],
        "skipped": list(summary.skipped),
        "summary": {
            "plans": summary.plans,
            "basis": "one observation per plan: its latest follow-up",
            "per_key": _per_key(summary.overall),
            "per_group": {g: _per_key(t) for g, t in summary.groups.items()},
            "per_model": {m: _per_key(t) for m, t in summary.models.items()},
            "personal_model": None if fit is None else {
                "model": "personal", **fit.as_settings(), "label": fit.label(),
                "min_plans": MIN_PLANS,
            },
            "personal_note": summary.personal_note,
        },
    }


CSV_HEADER = ("plan", "followup", "date", "key", "unit", "planned", "achieved", "planned_minus_achieved")


def csv_rows(outcomes: Sequence[PlanOutcome]) -> list[list[Any]]:
    """One row per plan, follow-up and key: the long form a registry spreadsheet filters."""
    rows = []
    for o in outcomes:
        for row in o.rows:
            for key in KEYS:
                rows.append([
                    o.label, row.followup, row.date or "", key, PARAMETERS_BY_KEY[key].unit,
                    csv_cell(row.planned[key]), csv_cell(row.achieved[key]), csv_cell(row.error[key]),
                ])
    return rows


def csv_cell(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def outcomes_table(summary: Summary) -> str:
    lines = [
        f"Planned versus achieved: {summary.plans} plan(s) with a follow-up "
        "(error = planned − achieved; one latest follow-up per plan)",
        "",
        f"{'key':<7}{'n':>6}{'bias':>9}{'± SE':>7}{'MAE':>8}{'SD':>7}",
    ]
    for key in TABLE_KEYS:
        s = summary.overall[key]
        unit = PARAMETERS_BY_KEY[key].unit
        lines.append(
            f"{key:<7}{s.n:>6}{_fmt(s.bias):>9}{_plain(s.se):>7}{_plain(s.mae):>8}{_plain(s.sd):>7}  {unit}"
        )
    lines += ["", "Per compensation model, mean absolute error (bias) had it been used:"]
    lines.append(f"{'model':<28}" + "".join(f"{k:>16}" for k in ("PT", "SVA", "TPA")))
    for model, table in summary.models.items():
        cells = "".join(
            f"{_plain(table[k].mae) + ' (' + _fmt(table[k].bias) + ')':>16}" for k in ("PT", "SVA", "TPA")
        )
        lines.append(f"{model:<28}{cells}")
    if summary.groups:
        lines += ["", "Per osteotomy type and level band (PT, SVA bias ± SE):"]
        for group, table in summary.groups.items():
            pt, sva = table["PT"], table["SVA"]
            lines.append(
                f"  {group:<34} n={pt.n:<4} PT {_fmt(pt.bias)} ± {_plain(pt.se)}°   "
                f"SVA {_fmt(sva.bias)} ± {_plain(sva.se)} mm"
            )
    lines += ["", f"Personal compensation model: {summary.personal_note}"]
    lines += [f"note: {note}" for note in summary.skipped]
    return "\n".join(lines)


def _plain(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
