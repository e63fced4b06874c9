"""One verdict per key and stage for ``measure --preset ID`` (contract.md §4.4): the preset's
two-sided bands (clinical.md §4.7), judged on the printed value (issue 15 §6)."""

from __future__ import annotations

from alignment_planner.measurements import Measurements
from alignment_planner.targets.presets import Preset, Verdict, evaluate

VerdictText = str | None


def verdicts_by_key(preset: Preset, m: Measurements, age: float | None) -> dict[str, Verdict]:
    """KEY → the verdict of the preset's first target for that key (a side-by-side preset such as
    "ideal-ll" lists several formulas for one key; the first is its headline)."""
    result: dict[str, Verdict] = {}
    for verdict in evaluate(preset, m, age):
        result.setdefault(verdict.target.key, verdict)
    return result


def verdict_record(preset: Preset, m: Measurements, age: float | None) -> dict[str, VerdictText]:
    """KEY → "within" | "borderline" | "outside" | None (not measurable, or an input missing)."""
    return {
        key: None if v.status == "unknown" else v.status for key, v in verdicts_by_key(preset, m, age).items()
    }
