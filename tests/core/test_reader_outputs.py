"""What a reader reads in the outputs (surgeon review 2026-11-30, A2, A3, C2, C3, D): the "?" on a
band that straddles a threshold, over-correction beside the one-sided SRS-Schwab grades, reader
names instead of keys, no internal document references, angles to one decimal. The CLI's
outputs here; the GUI and the PDF in tests/ui/test_reader_outputs_ui.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.anatomy.landmarking import landmark_name
from alignment_planner.calibration.spacing import Calibration, PixelSpacing
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.output.followup_report import build_followup_page, followup_caption
from alignment_planner.output.reader_text import has_internal_reference
from alignment_planner.output.report import build_report_content
from alignment_planner.output.rows import UNSURE_NOTE, classification_stages, report_classification_lines
from alignment_planner.plan.model import FollowUp, Osteotomy, Plan
from alignment_planner.planning.solve import solve
from alignment_planner.targets.presets import preset_by_id
from alignment_planner.teaching.cases import find_cases
from alignment_planner_launcher import main
from tests.core.issue15_plans import FLATBACK_FILE, NORMAL_FILE, normal
from tests.reader_words import raw_keys

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))
# The review's gross over-correction: the normal adult (PI 52°, LL 57°) with a 30° PSO at L3 and
# a 10° SPO at T12–L1. L1–S1 lordosis gains the PSO's 30° only (the SPO is above L1): LL 87°,
# PI−LL = 52 − 87 = −35°, far below the −10° lower edge of clinical.md §4.7.
OVERCORRECTED = (Osteotomy("PSO", "L3", 30.0), Osteotomy("SPO", "T12-L1", 10.0))


def _standalone(plan: Plan, source: Path, target: Path) -> Path:
    """``plan`` written to ``target`` with its image path made absolute (it stays findable)."""
    assert plan.image is not None and plan.image.path is not None
    image = replace(plan.image, path=str((source.parent / plan.image.path).resolve()))
    write_plan(replace(plan, image=image), target)
    return target


@pytest.fixture(scope="module")
def overcorrected_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overcorrected")
    return _standalone(normal(*OVERCORRECTED), NORMAL_FILE, folder / "overcorrected.plan.json")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


# --- A2: "?" where a band straddles a threshold -------------------------------------------------


def test_measure_flags_a_band_that_straddles_a_threshold_and_says_what_it_means(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _cli(capsys, "measure", str(FLATBACK_FILE), "--preset", "srs-schwab", "--uncertainty")
    sva = next(line for line in out.splitlines() if line.startswith("SVA "))
    # Planned SVA 20.1 mm with a ± 82.9 mm band: 40 mm (the modifier's 0 band, clinical.md §2.2)
    # lies inside 20.1 ± 82.9, so the "within" verdict could go either way.
    assert "82.9?" in sva and "within" in sva
    assert UNSURE_NOTE in out


def test_the_report_shows_both_bands_flagged_and_the_flag_in_words() -> None:
    plan = read_plan(FLATBACK_FILE)
    analysis = analyze(plan)
    content = build_report_content(
        plan, analysis, case_name="c", preset=preset_by_id("srs-schwab"),
        uncertainty=propagate(plan, analysis=analysis), today=dt.date(2026, 11, 30),
    )
    sva = next(r for r in content.rows if r.key == "SVA")
    assert sva.band_cells.startswith("±") and " → " in sva.band_cells  # pre-op → planned, as on screen
    assert sva.band_cells.endswith("±82.9?")
    assert UNSURE_NOTE in content.uncertainty
    assert "planned SVA 20.1 ± 82.9 mm: could be either side of 40 mm" in content.uncertainty


# --- A3: over-correction beside the one-sided grades --------------------------------------------


def test_schwab_line_marks_a_gross_overcorrection_beside_the_grade() -> None:
    plan = normal(*OVERCORRECTED)
    analysis = analyze(plan)
    assert analysis.postop.value("PI_LL") == pytest.approx(-35.0, abs=0.05)
    schwab = report_classification_lines(classification_stages(plan, analysis))[0]
    # The published modifier grades −35° as 0 (one-sided); the line must not read as aligned.
    assert "PI−LL 0 → 0, over-corrected (planned -35.0°)" in schwab
    assert "SVA 0 → 0, over-corrected (planned -" in schwab
    assert "PT 0 → 0;" in schwab  # PT 13° is not an over-correction


def test_an_aligned_plan_carries_no_overcorrection_mark() -> None:
    plan = normal()
    line = report_classification_lines(classification_stages(plan, analyze(plan)))[0]
    assert "over-corrected" not in line and "PI−LL 0" in line


# --- C2, C3, D: the CLI's words -------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_measure_shows_reader_names_and_no_internal_references(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    out = _cli(capsys, "measure", str(path), "--preset", "srs-schwab", "--uncertainty")
    assert raw_keys(out) == []
    assert [line for line in out.splitlines() if has_internal_reference(line)] == []


def test_overcorrected_measure_solve_and_suggest_speak_to_a_reader(
    capsys: pytest.CaptureFixture[str], overcorrected_file: Path
) -> None:
    texts = [
        _cli(capsys, "measure", str(overcorrected_file), "--preset", "srs-schwab", "--uncertainty"),
        _cli(capsys, "solve", str(FLATBACK_FILE), "--type", "PSO", "--level", "L3", "--target", "PI_LL=0"),
        _cli(capsys, "suggest", str(FLATBACK_FILE), "--preset", "srs-schwab", "--limit", "2"),
        _cli(capsys, "suggest", str(FLATBACK_FILE), "--goal", "PI_LL<10", "--goal", "SVA<40", "--limit", "2"),
    ]
    for text in texts:
        assert raw_keys(text) == [], text
        assert [line for line in text.splitlines() if has_internal_reference(line)] == [], text
    assert "over-corrected (planned -35.0°)" in texts[0]
    assert "PI−LL" in texts[1] and "PI−LL" in texts[2]


def test_solved_angles_read_to_one_decimal() -> None:
    solution = solve(normal(), "PSO", "L3", "SVA", -40.0)
    assert solution.reached
    raw = solution.osteotomy.angle_deg
    assert raw != round(raw, 1)  # the solver's own angle has more digits than a reader wants
    assert f"{round(raw, 1):.1f}°" in solution.message and f"{raw}" not in solution.message
    assert Osteotomy("PSO", "L3", 27.1392).summary == "PSO L3 27.1°"


def test_measure_prints_an_unrounded_angle_to_one_decimal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = normal(Osteotomy("PSO", "L3", 27.1392))
    out = _cli(capsys, "measure", str(_standalone(plan, NORMAL_FILE, tmp_path / "p.plan.json")))
    assert "PSO at L3, 27.1°" in out and "27.1392" not in out


def test_teaching_notes_carry_no_internal_references() -> None:
    for case in find_cases(ROOT / "sample_cases"):
        found = [line for line in case.notes_text().splitlines() if has_internal_reference(line)]
        assert found == [], case.id


def test_reader_names_for_landmarks_and_calibration_sources() -> None:
    assert landmark_name("L1.ant_sup") == "L1 anterior-superior corner"
    assert landmark_name("L4.center") == "L4 body centre"
    assert landmark_name("femoral_heads.0") == "femoral head 1"
    described = Calibration(PixelSpacing.isotropic(0.2), "dicom-pixel-spacing").describe()
    assert raw_keys(described) == [] and "DICOM pixel spacing" in described


def test_followup_captions_name_the_interval_without_identifying_the_patient() -> None:
    followup = FollowUp(label="1 year", date="2027-03-15")
    assert followup_caption(0, followup, identify=True) == "1 year (2027-03-15)"
    assert followup_caption(0, followup, identify=False) == "Follow-up 1 (1 year)"
    named = FollowUp(label="Dr Smith's clinic", date="2027-03-15")
    assert followup_caption(1, named, identify=False) == "Follow-up 2"  # free text stays out


def test_followup_page_reads_in_reader_names_and_degree_signs() -> None:
    plan = read_plan(FLATBACK_FILE)
    page = build_followup_page(plan, analyze(plan), identify=False)
    assert page is not None
    assert {r.unit for r in page.rows} <= {"°", "mm", "%"}
    assert "PI−LL" in [r.label for r in page.rows]
    assert raw_keys(" ".join([*page.misses, page.note, *(r.label for r in page.rows)])) == []
