"""Planned versus achieved (contract.md §4.3): each follow-up film measured like a pre-op film,
with its own calibration and facing, and the prediction error planned − achieved per key.

Planned is the plan's post-op prediction (osteotomies and its compensation model); a positive
error means the plan predicted more than was achieved (e.g. PT +5° = the pelvis released 5° less
than planned).
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment_planner.analysis.pipeline import Analysis, FilmMeasurement, measure_film
from alignment_planner.measurements import PARAMETERS, Measurements
from alignment_planner.plan.model import FollowUp, Plan


@dataclass(frozen=True, slots=True)
class FollowUpResult:
    followup: FollowUp
    film: FilmMeasurement
    error: dict[str, float | None]
    """KEY → planned − achieved; ``None`` when either is not measurable."""

    @property
    def achieved(self) -> Measurements:
        return self.film.measurements


def measure_followup(followup: FollowUp) -> FilmMeasurement:
    return measure_film(followup.landmarks, followup.facing, followup.calibration)


def prediction_error(planned: Measurements, achieved: Measurements) -> dict[str, float | None]:
    result: dict[str, float | None] = {}
    for parameter in PARAMETERS:
        p = planned.values[parameter.key].value
        a = achieved.values[parameter.key].value
        result[parameter.key] = None if p is None or a is None else p - a
    return result


def followup_results(plan: Plan, analysis: Analysis) -> tuple[FollowUpResult, ...]:
    results = []
    for followup in plan.followups:
        film = measure_followup(followup)
        results.append(FollowUpResult(followup, film, prediction_error(analysis.postop, film.measurements)))
    return tuple(results)
