"""Asymmetric and undefined uncertainty bands (clinical.md §5.4; issue 15 §3) shown alike by the
CLI table, the GUI's measurement table and the PDF: one row builder (output/rows.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.uncertainty import Uncertainty, propagate
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.output.report import build_report_content
from alignment_planner.output.rows import UNDEFINED_BAND, Band, band_of, measurement_rows
from alignment_planner.output.table import format_analysis
from alignment_planner.plan.model import ImageRef, Plan
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from alignment_planner.targets.presets import preset_by_id
from alignment_planner.teaching.cases import find_cases

FLATBACK = read_plan(next(c for c in find_cases() if c.id == "flatback_pso").plan_path)


def test_an_asymmetric_band_reads_plus_above_minus_below() -> None:
    # value 100, interval 88.0 … 121.5: 21.5 above, 12.0 below (hand-computed)
    band = Band(21.5, (88.0, 121.5), None, 100.0)
    assert band.text == "+21.5/−12.0"
    assert band.note is not None and "88.0 to 121.5" in band.note


def test_a_symmetric_band_and_an_undefined_one() -> None:
    assert Band(2.44).text == "±2.4"
    assert Band(None).text == "—"
    undefined = Band(None, None, "undefined within noise: the denominator 1.0 ± 4.2 (95 %) includes 0", 1.0)
    assert undefined.text == UNDEFINED_BAND == "undefined"
    assert undefined.note is not None and undefined.note.startswith("undefined within noise")


def test_ldi_of_the_flatback_case_has_an_asymmetric_band_in_every_view() -> None:
    plan = replace(FLATBACK, osteotomies=(), procedures=(), compensation=None)
    analysis = analyze(plan)
    u = propagate(plan, analysis=analysis)
    low, high = u.interval("LDI")  # type: ignore[misc]
    value = analysis.preop.value("LDI")
    assert value is not None
    expected = f"+{high - value:.1f}/−{value - low:.1f}"
    assert band_of(u, "LDI", "preop", value).text == expected
    ldi = next(r for r in measurement_rows(analysis, u) if r.key == "LDI")
    assert ldi.judged_band_cell == expected
    table = format_analysis("flatback", analysis, plan, u)
    line = next(line for line in table.splitlines() if line.startswith("LDI"))
    assert expected in line
    content = build_report_content(
        plan, analysis, case_name="flatback", preset=preset_by_id("srs-schwab"), uncertainty=u
    )
    assert next(r for r in content.rows if r.key == "LDI").judged_band_cell == expected
    assert "LDI: asymmetric 95 % band" in content.uncertainty


def _ll_near_zero() -> tuple[Plan, Uncertainty]:
    segments = dict(SpineSpec().segment_lordosis)
    segments.update({"L1-L2": -8.0, "L2-L3": -6.0, "L3-L4": 0.0, "L4-L5": 6.0, "L5-S1": 9.0})  # LL 1°
    spacing = PixelSpacing.isotropic(0.2)
    plan = Plan(
        landmarks=build_landmarks(SpineSpec(segment_lordosis=segments), spacing=spacing),
        image=ImageRef(pixel_spacing=spacing),
    )
    return plan, propagate(plan)


def test_ldi_undefined_within_noise_is_said_in_words_in_every_view() -> None:
    plan, u = _ll_near_zero()
    analysis = analyze(plan)
    ldi = next(r for r in measurement_rows(analysis, u) if r.key == "LDI")
    assert ldi.judged_band_cell == "undefined"
    assert any("undefined within noise" in reason and "includes 0" in reason for reason in ldi.reasons)
    line = next(line for line in format_analysis("p", analysis, plan, u).splitlines() if line.startswith("LDI"))
    assert "undefined" in line and "undefined within noise" in line
    content = build_report_content(plan, analysis, case_name="p", preset=preset_by_id("srs-schwab"), uncertainty=u)
    assert "LDI: undefined within noise" in content.uncertainty


def test_a_missing_band_stays_blank() -> None:
    plan = replace(FLATBACK, osteotomies=(), procedures=(), compensation=None)
    rows = measurement_rows(analyze(plan))
    assert all(r.judged_band_cell == "" for r in rows)
    with pytest.raises(StopIteration):
        next(r for r in rows if r.band_cell("preop") is not None)
