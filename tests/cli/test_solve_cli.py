"""``alignment-planner solve`` (contract.md §3) and ``suggest``."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Osteotomy
from alignment_planner_launcher import main

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"


def test_solve_json_has_the_contract_shape_and_the_angle_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(FLATBACK), "--type", "SPO", "--level", "T12-L1", "--target", "TPA=12", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {"type", "level", "angle_deg", "postop"}
    assert record["type"] == "SPO" and record["level"] == "T12-L1"
    assert record["postop"]["TPA"] == pytest.approx(12.0, abs=1e-4)
    plan = read_plan(FLATBACK)
    added = (*plan.osteotomies, Osteotomy("SPO", "T12-L1", record["angle_deg"]))
    assert analyze(replace(plan, osteotomies=added)).postop.values["TPA"].value == pytest.approx(12.0, abs=1e-4)


def test_solve_human_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(FLATBACK), "--type", "PSO", "--level", "L4", "--target", "SVA=-20"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("PSO at L4: ") and "gives SVA -20.0 mm" in out and "\n" not in out


def test_unreachable_target_exits_3_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(FLATBACK), "--type", "SPO", "--level", "L1-L2", "--target", "SVA=-500"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "closest is SVA" in lines[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--type", "PSO", "--level", "L9", "--target", "SVA=0"], "unknown level"),
        (["--type", "SPO", "--level", "L1-L3", "--target", "SVA=0"], "L1-L3"),
        (["--type", "PSO", "--level", "L3", "--target", "SVA"], "KEY=VALUE"),
        (["--type", "PSO", "--level", "L3", "--target", "SVA=abc"], "not a number"),
        (["--type", "PSO", "--level", "L3", "--target", "SVA=nan"], "finite"),
        (["--type", "PSO", "--level", "L3", "--target", "WHAT=3"], "unknown target"),
        (["--type", "NOPE", "--level", "L3", "--target", "SVA=3"], "unknown osteotomy type"),
    ],
)
def test_bad_solve_input_exits_2_with_one_error_line(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert main(["solve", str(FLATBACK), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and words in err[0]


def test_solve_on_a_missing_plan_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["solve", str(tmp_path / "none.json"), "--type", "PSO", "--level", "L3", "--target", "SVA=0"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_suggest_lists_ranked_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", str(FLATBACK), "--goal", "PI_LL<10", "--goal", "SVA<40", "--json"]) == 0
    options = json.loads(capsys.readouterr().out)
    assert 1 <= len(options) <= 5 and options[0]["meets_all_goals"]
    assert main(["suggest", str(FLATBACK), "--goal", "TPA<5", "--single", "--limit", "2", "--margin", "0"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("goals: TPA ≤ 5") and "1. " in text and "3. " not in text
    # issue 15 §2: by default a goal is aimed inside by the value's own 95 % landmark band
    assert main(["suggest", str(FLATBACK), "--goal", "TPA<5", "--single", "--limit", "1"]) == 0
    text = capsys.readouterr().out
    assert "aiming inside each edge by the value's 95 % landmark band: TPA" in text
    assert not text.startswith("goals: TPA ≤ 5\n")
    assert main(["suggest", str(FLATBACK), "--goal", "TPA<5", "--margin", "2"]) == 0
    assert capsys.readouterr().out.startswith("goals: TPA ≤ 3\naiming inside each edge by the given --margin")
    assert main(["suggest", str(FLATBACK), "--goal", "TPA<<5"]) == 2


def test_solve_runs_as_a_console_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alignment_planner", "solve", str(FLATBACK), "--type", "PSO", "--level", "L3",
         "--target", "PI_LL=0", "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["postop"]["PI_LL"] == pytest.approx(0.0, abs=1e-4)


def test_suggest_takes_a_preset_as_its_goals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", str(FLATBACK), "--preset", "srs-schwab", "--limit", "1", "--margin", "0"]) == 0
    # clinical.md §4.7: two-sided bands, the SRS-Schwab SVA modifier's 0 band is < 40 mm
    assert capsys.readouterr().out.startswith("goals: PI−LL -10…10, PT 0…20, SVA -30…40, TPA -5…20")
    assert main(["suggest", str(FLATBACK), "--preset", "nope"]) == 2
    assert "unknown target preset" in capsys.readouterr().err
    assert main(["suggest", str(FLATBACK)]) == 2
    assert "--preset" in capsys.readouterr().err


def test_solve_to_a_preset_edge(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = json.loads(FLATBACK.read_text())
    plan["osteotomies"] = []
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plan))
    solve = ["solve", str(path), "--type", "PSO", "--level", "L4", "--target", "SVA@srs-schwab", "--json"]
    assert main([*solve, "--margin", "0"]) == 0  # the edge of the SRS-Schwab 0 band: SVA < 40 mm
    assert json.loads(capsys.readouterr().out)["postop"]["SVA"] == pytest.approx(40.0, abs=1e-4)
    assert main([*solve, "--margin", "5"]) == 0  # aimed 5 mm inside the edge (issue 15 §2)
    assert json.loads(capsys.readouterr().out)["postop"]["SVA"] == pytest.approx(35.0, abs=1e-4)
    assert main(solve) == 0  # by default inside by the value's own landmark band
    assert json.loads(capsys.readouterr().out)["postop"]["SVA"] < 40.0 - 1.0
    assert main(["solve", str(path), "--type", "PSO", "--level", "L4", "--target", "PI@srs-schwab"]) == 2
    assert "no target for PI" in capsys.readouterr().err
