"""The cohort path of ``outcomes`` (issue 19 performance) computes and writes exactly what the
full path does: the values-only analysis, the turning part of the skeleton, and the JSON and CSV
text written plan by plan, compared with their plain definitions on sample cases and on plans whose
labels need quoting and escaping."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.analysis.followups import measure_followup
from alignment_planner.analysis.outcomes import (
    _TURNING,
    PlanOutcome,
    _measure_keys,
    _turning_part,
    plan_outcome,
    summarise,
)
from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.measurements import Measurements
from alignment_planner.output.outcome_records import CSV_HEADER, csv_rows, outcomes_document
from alignment_planner.output.outcome_text import csv_header, outcomes_json, plan_csv, plan_json
from alignment_planner.plan.model import Compensation, Plan
from alignment_planner.procedures.simulate import apply_compensation
from alignment_planner.synthetic.cohort import cohort_plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))


def _plans() -> list[Plan]:
    plans = [read_plan(p) for p in SAMPLES]
    plans += [cohort_plan(i, pt_miss_deg=-3.0) for i in range(6)]
    plans.append(cohort_plan(7, model="none"))
    plans.append(replace(cohort_plan(8), osteotomies=()))  # compensation only
    return plans


def _values(measurements: Measurements) -> dict[str, float | None]:
    return {k: v.value for k, v in measurements.values.items()}


@pytest.mark.parametrize("plan", _plans(), ids=lambda p: "plan")
def test_values_only_analysis_gives_the_same_values(plan: Plan) -> None:
    full, lean = analyze(plan), analyze(plan, detail=False)
    assert _values(lean.preop) == _values(full.preop)
    assert _values(lean.postop) == _values(full.postop)
    assert lean.compensation_deg == full.compensation_deg
    assert lean.preop.segmental == {} and lean.postop.segmental == {}
    assert lean.warnings == () and lean.pelvis_fixed is None and lean.wedges == ()
    for followup in plan.followups:
        a, b = measure_followup(followup), measure_followup(followup, detail=False)
        assert _values(a.measurements) == _values(b.measurements)


@pytest.mark.parametrize("plan", _plans(), ids=lambda p: "plan")
@pytest.mark.parametrize("phi", [-17.5, 0.0, 3.25, 40.0])
def test_turning_part_turns_to_the_same_values(plan: Plan, phi: float) -> None:
    after_cuts = analyze(plan).after_cuts
    if after_cuts is None:
        pytest.skip("no skeleton: the plan's facing is unknown")
    calibrated = plan.calibration.calibrated
    whole = _measure_keys(apply_compensation(after_cuts, phi), calibrated)
    part = _measure_keys(apply_compensation(_turning_part(after_cuts), phi), calibrated)
    assert part == whole
    assert set(whole) == {p.key for p in _TURNING}


def _awkward(plan: Plan, i: int) -> Plan:
    """Labels a CSV must quote and a JSON string must escape, and a follow-up without a date."""
    names = ['6 weeks, standing', 'one "year"', "zwei\nJahre", "ünï — 𝛼", "", "plain"]
    followups = tuple(
        replace(f, label=names[(i + j) % len(names)], date=None if (i + j) % 3 == 0 else f.date)
        for j, f in enumerate(plan.followups)
    )
    return replace(plan, followups=followups)


def _outcomes() -> list[PlanOutcome]:
    plans = [p for p in _plans() if p.followups]
    plans += [_awkward(p, i) for i, p in enumerate(plans)]
    labels = ["a.json", 'b, "c".json', "d\ne.json", "ä ⟨f⟩.json"]
    outcomes = [plan_outcome(labels[i % len(labels)], p) for i, p in enumerate(plans)]
    return [o for o in outcomes if o is not None]


def test_json_text_is_json_dumps_of_the_document() -> None:
    outcomes = _outcomes()
    assert len(outcomes) >= 12
    summary = summarise(outcomes, ["x.json: no follow-up film; skipped"])
    expected = json.dumps(outcomes_document(outcomes, summary), indent=2, ensure_ascii=False)
    assert outcomes_json([plan_json(o) for o in outcomes], summary) == expected
    empty = summarise([], [])
    assert outcomes_json([], empty) == json.dumps(outcomes_document([], empty), indent=2, ensure_ascii=False)


def test_csv_text_is_csv_writer_over_the_rows() -> None:
    outcomes = _outcomes()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(outcomes))
    assert csv_header() + "".join(plan_csv(o) for o in outcomes) == buffer.getvalue()


def test_cohort_with_unmeasurable_values_writes_the_same_text() -> None:
    """A plan whose compensation cannot be applied (no femoral heads on the follow-up): nulls and
    empty CSV cells in the fast path too."""
    plan = cohort_plan(3)
    followup = plan.followups[0]
    broken = replace(followup, landmarks=replace(followup.landmarks, femoral_heads=()))
    plan = replace(plan, followups=(broken,), compensation=Compensation("pt_target", 20.0))
    outcome = plan_outcome("broken.json", plan)
    assert outcome is not None
    assert any(v is None for v in outcome.rows[0].achieved.values())
    summary = summarise([outcome], [])
    assert outcomes_json([plan_json(outcome)], summary) == json.dumps(
        outcomes_document([outcome], summary), indent=2, ensure_ascii=False
    )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(csv_rows([outcome]))
    assert plan_csv(outcome) == buffer.getvalue()
