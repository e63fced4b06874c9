"""A preset's verdict in words, as every view shows it (the measurement table, Suggest's
predicted values, the targets list): one wording, with over-correction named as such."""

from __future__ import annotations

from alignment_planner.targets.overcorrection import is_overcorrection
from alignment_planner.targets.presets import Verdict

STATUS_WORDS = {
    "within": "within target",
    "borderline": "borderline",
    "outside": "outside target",
    "unknown": "not judged",
}
OVERCORRECTED_WORDS = "over-corrected"


def verdict_words(verdict: Verdict) -> str:
    """The status in words, "over-corrected" added when the value lies past the band's lower
    edge on the side a correction moves it to (an "outside" that harms in another way)."""
    words = STATUS_WORDS[verdict.status]
    return f"{words}, {OVERCORRECTED_WORDS}" if is_overcorrection(verdict) else words


def verdict_line(verdict: Verdict) -> str:
    """One verdict for a tooltip: words, the target's label and its rule with this patient's numbers."""
    return f"{verdict_words(verdict)} ({verdict.target.label}): {verdict.threshold or verdict.reason}"
