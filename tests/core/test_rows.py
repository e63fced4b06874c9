"""One row builder for every table (issue 13 §4): values, Δ, bands, verdicts and the reasons a
value is missing, as the CLI table, the GUI panel and the PDF all show them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.measurements import PARAMETERS, reader_label
from alignment_planner.output.rows import (
    band_text,
    by_key,
    classification_stages,
    measurement_rows,
    report_classification_lines,
    table_classification_lines,
)
from alignment_planner.plan.model import Osteotomy
from alignment_planner.targets.presets import evaluate, preset_by_id
from alignment_planner.teaching.cases import find_cases

PLAN = read_plan(next(c for c in find_cases() if c.id == "flatback_pso").plan_path)


def _row(rows, key):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.key == key)


def test_a_rows_delta_is_planned_minus_preop_and_a_pso_adds_its_angle_to_lordosis() -> None:
    # A PSO at L3 closes 30° inside L1–S1: planned LL = pre-op LL + 30° (clinical.md §3.2).
    plan = replace(PLAN, osteotomies=(Osteotomy("PSO", "L3", 30.0),))
    rows = measurement_rows(analyze(plan))
    assert [r.key for r in rows] == [p.key for p in PARAMETERS]
    ll = _row(rows, "LL")
    assert ll.delta == pytest.approx(30.0, abs=1e-9)
    assert ll.delta_text == "+30.0" and ll.delta_cell == "+30.0"
    assert float(ll.planned_text.replace("−", "-")) == pytest.approx(ll.planned.value, abs=0.05)


def test_without_a_plan_the_planned_and_delta_cells_are_blank() -> None:
    plan = replace(PLAN, osteotomies=(), procedures=(), compensation=None)
    for row in measurement_rows(analyze(plan)):
        assert row.planned_cell == "" and row.delta_cell == "" and row.judged_stage == "preop"


def test_an_uncalibrated_film_gives_lengths_a_reason_and_no_value() -> None:
    assert PLAN.image is not None
    plan = replace(PLAN, image=replace(PLAN.image, pixel_spacing=None))
    assert plan.calibration.spacing is None
    sva = _row(measurement_rows(analyze(plan)), "SVA")
    assert sva.preop_text == "—"
    assert sva.reasons and sva.reasons[0].startswith("not measurable: ")
    assert sva.missing_reason is not None


def test_bands_and_verdicts_come_with_the_row() -> None:
    analysis = analyze(PLAN)
    uncertainty = propagate(PLAN, analysis=analysis)
    preset = preset_by_id("srs-schwab")
    verdicts = by_key(evaluate(preset, analysis.postop, 67.0))
    rows = measurement_rows(analysis, uncertainty, verdicts)
    pt = _row(rows, "PT")
    assert pt.band("postop") == uncertainty.band("PT", "postop")
    # Planned PT 20.0 ± 11.9° straddles the 20° edge of the modifier's 0 band: flagged "?".
    assert pt.judged_band_cell == band_text(uncertainty.band("PT", "postop")) + "?"
    assert pt.verdict_text in ("within", "borderline", "OUTSIDE", "—")
    assert _row(rows, "T9SPI").verdict_text == ""  # the preset does not judge it


def test_the_table_and_the_report_print_the_same_classification_grades() -> None:
    stages = classification_stages(PLAN, analyze(PLAN))
    table, report = table_classification_lines(stages), report_classification_lines(stages)
    schwab = "; ".join(
        f"{reader_label(k)} {' → '.join(g or '—' for g in grades)}" for k, grades in stages.schwab()
    )
    assert table[1] == f"  SRS-Schwab  {schwab}"
    assert report[0] == f"SRS-Schwab (pre-op → planned): {schwab}"
