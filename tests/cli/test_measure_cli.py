"""``alignment-planner measure`` against contract.md §3."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from alignment_planner.measurements import PARAMETERS
from alignment_planner_launcher import main

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"
NORMAL = ROOT / "sample_cases" / "normal_adult" / "normal_adult.plan.json"
CONTRACT_KEYS = {
    "PI", "PT", "SS", "LL", "L4S1", "LDI", "TK", "TLJ", "CL", "T1S", "TS_CL", "SVA", "cSVA",
    "TPA", "CPA", "L1PA", "T4PA", "GT", "PI_LL",
}


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(["measure", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_object_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    record = _json(capsys, str(FLATBACK))
    assert isinstance(record, dict)
    assert {"plan", "facing", "calibration", "preop", "postop", "warnings"} <= set(record)
    assert record["plan"] == str(FLATBACK)
    assert record["facing"] == "right"
    assert record["calibration"] == {"pixel_spacing_mm": [0.4, 0.4], "source": "dicom-pixel-spacing"}
    for stage in ("preop", "postop"):
        assert CONTRACT_KEYS <= set(record[stage])
        assert all(isinstance(v, float) for v in record[stage].values())
    assert record["preop"]["PI"] == pytest.approx(62.0, abs=0.01)
    assert record["postop"]["LL"] - record["preop"]["LL"] == pytest.approx(30.0, abs=0.01)
    assert record["postop"]["PT"] == pytest.approx(20.0, abs=0.01)
    for stage in ("preop", "postop"):
        classification = record["classification"][stage]
        assert set(classification["schwab"]) == {"PI_LL", "PT", "SVA"}
        assert set(classification["gap"]) == {"RPV", "RLL", "LDI", "RSA", "age", "total", "category"}
        assert classification["roussouly"] in {"1", "2", "3", "3AP", "4"}
    assert record["classification"]["preop"]["schwab"] == {"PI_LL": "++", "PT": "++", "SVA": "++"}
    assert record["classification"]["preop"]["gap"]["category"] == "SD"


def test_several_plans_give_an_array_in_argument_order(capsys: pytest.CaptureFixture[str]) -> None:
    records = _json(capsys, str(NORMAL), str(FLATBACK))
    assert isinstance(records, list)
    assert [r["plan"] for r in records] == [str(NORMAL), str(FLATBACK)]


def test_not_measurable_is_null_with_a_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = json.loads(FLATBACK.read_text())
    del plan["image"]["pixel_spacing_mm"]
    del plan["landmarks"]["T4"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plan))
    record = _json(capsys, str(path))
    assert record["preop"]["SVA"] is None and record["preop"]["TK"] is None  # type: ignore[index]
    assert record["calibration"] == {"pixel_spacing_mm": None, "source": "uncalibrated"}  # type: ignore[index]
    reasons = record["not_measurable"]["preop"]  # type: ignore[index]
    assert reasons["SVA"].startswith("uncalibrated")
    assert "T4.post_sup" in reasons["TK"]
    assert main(["measure", str(path)]) == 0
    table = capsys.readouterr().out
    assert "not measurable: uncalibrated" in table and "not measurable: missing T4.post_sup" in table


def test_table_lists_every_registered_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measure", str(FLATBACK)]) == 0
    out = capsys.readouterr().out
    for parameter in PARAMETERS:
        # The reader name ("PI−LL"), then the full name: never the key (issue 14, review C2).
        assert re.search(rf"^{re.escape(parameter.label)} +{re.escape(parameter.name)}", out, re.M), parameter.key
    assert "pre-op" in out and "planned" in out and "PSO at L3, 30.0°" in out
    assert "L5-S1" in out


def test_csv_has_one_row_per_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cohort.csv"
    assert main(["measure", str(NORMAL), str(FLATBACK), "--csv", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert [r["plan"] for r in rows] == [str(NORMAL), str(FLATBACK)]
    assert float(rows[1]["preop_PI"]) == pytest.approx(62.0, abs=0.01)
    assert float(rows[1]["postop_LL"]) == pytest.approx(55.0, abs=0.01)
    assert float(rows[0]["preop_seg_L5-S1"]) == pytest.approx(22.0, abs=0.01)
    assert capsys.readouterr().out == ""  # the CSV is the output asked for


def test_csv_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measure", str(NORMAL), "--csv", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("plan,facing,") and len(lines) == 2


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alignment_planner", *args], capture_output=True, text=True,
        cwd=cwd, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_python_dash_m_works() -> None:
    result = _cli("measure", str(NORMAL), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["preop"]["PT"] == pytest.approx(13.0, abs=0.01)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"format": "alignment-planner-plan", "version": 9, "landmarks": {}}', "version 9 is newer"),
        ('{"format": "alignment-planner-plan", "version": 1, "landmarks": {"L3": {"ant_sup": "abc"}}}',
         'landmarks.L3.ant_sup: expected two finite numbers [x, y], got "abc"'),
    ],
)
def test_errors_exit_2_with_one_line(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    result = _cli("measure", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0], result.stderr
    assert words in lines[0]


@pytest.mark.parametrize(
    "args", [["measure"], ["frobnicate"], ["measure", "x.json", "--bogus"]]
)
def test_usage_errors_exit_2_with_one_line(args: list[str]) -> None:
    result = _cli(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


def test_unwritable_csv_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.csv"
    result = _cli("measure", str(NORMAL), "--csv", str(target))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and str(target) in result.stderr
    assert not target.parent.exists()


def test_keep_going_reports_each_bad_plan(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    out = tmp_path / "out.csv"
    result = _cli("measure", str(NORMAL), str(bad), str(FLATBACK), "--csv", str(out), "--keep-going")
    assert result.returncode == 2
    assert result.stderr.count("error: ") == 1 and str(bad) in result.stderr
    assert len(list(csv.DictReader(out.open()))) == 2


def test_help_lists_the_commands() -> None:
    result = _cli("--help")
    assert result.returncode == 0
    assert all(command in result.stdout for command in ("measure", "inspect", "gui", "render"))


def test_no_arguments_opens_the_gui_on_the_case_picker() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "ALIGNMENT_PLANNER_EXIT_WHEN_READY": "1", "ALIGNMENT_PLANNER_SETTINGS": "/dev/null/none.ini"}
    result = subprocess.run([sys.executable, "-m", "alignment_planner"], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "ready after" in result.stderr


def test_cohort_in_worker_processes_matches_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Large cohorts go through worker processes: same rows, same order, errors still one line."""
    from alignment_planner.cli import measure as measure_module

    plans = [str(NORMAL), str(FLATBACK)] * (measure_module.PARALLEL_FROM // 2 + 5)
    serial, parallel = tmp_path / "serial.csv", tmp_path / "parallel.csv"
    assert main(["measure", *plans, "--csv", str(serial), "--jobs", "1"]) == 0
    assert main(["measure", *plans, "--csv", str(parallel), "--jobs", "2"]) == 0
    assert serial.read_text() == parallel.read_text()
    assert serial.read_text().count("\n") == len(plans) + 1

    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    capsys.readouterr()
    assert main(["measure", *plans, str(bad), "--csv", str(tmp_path / "x.csv"), "--jobs", "2"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {bad}: format: missing")
    assert not (tmp_path / "x.csv").exists()


def test_inspect_json_has_the_contract_keys(tmp_path: Path) -> None:
    import numpy as np

    from tests.imaging.dicom_factory import write_dicom

    path = write_dicom(tmp_path / "x.dcm", np.zeros((20, 10), dtype=np.uint16), PixelSpacing=[0.2, 0.25])
    result = _cli("inspect", str(path), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert {"path", "format", "width", "height", "bits_stored", "photometric", "modality",
            "transfer_syntax", "frames", "pixel_spacing_mm", "calibration"} <= set(record)
    assert (record["format"], record["width"], record["height"]) == ("dicom", 10, 20)
    assert record["pixel_spacing_mm"] == [0.2, 0.25] and record["calibration"] == "pixel-spacing"
    table = _cli("inspect", str(path))
    assert table.returncode == 0 and "pixel-spacing" in table.stdout


def test_inspect_errors_are_one_line(tmp_path: Path) -> None:
    from pydicom.data import get_testdata_file

    for path in (tmp_path / "missing.dcm", Path(get_testdata_file("JPGExtended.dcm"))):
        result = _cli("inspect", str(path))
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr


def test_json_reports_the_compensation_and_each_wedge(capsys: pytest.CaptureFixture[str]) -> None:
    record = _json(capsys, str(FLATBACK))
    assert record["compensation"]["model"] == "pt_target"  # type: ignore[index]
    assert "PT released to at most 20.0°" in record["compensation"]["assumption"]  # type: ignore[index]
    # Counter-clockwise positive in the anatomical frame: a pelvis turned by −11° loses 11° of PT.
    rotation = record["compensation"]["pelvic_rotation_deg"]  # type: ignore[index]
    assert rotation == pytest.approx(record["postop"]["PT"] - record["preop"]["PT"], abs=1e-5)  # type: ignore[index]
    (wedge,) = record["osteotomies"]  # type: ignore[index]
    assert wedge["type"] == "PSO" and wedge["level"] == "L3" and wedge["angle_deg"] == 30.0
    assert 15.0 < wedge["closure_mm"] < 30.0 and "posterior wall" in wedge["closure_basis"]


def test_uncertainty_block_is_optional_and_scales(capsys: pytest.CaptureFixture[str]) -> None:
    plain = _json(capsys, str(FLATBACK))
    assert "uncertainty" not in plain  # type: ignore[operator]
    assert main(["measure", str(FLATBACK), "--json", "--uncertainty", "2"]) == 0
    block = json.loads(capsys.readouterr().out)["uncertainty"]
    assert block["point_sd_mm"] == 2.0 and set(block["preop"]) >= CONTRACT_KEYS
    assert main(["measure", str(FLATBACK), "--json", "--uncertainty", "1"]) == 0
    half = json.loads(capsys.readouterr().out)["uncertainty"]
    assert half["preop"]["PI"] == pytest.approx(block["preop"]["PI"] / 2.0, rel=1e-5)
    assert main(["measure", str(FLATBACK), "--uncertainty"]) == 0
    assert "± pre" in capsys.readouterr().out
    assert main(["measure", str(FLATBACK), "--uncertainty", "-1"]) == 2
