"""The report's segmental-angles table (issue 14): one row per motion segment, columns pre-op,
planned, change (planned − pre-op) and each follow-up film, numbers as every table prints them.
The PDF lays it out in columns (ui/export/report_segmental.py); the values are computed here."""

from __future__ import annotations

from dataclasses import dataclass

from alignment_planner.analysis.followups import followup_results
from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.output.followup_report import followup_caption
from alignment_planner.output.formatting import fixed
from alignment_planner.output.rows import value_text
from alignment_planner.plan.model import Plan

LEVEL_HEADER = "Level"


@dataclass(frozen=True, slots=True)
class SegmentalTable:
    headers: tuple[str, ...]
    """"Level", then one header per number column."""
    rows: tuple[tuple[str, ...], ...]
    """The segment ("L4-L5"), then its numbers ("—" when not measurable), one per header after
    the first."""
    reasons: tuple[str, ...] = ()
    """Why a pre-op value is missing, once per segment ("T12-L1: no T12 inferior endplate")."""

    def __bool__(self) -> bool:
        return bool(self.rows)


def segmental_table(plan: Plan, analysis: Analysis, *, identify: bool) -> SegmentalTable:
    """The table for ``plan``; follow-up films are named as on the follow-up page (numbered when
    the report is anonymous)."""
    headers = [LEVEL_HEADER, "Pre-op"]
    if analysis.simulated:
        headers += ["Planned", "Change"]
    followups = followup_results(plan, analysis)
    headers += [followup_caption(i, r.followup, identify) for i, r in enumerate(followups)]
    rows, reasons = [], []
    for name, value in analysis.preop.segmental.items():
        cells = [name, value_text(value)]
        if analysis.simulated:
            planned = analysis.postop.segmental.get(name)
            cells.append(value_text(planned) if planned is not None else "—")
            change = (
                None
                if planned is None or planned.value is None or value.value is None
                else planned.value - value.value
            )
            cells.append("—" if change is None else fixed(change, signed=True))
        for result in followups:
            achieved = result.achieved.segmental.get(name)
            cells.append(value_text(achieved) if achieved is not None else "—")
        rows.append(tuple(cells))
        if value.reason:
            reasons.append(f"{name}: {value.reason}")
    return SegmentalTable(tuple(headers), tuple(rows), tuple(reasons))
