"""Over-correction limits (clinical.md §4.7): the lower edges of the two-sided target bands for the
values a correction drives down. A plan past one of them is over-corrected whatever goal it was
searched for (a user's one-sided ``SVA<40`` is met by SVA −196 mm, which harms).

Two sets of limits, each from the preset whose bands a published one-sided grade sits beside:
the SRS-Schwab preset's (PI−LL, SVA, TPA; the thoracolumbar correction the planner searches) and
the cervical preset's (TS−CL, cSVA; beside the Ames-ISSG cervical modifiers, §2.10)."""

from __future__ import annotations

from collections.abc import Mapping

from alignment_planner.targets.presets import Verdict, preset_by_id
from alignment_planner.targets.rounding import printed

OVERCORRECTION_PRESET = "srs-schwab"
OVERCORRECTED_KEYS = ("PI_LL", "SVA", "TPA")
CERVICAL_PRESET = "cervical"
CERVICAL_OVERCORRECTED_KEYS = ("TS_CL", "cSVA")
"""A cervical correction drives these down: below the cervical band's lower edge the neck is
hyperlordotic (TS−CL) or the head sits behind C7 (cSVA)."""


def _lower_edges(preset_id: str, keys: tuple[str, ...]) -> dict[str, float]:
    limits = {}
    for target in preset_by_id(preset_id).targets:
        if target.key in keys and target.ideal is None and target.within.low is not None:
            limits[target.key] = target.within.low
    return limits


def overcorrection_limits() -> dict[str, float]:
    """KEY → the lowest value that is not over-correction (the SRS-Schwab preset's bands)."""
    return _lower_edges(OVERCORRECTION_PRESET, OVERCORRECTED_KEYS)


def cervical_overcorrection_limits() -> dict[str, float]:
    """KEY → the lowest value that is not cervical over-correction (the cervical preset's bands)."""
    return _lower_edges(CERVICAL_PRESET, CERVICAL_OVERCORRECTED_KEYS)


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
    """A value a correction drives down (PI−LL, SVA, TPA; TS−CL, cSVA) judged not within because
    it lies below its band: over-corrected, which harms (clinical.md §4.7), not short of the
    target."""
    if verdict.target.key not in OVERCORRECTED_KEYS + CERVICAL_OVERCORRECTED_KEYS:
        return False
    if verdict.value is None or verdict.status not in ("borderline", "outside"):
        return False
    low = verdict.target.within.low
    return low is not None and verdict.value < low + (verdict.ideal or 0.0)
