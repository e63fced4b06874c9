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


def measure_followup(followup: FollowUp, *, detail: bool = True) -> FilmMeasurement:
    """``detail=False``: the values alone, for a cohort summary (see ``measure_film``)."""
    return measure_film(followup.landmarks, followup.facing, followup.calibration, detail=detail)


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


MODEL_BAND: dict[str, float] = {"PT": 4.1, "SS": 4.1, "SVA": 27.0}
"""The published error of predicting the post-operative pelvis (clinical.md §5.3, §4.4: Lafage
2012, 99 PSOs, median absolute error PT 4.1°, SVA 27 mm; SS = PI − PT shares PT's). Values that a
turn about the hips does not change (PI, LL, TK, TPA …) carry no model error: the geometry of the
cuts is exact (clinical.md §4.5)."""


def miss_band(key: str, planned_band: float | None, achieved_band: float | None) -> float | None:
    """Half-width of the 95 % band of planned − achieved: landmark error on the pre-op film (which
    the plan inherits), on the follow-up film, and the model's own error, independent, so their
    squares add (clinical.md §5). ``None`` when neither film's band is known."""
    if planned_band is None and achieved_band is None:
        return None
    total = (planned_band or 0.0) ** 2 + (achieved_band or 0.0) ** 2 + MODEL_BAND.get(key, 0.0) ** 2
    return float(total**0.5)
