"""Over-correction limits (clinical.md §4.7): the lower edges of the SRS-Schwab preset's two-sided
bands for the values a correction drives down. A plan past one of them is over-corrected whatever
goal it was searched for (a user's one-sided ``SVA<40`` is met by SVA −196 mm, which harms)."""

from __future__ import annotations

from collections.abc import Mapping

from alignment_planner.targets.presets import Verdict, preset_by_id
from alignment_planner.targets.rounding import printed

OVERCORRECTION_PRESET = "srs-schwab"
OVERCORRECTED_KEYS = ("PI_LL", "SVA", "TPA")


def overcorrection_limits() -> dict[str, float]:
    """KEY → the lowest value that is not over-correction."""
    limits = {}
    for target in preset_by_id(OVERCORRECTION_PRESET).targets:
        if target.key in OVERCORRECTED_KEYS and target.ideal is None and target.within.low is not None:
            limits[target.key] = target.within.low
    return limits


def overcorrections(values: Mapping[str, float | None]) -> list[tuple[str, float, float]]:
    """(key, value, limit) for every value below its over-correction limit, judged as printed
    (issue 15 §6: round once), like the preset's verdict: −10.004 is printed "−10.0" and is within
    a band from −10, so it must not be called over-corrected beside a green cell."""
    found = []
    for key, limit in overcorrection_limits().items():
        value = values.get(key)
        if value is not None and printed(value) < printed(limit):
            found.append((key, value, limit))
    return found


def is_overcorrection(verdict: Verdict) -> bool:
    """A value a correction drives down (PI−LL, SVA, TPA) judged not within because it lies
    below its band: over-corrected, which harms (clinical.md §4.7), not short of the target."""
    if verdict.target.key not in OVERCORRECTED_KEYS or verdict.value is None:
        return False
    if verdict.status not in ("borderline", "outside"):
        return False
    low = verdict.target.within.low
    return low is not None and verdict.value < low + (verdict.ideal or 0.0)

