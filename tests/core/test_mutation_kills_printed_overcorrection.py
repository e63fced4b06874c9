"""Over-correction is judged on the printed value, like the band's colour (issue 15 §6 and §7: the
targets survivor ``x_is_overcorrection__mutmut_4`` of the final run on main).

Hand values: the SRS-Schwab preset (clinical.md §2.2, §4.7) has PI−LL "within" from −10° up to
+10° and SVA "within" from −30 mm; both lower edges are over-correction limits. A value a few
hundredths below an edge is printed at the edge ("−10.0°", "−30.0 mm"), judged within (a green
cell), and must not be called over-corrected beside it; a value printed below the edge is.
"""

from __future__ import annotations

import pytest

from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.targets.overcorrection import is_overcorrection
from alignment_planner.targets.presets import Verdict, evaluate_target, preset_by_id


def _schwab(key: str, value: float) -> Verdict:
    table = {p.key: Value(value if p.key == key else None, None if p.key == key else "absent") for p in PARAMETERS}
    target = next(t for t in preset_by_id("srs-schwab").targets if t.key == key)
    return evaluate_target(target, Measurements(table, {}), None)


@pytest.mark.parametrize(("key", "value"), [("PI_LL", -10.04), ("SVA", -30.03)])
def test_a_value_printed_at_the_lower_edge_is_within_and_not_over_corrected(key: str, value: float) -> None:
    verdict = _schwab(key, value)
    assert verdict.status == "within"
    assert not is_overcorrection(verdict)


@pytest.mark.parametrize(("key", "value"), [("PI_LL", -10.06), ("SVA", -30.06)])
def test_a_value_printed_below_the_lower_edge_is_over_corrected(key: str, value: float) -> None:
    verdict = _schwab(key, value)
    assert verdict.status == "outside"
    assert is_overcorrection(verdict)


def test_a_value_not_measured_is_never_over_corrected() -> None:
    verdict = Verdict(_schwab("PI_LL", 0.0).target, None, None, "outside", "")
    assert not is_overcorrection(verdict)
