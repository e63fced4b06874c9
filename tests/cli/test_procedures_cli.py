"""Procedures on the command line (contract.md §3, §4.8): the table lists them cranial to caudal,
the JSON keeps the file's order in the plan, an unknown type is a warning naming the closest key,
a bad option is exit 2 with one line naming the field, and solve refuses a disc prosthesis inside
a fusion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alignment_planner_launcher import main

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"


def _plan(tmp_path: Path, procedures: list[dict[str, Any]]) -> Path:
    doc = json.loads(FLATBACK.read_text())
    doc.pop("image", None)
    doc["osteotomies"] = []
    doc["procedures"] = procedures
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return path


def test_table_order_and_unknown_type_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _plan(tmp_path, [
        {"type": "discectomy", "level": "L5-S1", "approach": "endoscopic"},
        {"type": "laminotomy", "level": "L3"},
        {"type": "spinoplasty", "level": "L2", "action": "reshape"},
    ])
    assert main(["measure", str(path)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("procedure:")]
    assert lines == [
        "procedure: spinoplasty L2 (reshape, no alignment effect)",
        "procedure: laminotomy L3 (not in the catalogue)",
        "procedure: discectomy L5-S1 (endoscopic)",
    ]
    assert 'procedures[1]: unknown procedure type "laminotomy"' in out and '"laminectomy"' in out
    assert main(["measure", str(path), "--json"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any('did you mean "laminectomy"?' in w for w in warnings)


def test_bad_option_is_one_line_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _plan(tmp_path, [{"type": "foraminotomy", "level": "L4-L5", "side": "both"}])
    assert main(["measure", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err
    assert "procedures[0].side" in err and "left, right, bilateral" in err


def test_solve_refuses_a_disc_prosthesis_inside_a_fusion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _plan(tmp_path, [{"type": "fusion", "from": "T10", "to": "S1", "status": "existing"}])
    assert main(["solve", str(path), "--type", "TDR", "--level", "L4-L5", "--target", "LL=40"]) == 2
    assert "inside the existing fusion T10–S1" in capsys.readouterr().err
