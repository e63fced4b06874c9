"""Over-correction is judged on the printed value, like every verdict (issue 15 §6: round once).

Second review: Suggest showed "PI−LL -10.0° (over)" in a green cell. The SRS-Schwab band for PI−LL
is −10…10° with a closed lower edge (clinical.md §2.2, §4.7); −10.004 prints as "−10.0", which is
on that edge: within, not over-corrected. −10.06 prints as "−10.1": over-corrected.
"""

from __future__ import annotations

from alignment_planner.targets.overcorrection import overcorrections


def test_a_value_printed_on_the_edge_is_not_overcorrected() -> None:
    assert overcorrections({"PI_LL": -10.004}) == []
    assert overcorrections({"PI_LL": -10.0}) == []


def test_a_value_printed_past_the_edge_is_overcorrected() -> None:
    assert overcorrections({"PI_LL": -10.06}) == [("PI_LL", -10.06, -10.0)]
