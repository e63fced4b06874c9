"""Dragging a free measurement's point (issue 14: drag ≤ 4 ms) changes the annotations alone:
the analysis and the overlay's constructions are reused, never stale when anything else changes."""

from __future__ import annotations

from dataclasses import replace

from alignment_planner.analysis.pipeline import Analyzer, analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Annotation, Osteotomy, same_but_annotations
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.teaching.cases import find_cases

PLAN = read_plan(next(c for c in find_cases() if c.id == "flatback_pso").plan_path)
RULER = Annotation("distance", ((100.0, 100.0), (200.0, 300.0)))


def test_an_annotation_edit_keeps_the_analysis_and_the_constructions() -> None:
    analyzer = Analyzer()
    before = replace(PLAN, annotations=(RULER,))
    after = replace(before, annotations=(replace(RULER, points=((100.0, 100.0), (210.0, 320.0))),))
    assert same_but_annotations(before, after)
    first, second = analyzer.analyze(before), analyzer.analyze(after)
    assert second is first
    a, b = build_overlay(before, first), build_overlay(after, second)
    ruler_a = [p for p in a.primitives if p.key.startswith("annotation")]
    ruler_b = [p for p in b.primitives if p.key.startswith("annotation")]
    assert ruler_a != ruler_b, "the measurement itself is redrawn where it now is"
    constructions = [p for p in b.primitives if not p.key.startswith("annotation")]
    assert constructions == [p for p in build_overlay(after, analyze(after)).primitives if not p.key.startswith("annotation")]


def test_any_other_edit_is_analysed_afresh() -> None:
    analyzer = Analyzer()
    base = analyzer.analyze(PLAN)
    deeper = replace(PLAN, osteotomies=(replace(PLAN.osteotomies[0], angle_deg=35.0),))
    assert not same_but_annotations(PLAN, deeper)
    again = analyzer.analyze(deeper)
    assert again is not base
    assert again.postop.value("LL") != base.postop.value("LL")
    # An equal but rebuilt field is not "the same": identity, so nothing stale is ever served.
    rebuilt = replace(PLAN, osteotomies=tuple(Osteotomy(o.type, o.level, o.angle_deg, o.hinge) for o in PLAN.osteotomies))
    assert not same_but_annotations(PLAN, rebuilt)
    overlay = build_overlay(deeper, again)
    label = next(p for p in overlay.primitives if p.key == "cut:0:label")
    assert "35.0°" in label.text  # type: ignore[union-attr]
