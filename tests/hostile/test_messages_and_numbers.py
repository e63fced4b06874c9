"""Internal errors become the one-line contract (issue 16): huge integers, coordinates beyond any
film, a level name with a newline, a 2 MB field, non-UTF-8 file names, an empty output name."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from alignment_planner.errors import PlanFileError
from alignment_planner.files.plan_reader import parse_plan, read_plan
from alignment_planner.safety.quoting import MESSAGE_LIMIT, one_line, printable_path, quoted
from alignment_planner_launcher import main

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"
MINIMAL = {
    "format": "alignment-planner-plan",
    "version": 1,
    "landmarks": {"S1": {"post_sup": [1010.0, 4120.0], "ant_sup": [1190.0, 4171.0]}},
}


def _errors(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err.splitlines()


def _write(tmp_path: Path, text: str, name: str = "p.plan.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_integer_of_5000_digits_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(MINIMAL).replace("1010.0", "1" * 5000)
    code, lines = _errors(capsys, "measure", str(_write(tmp_path, text)))
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ")
    assert "5000 digits" in lines[0] and "internal" not in lines[0]


@pytest.mark.parametrize("value", [1e155, -1e200, 1e12, 1.7e308])
def test_coordinates_beyond_any_film_are_refused(value: float) -> None:
    doc = json.loads(json.dumps(MINIMAL))
    doc["landmarks"]["S1"]["post_sup"] = [value, 4120.0]
    with pytest.raises(PlanFileError, match=r"landmarks\.S1\.post_sup: coordinates are pixels"):
        parse_plan(json.dumps(doc))


def test_a_huge_hinge_is_refused_before_the_rod_template_sees_it() -> None:
    doc = json.loads(FLATBACK.read_text())
    doc["osteotomies"][0]["hinge"] = [1e12, 1e12]
    with pytest.raises(PlanFileError, match="hinge"):
        parse_plan(json.dumps(doc))


def test_a_level_name_with_a_newline_gives_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _errors(
        capsys, "solve", str(FLATBACK), "--type", "PSO", "--level", "L3\nerror: forged", "--target", "SVA=40"
    )
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and "\\n" in lines[0]


def test_a_2mb_field_is_not_echoed_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(json.dumps(MINIMAL))
    doc["osteotomies"] = [{"type": "PSO", "level": "L" * 2_000_000, "angle_deg": 30}]
    code, lines = _errors(capsys, "measure", str(_write(tmp_path, json.dumps(doc))))
    assert code == 2 and len(lines) == 1 and len(lines[0]) <= MESSAGE_LIMIT + 60


def test_a_long_goal_is_quoted_short(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _errors(capsys, "suggest", str(FLATBACK), "--goal", "SVA<" + "9" * 3_000_000)
    assert code == 2 and len(lines) == 1 and len(lines[0]) <= MESSAGE_LIMIT + 60


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_non_utf8_file_name_works_with_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"patient-\xe9\xff.plan.json")
    plan = tmp_path / name
    plan.write_bytes(FLATBACK.read_bytes().replace(b'"path": "image.dcm"', b'"path": null'))
    out = tmp_path / "out.csv"
    assert main(["measure", str(plan), "--csv", str(out)]) == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "patient-\\xe9\\xff.plan.json" in text
    assert main(["measure", str(plan)]) == 0
    assert "patient-\\xe9\\xff" in capsys.readouterr().out


def test_an_empty_output_name_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["render", str(FLATBACK), "-o", ""], ["report", str(FLATBACK), "-o", ""],
                 ["measure", str(FLATBACK), "--csv", ""], ["anonymise", str(FLATBACK), "-o", ""]):
        code, lines = _errors(capsys, *argv)
        assert code == 2 and len(lines) == 1 and "empty" in lines[0], (argv, lines)


def test_the_quoting_helper_escapes_and_cuts() -> None:
    assert one_line("a\nb\x1b[31m\ud800") == "a\\nb\\x1b[31m\\ud800"
    assert quoted("x" * 500).startswith("x" * 80 + "… (420 more")
    assert printable_path(os.fsdecode(b"a\xff")) == "a\\xff"
    one_line("\udcff").encode("utf-8")


def test_lone_surrogates_are_repaired_on_read_and_said(tmp_path: Path) -> None:
    doc = json.loads(FLATBACK.read_text())
    raw = json.dumps(doc).replace('"notes": "', '"notes": "\\ud83d cut emoji ')
    plan = read_plan(_write(tmp_path, raw))
    assert plan.notes is not None and plan.notes.startswith("\ufffd cut emoji")
    assert plan.read_notes and "broken character" in plan.read_notes[0]
    from alignment_planner.files.plan_writer import write_plan

    out = tmp_path / "saved.plan.json"
    write_plan(plan, out)  # used to fail with UnicodeEncodeError
    assert read_plan(out).notes == plan.notes


def test_a_valid_surrogate_pair_is_kept(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(MINIMAL))
    doc["notes"] = "ok \U0001f600"
    plan = read_plan(_write(tmp_path, json.dumps(doc)))  # ensure_ascii: written as a pair
    assert plan.notes == "ok \U0001f600" and plan.read_notes == ()


def test_nan_range_goal_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for goal in ("SVA=nan..5", "SVA=0..inf", "SVA=nan"):
        code, lines = _errors(capsys, "suggest", str(FLATBACK), "--goal", goal)
        assert code == 2 and "finite" in lines[0], (goal, lines)


def test_repeated_suggest_levels_are_searched_once(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import alignment_planner.cli.solve as solve_cli

    seen: dict[str, object] = {}
    real = solve_cli.search

    def spy(plan, goals, *, types, levels, pairs, limit):  # type: ignore[no-untyped-def]
        seen["levels"], seen["types"] = list(levels), list(types)
        return real(plan, goals, types=types, levels=levels[:1], pairs=False, limit=limit)

    monkeypatch.setattr(solve_cli, "search", spy)
    main(["suggest", str(FLATBACK), "--goal", "SVA<50", "--levels", "L3,L3,L3,L4,L3", "--types", "PSO,PSO"])
    assert seen == {"levels": ["L3", "L4"], "types": ["PSO"]}
