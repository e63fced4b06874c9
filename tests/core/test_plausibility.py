"""Implausible plans are warned about or refused, never silently computed (issue 15 §5)."""

from __future__ import annotations

import math

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.plan.model import Osteotomy
from tests.core.issue15_plans import flatback


def test_the_same_cut_twice_is_warned_about_and_both_count() -> None:
    """Add pressed twice: two PSOs at L3 add 60° (LL 25 → 85)."""
    analysis = analyze(flatback(Osteotomy("PSO", "L3", 30.0), Osteotomy("PSO", "L3", 30.0)))
    assert any("2 cuts at L3" in w and "60° in total" in w for w in analysis.warnings)
    assert analysis.postop.value("LL") == pytest.approx(85.0, abs=0.02)


def test_cumulative_closure_beyond_the_vertebra_is_warned_about() -> None:
    """Each 30° PSO at L3 closes 2·d·tan 15° (about 22.5 mm) and fits the posterior wall alone;
    together (about 45 mm) they do not."""
    plan = flatback(Osteotomy("PSO", "L3", 30.0), Osteotomy("PSO", "L3", 30.0))
    analysis = analyze(plan)
    first = analysis.wedges[0]
    assert first.mm is not None and first.warning is None
    lm = plan.landmarks.vertebrae["L3"]
    wall = math.dist(lm.post_sup, lm.post_inf) * 0.4  # type: ignore[arg-type]
    assert first.mm < wall < 2 * first.mm  # the premise, from the landmarks
    assert any("L3: the 2 wedges close" in w and "would not fit" in w for w in analysis.warnings)


def test_one_cut_per_level_gives_no_duplicate_warning() -> None:
    analysis = analyze(flatback(Osteotomy("PSO", "L3", 30.0), Osteotomy("PSO", "L4", 30.0)))
    assert not any("cuts at" in w for w in analysis.warnings)


def test_an_angle_past_180_is_not_printed_wrapped() -> None:
    """Four 40° EPSOs on LL 25° would make LL 185°: it used to print as −175°."""
    cuts = tuple(Osteotomy("EPSO", level, 40.0) for level in ("L1", "L2", "L3", "L4"))
    analysis = analyze(flatback(*cuts))
    ll = analysis.postop.values["LL"]
    assert ll.value is None and ll.reason is not None and "185.0" in ll.reason and "±180" in ll.reason
    assert any("planned LL would be 185.0°" in w for w in analysis.warnings)


def test_cuts_adding_up_to_half_a_turn_are_refused() -> None:
    """Twenty 15° SPOs (300°) wrapped planned LL to −95°: the result cannot be drawn."""
    discs = ["T2-T3", "T3-T4", "T4-T5", "T5-T6", "T6-T7", "T7-T8", "T8-T9", "T9-T10", "T10-T11",
             "T11-T12", "T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1", "C3-C4", "C4-C5",
             "C5-C6", "C6-C7"]
    analysis = analyze(flatback(*(Osteotomy("SPO", d, 15.0) for d in discs)))
    assert analysis.postop.value("LL") is None
    assert any("cannot be drawn" in w for w in analysis.warnings)
