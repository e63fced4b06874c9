"""Teaching cases with a follow-up film (issue 19 §5): at least three, each measured to the PT it
was built with (by construction, not by measurement), PI unchanged, and notes on the miss."""

from __future__ import annotations

import json

import pytest

from alignment_planner.analysis.followups import followup_results
from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.teaching.cases import find_cases

CASES = find_cases()
WITH_FOLLOWUP = [c for c in CASES if "followups" in json.loads((c.folder / "expected.json").read_text())]


def test_at_least_three_cases_have_a_followup() -> None:
    assert len(WITH_FOLLOWUP) >= 3


@pytest.mark.parametrize("case", WITH_FOLLOWUP, ids=lambda c: c.id)
def test_followup_measures_to_its_construction(case) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(case.plan_path)
    [built] = json.loads((case.folder / "expected.json").read_text())["followups"]
    analysis = analyze(plan)
    [result] = followup_results(plan, analysis)
    assert result.followup.label == built["label"]
    assert result.followup.image is not None and result.followup.image.path is not None
    assert (case.folder / result.followup.image.path).is_file()
    # Landmarks stored to 0.01 px (0.004 mm): PT within 0.01° of the built value.
    assert result.achieved.values["PT"].value == pytest.approx(built["PT"], abs=0.01)
    assert result.error["PT"] == pytest.approx(-built["pt_shortfall_deg"], abs=0.01)
    assert result.achieved.values["PI"].value == pytest.approx(analysis.preop.values["PI"].value, abs=0.01)
    assert result.error["TK"] == pytest.approx(-built["kyphosis_gain_deg"] - _lost_kyphosis(plan, built), abs=0.05)
    assert case.followup_notes and "After surgery" in case.notes_text()


def _lost_kyphosis(plan, built) -> float:  # type: ignore[no-untyped-def]
    """Correction not kept by thoracic cuts inside T4–T12 shows up as TK (kyphosis positive)."""
    lost = 0.0
    for o in plan.osteotomies:
        if o.level.startswith("T") and o.level.split("-")[0] in {f"T{i}" for i in range(4, 12)}:
            lost += o.angle_deg * (1 - built["correction_fraction"])
    return lost
