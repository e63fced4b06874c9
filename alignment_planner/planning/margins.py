"""How far inside a target band a plan should aim (issue 15 §2): by default the value's own 95 %
landmark band (clinical.md §5.4), so that a plan which "meets" a target still meets it when the
landmarks are placed again; a surgeon may give a margin instead (``--margin``)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.plan.model import Plan


def landmark_margins(plan: Plan, keys: Iterable[str]) -> dict[str, float]:
    """KEY → half-width of the pre-op 95 % landmark band (0 where it cannot be estimated)."""
    uncertainty = propagate(plan)
    # Rounded up to the printed precision: goals are printed, and a margin of 4.80409 reads badly.
    return {key: math.ceil((uncertainty.band(key, "preop") or 0.0) * 10.0) / 10.0 for key in keys}


def margins_for(plan: Plan, keys: Iterable[str], given: float | None) -> dict[str, float]:
    """``given`` for every key when the user gave one, else the landmark bands."""
    wanted = list(dict.fromkeys(keys))
    if given is not None:
        return dict.fromkeys(wanted, given)
    return landmark_margins(plan, wanted)
