"""The bundled teaching cases (issue 7 §2): every case is complete, measures to its stored values,
and its film, plan and notes agree."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import load_radiograph
from alignment_planner.teaching.cases import CaseError, find_cases, load_case

CASES = find_cases()
REQUIRED = {
    "normal_adult", "flatback_pso", "posttraumatic_kyphosis", "ankylosing_spondylitis",
    "scheuermann_kyphosis", "osteoporotic_fracture", "degenerative_spondylolisthesis",
    "high_pi_hyperlordosis",
}


def test_the_eight_teaching_cases_are_there() -> None:
    assert REQUIRED <= {case.id for case in CASES}
    assert [c.difficulty for c in CASES] == sorted(
        (c.difficulty for c in CASES), key=("introductory", "intermediate", "advanced").index
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_measures_to_its_stored_values(case) -> None:  # type: ignore[no-untyped-def]
    expected = json.loads((case.folder / "expected.json").read_text())
    plan = read_plan(case.plan_path)
    analysis = analyze(plan)
    for key, value in expected["ground_truth"].items():  # the geometry the film was drawn from
        assert analysis.preop.value(key) == pytest.approx(value, abs=0.02), key
    for stage, measured in (("preop", analysis.preop), ("postop", analysis.postop)):
        for key, value in expected[stage].items():
            got = measured.value(key)
            assert (got is None) == (value is None), (stage, key)
            if value is not None:
                assert got == pytest.approx(value, abs=1e-3), (stage, key)
    assert all(v.measured for v in analysis.preop.values.values())  # a full C2–S1 expert set


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_measures_to_its_construction(case) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 §7: every value, pre-op and planned, against the phantom's own construction
    (segment angles and exact points, alignment_planner.synthetic.truth), not against what the
    code returned when the case was made. Landmarks are rounded to 0.01 px (0.004 mm): 0.03."""
    truth = json.loads((case.folder / "expected.json").read_text())["truth"]
    analysis = analyze(read_plan(case.plan_path))
    for stage, measured in (("preop", analysis.preop), ("postop", analysis.postop)):
        assert set(truth[stage]) >= {"LL", "TK", "TK_T2T12", "CL", "TS_CL", "SVA", "C2S1_SVA", "T1SPI"}
        for key, value in truth[stage].items():
            assert measured.value(key) == pytest.approx(value, abs=0.03), (stage, key)


def test_construction_truth_is_computed_not_copied() -> None:
    """The truth module recomputes the stored numbers from the spine's specification."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import make_sample_cases  # type: ignore[import-not-found]

    from alignment_planner.synthetic.truth import expected_values

    for spec_case in make_sample_cases.CASES:
        stored = json.loads((make_sample_cases.ROOT / spec_case.name / "expected.json").read_text())["truth"]
        pre, post = expected_values(spec_case.spec, spec_case.plan.osteotomies, spec_case.plan.compensation)
        assert pre == pytest.approx(stored["preop"], abs=1e-4) and post == pytest.approx(stored["postop"], abs=1e-4)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_film_plan_and_notes_agree(case) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(case.plan_path)
    assert plan.image is not None and plan.image.path == "image.dcm"
    assert hashlib.sha256(case.image_path.read_bytes()).hexdigest() == plan.image.sha256
    film = load_radiograph(case.image_path)
    assert film.calibration.spacing is not None and plan.image.pixel_spacing is not None
    assert film.calibration.spacing.as_list() == plan.image.pixel_spacing.as_list()
    assert film.patient["name"] == plan.patient.name and film.patient["age"].startswith("0")  # type: ignore[union-attr]
    assert (case.folder / "thumbnail.png").is_file()
    assert case.notice and case.alternatives and case.rationale
    assert case.ball_center is not None and case.ball_diameter_mm == 25.0
    x, y = case.ball_center
    assert 0 < x < film.width and 0 < y < film.height
    assert "What to notice" in case.notes_text()


def test_broken_case_files_name_the_field(tmp_path: Path) -> None:
    source = CASES[0]
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / source.plan_path.name).write_text(source.plan_path.read_text())
    document = json.loads((source.folder / "case.json").read_text())
    for change, words in (
        ({"difficulty": "easy"}, "difficulty: expected one of"),
        ({"notice": "just text"}, "notice: expected a list of text"),
        ({"plan": "missing.plan.json"}, "plan: missing.plan.json does not exist"),
        ({"calibration_ball": {"center_px": [1, 2]}}, "calibration_ball"),
        ({"version": 2}, "version: expected 1"),
    ):
        (folder / "case.json").write_text(json.dumps({**document, **change}))
        with pytest.raises(CaseError, match=words):
            load_case(folder)
    (folder / "case.json").write_text("{not json")
    with pytest.raises(CaseError, match="not valid JSON"):
        load_case(folder)
    # Beside a good case, a broken one is left out and reported, not fatal to the picker.
    good = tmp_path / source.id
    good.mkdir()
    for item in source.folder.iterdir():
        (good / item.name).write_bytes(item.read_bytes())
    problems: list[str] = []
    assert [c.id for c in find_cases(tmp_path, problems)] == [source.id]
    assert len(problems) == 1 and "not valid JSON" in problems[0]
    with pytest.raises(CaseError):
        find_cases(tmp_path)


def test_the_tool_regenerates_a_case_exactly(tmp_path: Path) -> None:
    """tools/make_sample_cases.py writes the same bytes it wrote before (deterministic film,
    fixed UIDs, same plan and notes)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    try:
        import make_sample_cases as tool
    finally:
        sys.path.pop(0)
    case = next(c for c in tool.CASES if c.name == "osteoporotic_fracture")
    tool.build_case(case, tmp_path)
    shipped = next(c for c in CASES if c.id == "osteoporotic_fracture").folder
    for name in ("image.dcm", f"{case.name}.plan.json", "case.json", "expected.json", "thumbnail.png"):
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
