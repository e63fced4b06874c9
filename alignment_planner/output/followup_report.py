"""The report's follow-up page (issue 19 §3): pre-op | planned | each follow-up, planned − achieved
per key and which misses exceed the combined landmark and model band (clinical.md §5)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from alignment_planner.analysis.followups import followup_results, miss_band
from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.measurements import PARAMETERS_BY_KEY, reader_label
from alignment_planner.output.formatting import fixed
from alignment_planner.plan.model import FollowUp, Plan

PAGE_KEYS = ("PI", "PT", "SS", "LL", "PI_LL", "L4S1", "TK", "TLJ", "T1S", "SVA", "TPA", "GT")


@dataclass(frozen=True, slots=True)
class MissCell:
    achieved: str
    miss: str
    missed: bool
    """True when |planned − achieved| exceeds the 95 % band."""


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    key: str
    unit: str
    preop: str
    planned: str
    cells: tuple[MissCell, ...]

    @property
    def label(self) -> str:
        """The parameter's reader name ("PI−LL"), for the page."""
        return reader_label(self.key)


@dataclass(frozen=True, slots=True)
class FollowUpPage:
    films: tuple[str, ...]
    """Each follow-up's caption: label and date."""
    rows: tuple[FollowUpRow, ...]
    misses: tuple[str, ...]
    """The misses beyond the band, in words."""
    note: str


def _f(value: float | None, signed: bool = False) -> str:
    return "—" if value is None else fixed(value, signed=signed)  # never "−0.0"


# A label that only says how long after surgery ("1 year", "6 weeks", "3 months post-op") names
# nobody and is what a reader needs to place the film; other free text may identify the patient.
_INTERVAL = re.compile(
    r"\d{1,3}(?:[.,]\d)?\s*(?:days?|weeks?|wks?|months?|mo|years?|yrs?|y)(?:\s*post-?op)?", re.IGNORECASE
)


def followup_caption(index: int, followup: FollowUp, identify: bool) -> str:
    """A follow-up's label and date ("1 year (2027-03-15)"). An anonymous report (contract.md
    §4.7) numbers the films instead and keeps a label only when it is a plain interval ("Follow-up
    1 (1 year)"): other free text and the examination date can identify the patient."""
    if not identify:
        label = followup.label.strip()
        return f"Follow-up {index + 1}" + (f" ({label})" if _INTERVAL.fullmatch(label) else "")
    return f"{followup.label}{f' ({followup.date})' if followup.date else ''}"


def build_followup_page(plan: Plan, analysis: Analysis, *, identify: bool = True) -> FollowUpPage | None:
    results = followup_results(plan, analysis)
    if not results:
        return None
    uncertainty = propagate(plan, analysis=analysis) if analysis.frame is not None else None
    units = {key: PARAMETERS_BY_KEY[key].symbol for key in PAGE_KEYS}  # "°", never "deg"
    rows, misses = [], []
    for key in PAGE_KEYS:
        cells = []
        for index, r in enumerate(results):
            miss = r.error[key]
            band = None
            if uncertainty is not None:
                band = miss_band(key, uncertainty.band(key, "postop"), uncertainty.band(key, "preop"))
            missed = miss is not None and band is not None and abs(miss) > band
            cells.append(MissCell(_f(r.achieved.values[key].value), _f(miss, True), missed))
            if missed and miss is not None and band is not None:
                misses.append(
                    f"{followup_caption(index, r.followup, identify)}: {reader_label(key)} planned "
                    f"{_f(analysis.postop.values[key].value)}, "
                    f"achieved {_f(r.achieved.values[key].value)} {units[key]}: planned − achieved "
                    f"{miss:+.1f} beyond the ± {band:.1f} band"
                )
        rows.append(FollowUpRow(
            key, units[key], _f(analysis.preop.values[key].value),
            _f(analysis.postop.values[key].value), tuple(cells),
        ))
    films = tuple(followup_caption(i, r.followup, identify) for i, r in enumerate(results))
    note = (
        "planned − achieved: positive when the plan predicted more than was achieved. Band: 95 % "
        "landmark error on both films and, for PT, SS and SVA, the published error of predicting the "
        "pelvis (PT ± 4.1°, SVA ± 27 mm; clinical.md §5.3), combined in quadrature. Red: beyond it."
    )
    return FollowUpPage(films, tuple(rows), tuple(misses) or ("no miss beyond the band",), note)
