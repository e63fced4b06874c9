"""Wizard steps derived from the parameter registry, and corners on demand (issue 17 §1–2)."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.anatomy.landmarking import POINT_ORDER, Step, click_count, is_placed
from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.measurements import PARAMETERS
from alignment_planner.measurements.guide import CONTRACT_KEYS, SCOPES, steps_for
from alignment_planner.plan.model import ImageRef, Osteotomy, Plan
from alignment_planner.procedures.points_needed import missing_steps
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = PixelSpacing.isotropic(0.2)
TRUTH = build_landmarks(SpineSpec(), spacing=SPACING)
CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "contract.md"


def _place(steps: tuple[Step, ...], landmarks: Landmarks | None = None) -> Landmarks:
    """Place every step's point where it truly is (a body centre: the mean of the true corners)."""
    landmarks = landmarks or Landmarks()
    for step in steps:
        if step.is_head:
            index = int(step.point)
            landmarks = landmarks.with_femoral_heads(
                (*landmarks.femoral_heads[:index], TRUTH.femoral_heads[index])
            )
            continue
        point = TRUTH.point(step.level, step.point)
        if point is None:
            vertebra = TRUTH.vertebra(step.level)
            assert vertebra is not None and step.point == "center"
            corners = [vertebra.point(c) for c in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
            point = (sum(p[0] for p in corners) / 4, sum(p[1] for p in corners) / 4)  # type: ignore[index]
        landmarks = landmarks.with_point(step.level, step.point, point)
    return landmarks


def _plan(landmarks: Landmarks, *osteotomies: Osteotomy) -> Plan:
    return Plan(landmarks=landmarks, image=ImageRef(pixel_spacing=SPACING), facing="right",
                osteotomies=osteotomies)


def test_contract_keys_are_the_contract_table() -> None:
    table = CONTRACT.read_text(encoding="utf-8").split("| key | meaning")[1].split("Additional keys")[0]
    keys = {k for row in table.splitlines() if row.startswith("| `")
            for k in re.findall(r"`([A-Za-z0-9_]+)`", row.split("|")[1])}
    assert set(CONTRACT_KEYS) == keys


def test_standard_measures_every_contract_key_in_30_clicks() -> None:
    steps = steps_for("standard")
    assert click_count(steps) == 30  # the README quotes this figure
    analysis = analyze(_plan(_place(steps)))
    for key in CONTRACT_KEYS:
        assert analysis.preop.values[key].measured, (key, analysis.preop.values[key].reason)


def test_click_counts_per_scope() -> None:
    counts = {scope: click_count(steps_for(scope)) for scope in SCOPES if scope != "custom"}
    # Full spine: 2 S1 corners + 4 corners × 23 vertebrae; heads: 3 rim clicks + 1 centre.
    assert counts == {"standard": 30, "minimal": 10, "lumbopelvic": 26, "full": 98}


def test_reading_order_endplate_by_endplate_posterior_first() -> None:
    for scope in ("standard", "full", "minimal"):
        steps = steps_for(scope)  # type: ignore[arg-type]
        assert [s.key for s in steps[:2]] == ["femoral_heads.0", "femoral_heads.1"]
        spine = steps[2:]
        order = [(-LEVEL_INDEX[s.level], POINT_ORDER.index(s.point)) for s in spine]
        assert order == sorted(order), scope
        for first, second in pairwise(spine):
            if first.level == second.level and first.point.startswith("post_"):
                side = first.point[5:]
                if second.point.endswith(side) and second.point != "center":
                    assert second.point == f"ant_{side}"  # an endplate: its back, then its front


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from([p.key for p in PARAMETERS]), min_size=1, max_size=5))
def test_chosen_parameters_get_exactly_their_steps(keys: set[str]) -> None:
    steps = steps_for("custom", sorted(keys))
    analysis = analyze(_plan(_place(steps)))
    for key in keys:
        assert analysis.preop.values[key].value is not None, (key, analysis.preop.values[key].reason)
    # Exactly: leaving out any one point makes at least one chosen parameter not measurable.
    for skipped in steps:
        fewer = _place(tuple(s for s in steps if s != skipped and not (
            skipped.is_head and s.is_head and int(s.point) > int(skipped.point))))
        if skipped.key == "femoral_heads.1":
            continue  # one head is a valid hip axis (clinical.md §1.1); the second is still asked
        values = analyze(_plan(fewer)).preop.values
        assert any(values[key].value is None for key in keys), (keys, skipped.key)


@pytest.mark.parametrize("level", [lv for lv in LEVELS if lv[0] in "TL"])
def test_a_pso_on_a_standard_case_asks_at_most_four_points_then_simulates(level: str) -> None:
    landmarks = _place(steps_for("standard"))
    pso = Osteotomy("PSO", level, 30.0)
    needed = missing_steps(landmarks, pso)
    assert len(needed) <= 4
    assert {s.level for s in needed} <= {level}
    completed = _place(needed, landmarks)
    assert missing_steps(completed, pso) == ()
    analysis = analyze(_plan(completed, pso))
    assert analysis.applied and analysis.applied[0].osteotomy == pso
    # The cut was simulated: thoracolumbar or lumbar, some contract angle changes by the cut.
    changed = [k for k in CONTRACT_KEYS if analysis.preop.values[k].value is not None
               and analysis.postop.values[k].value != pytest.approx(analysis.preop.values[k].value)]
    assert changed


def test_a_cut_asks_only_for_what_is_missing_and_its_hinge_rule() -> None:
    full = _place(steps_for("full"))
    assert missing_steps(full, Osteotomy("SPO", "L3-L4", 10.0)) == ()
    bare = _place(steps_for("minimal"))
    spo = {s.key for s in missing_steps(bare, Osteotomy("SPO", "L3-L4", 10.0))}
    # Hinge: L3.post_inf and L4.post_sup (contract.md §2); the cut line: the anterior corners and L3.
    assert spo == {"L3.post_inf", "L3.ant_inf", "L4.post_sup", "L4.ant_sup", "L3.center"}
    kypho = {s.key for s in missing_steps(bare, Osteotomy("KYPHOPLASTY", "T12", 8.0))}
    assert kypho == {"T12.post_sup", "T12.ant_sup", "T12.post_inf", "T12.ant_inf"}


def test_already_placed_points_and_heads_are_not_asked_again() -> None:
    steps = steps_for("standard")
    half = _place(steps[:12])
    from alignment_planner.measurements.guide import requirements_of, steps_for_requirements

    remaining = steps_for_requirements(requirements_of(CONTRACT_KEYS), half)
    assert remaining == steps[12:]
    assert not any(is_placed(half, s) for s in remaining)
    one_head = replace(half, femoral_heads=(FemoralHead((1.0, 2.0)),))
    asked = steps_for_requirements(requirements_of(["PT"]), one_head)
    assert [s.key for s in asked] == ["femoral_heads.1"]
