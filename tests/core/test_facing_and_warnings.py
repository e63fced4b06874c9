"""Facing (contract.md §2, clinical.md §0.1) and the warnings analysis attaches."""

from __future__ import annotations

from typing import Any

from tests.core.helpers import analyze_doc, plan_doc

S1_RIGHT = {"post_sup": [100.0, 500.0], "ant_sup": [140.0, 520.0]}
L5_RIGHT = {"ant_sup": [150, 400], "post_sup": [105, 395], "post_inf": [100, 470], "ant_inf": [145, 480]}
L5_LEFT = {"ant_sup": [55, 400], "post_sup": [100, 395], "post_inf": [105, 470], "ant_inf": [60, 480]}


def test_facing_from_the_plan_wins() -> None:
    analysis = analyze_doc(plan_doc({"S1": S1_RIGHT}, facing="left"))
    assert analysis.facing == "left" and analysis.facing_source == "plan"
    assert any("behind the posterior corners" in w and "S1" in w for w in analysis.warnings)


def test_facing_from_the_s1_corners() -> None:
    analysis = analyze_doc(plan_doc({"S1": S1_RIGHT, "L5": L5_RIGHT}))
    assert analysis.facing == "right" and analysis.facing_source == "S1 corners"
    assert analysis.warnings == ()


def test_facing_by_majority_when_s1_is_not_placed() -> None:
    landmarks: dict[str, Any] = {"L5": L5_LEFT, "L4": L5_LEFT, "L3": L5_RIGHT}
    analysis = analyze_doc(plan_doc(landmarks))
    assert analysis.facing == "left" and analysis.facing_source == "vertebral corners"
    assert any("taken as 'left' from the anterior/posterior corners of 6" in w for w in analysis.warnings)
    assert any("at L3" in w for w in analysis.warnings)


def test_unknown_facing_makes_everything_not_measurable_with_the_fix() -> None:
    analysis = analyze_doc(plan_doc({"femoral_heads": [[1, 2]]}))
    assert analysis.facing is None
    reasons = {v.reason for v in analysis.preop.values.values()}
    assert len(reasons) == 1
    assert 'set "facing" in the plan or place S1.post_sup and S1.ant_sup' in reasons.pop()  # type: ignore[operator]


def test_single_and_distant_femoral_heads_are_flagged() -> None:
    one = analyze_doc(plan_doc({"S1": S1_RIGHT, "femoral_heads": [[120, 600]]}))
    assert any("only one femoral head" in w for w in one.warnings)
    apart = analyze_doc(plan_doc(
        {"S1": S1_RIGHT, "femoral_heads": [[120, 600], [200, 600]]}, image={"pixel_spacing_mm": 1.0}
    ))
    assert any("80 mm apart" in w for w in apart.warnings)
    close = analyze_doc(plan_doc(
        {"S1": S1_RIGHT, "femoral_heads": [[120, 600], [130, 606]]}, image={"pixel_spacing_mm": 1.0}
    ))
    assert close.warnings == ()


def test_unknown_vertebra_keys_are_reported_as_likely_typos() -> None:
    analysis = analyze_doc(plan_doc({"S1": S1_RIGHT, "L3": {"ant-sup": [1, 2]}}))
    assert any("landmarks.L3: unknown key 'ant-sup' kept but not used" in w for w in analysis.warnings)


def test_uncalibrated_overlay_sizes_follow_the_anatomy() -> None:
    from alignment_planner.files.plan_reader import plan_from_dict
    from alignment_planner.scene.overlay import build_overlay
    from alignment_planner.scene.primitives import DEFAULT_HEAD_RADIUS_MM, Circle

    doc = plan_doc({"S1": {"post_sup": [100.0, 500.0], "ant_sup": [190.0, 500.0]},
                    "femoral_heads": [[150, 700]]})
    plan = plan_from_dict(doc)
    overlay = build_overlay(plan, analyze_doc(doc))
    (head,) = [p for p in overlay.primitives if isinstance(p, Circle)]
    assert head.radius == DEFAULT_HEAD_RADIUS_MM * 90.0 / 45.0  # S1 endplate 90 px ≈ 45 mm
