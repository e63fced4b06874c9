"""``measure`` with free measurements (contract.md §4.2): JSON in file order, the table block,
uncalibrated plans and bad annotations (exit 2, one line)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from alignment_planner_launcher import main

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"  # 0.4 mm/px, PSO L3 30°


def _plan(tmp_path: Path, annotations: list[dict[str, Any]], spacing: Any = 0.4) -> Path:
    doc = json.loads(FLATBACK.read_text())
    doc["image"].pop("path")
    doc["image"].pop("sha256")
    doc["image"]["pixel_spacing_mm"] = spacing
    if spacing is None:
        doc["image"].pop("calibration")
    doc["annotations"] = annotations
    path = tmp_path / "annotated.plan.json"
    path.write_text(json.dumps(doc))
    return path


def _record(capsys: pytest.CaptureFixture[str], plan: Path) -> dict[str, Any]:
    assert main(["measure", str(plan), "--json"]) == 0
    record: dict[str, Any] = json.loads(capsys.readouterr().out)
    return record


def test_json_lists_each_annotation_in_file_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(FLATBACK.read_text())["landmarks"]
    t12, l4 = doc["T12"], doc["L4"]
    plan = _plan(tmp_path, [
        {"type": "text", "at": [10, 10], "text": "Modic 1"},
        {"type": "distance", "points": [[100, 100], [400, 500]], "label": "ruler"},
        {"type": "angle", "points": [[200, 100], [100, 100], [100, 0]]},
        # Superior endplate of T12 against the inferior endplate of L4, drawn right-to-left.
        {"type": "cobb", "lines": [[t12["ant_sup"], t12["post_sup"]], [l4["ant_inf"], l4["post_inf"]]]},
        {"type": "vertical", "points": [[500, 100], [450, 900]]},
    ])
    record = _record(capsys, plan)
    items = record["annotations"]
    assert [a["type"] for a in items] == ["text", "distance", "angle", "cobb", "vertical"]
    assert all({"type", "label", "value", "unit"} <= set(a) for a in items)
    assert items[0]["value"] is None and items[0]["unit"] is None and items[0]["text"] == "Modic 1"
    assert (items[1]["label"], items[1]["unit"]) == ("ruler", "mm")
    assert items[1]["value"] == pytest.approx(200.0)  # 500 px × 0.4 mm
    assert items[2]["value"] == pytest.approx(90.0) and items[2]["unit"] == "deg"
    assert items[2]["label"] is None and items[2]["name"] == "Angle 1"
    assert items[4]["value"] == pytest.approx(20.0)  # 50 px × 0.4, the line anterior (facing right)
    # The PSO at L3 (30°) closes between the two endplates: the planned Cobb is 30° more lordotic.
    ux, uy = t12["post_sup"][0] - t12["ant_sup"][0], t12["post_sup"][1] - t12["ant_sup"][1]
    vx, vy = l4["post_inf"][0] - l4["ant_inf"][0], l4["post_inf"][1] - l4["ant_inf"][1]
    by_hand = math.degrees(math.atan2(abs(ux * vy - uy * vx), abs(ux * vx + uy * vy)))
    assert items[3]["value"] == pytest.approx(by_hand, abs=1e-5)
    assert items[3]["postop"] == pytest.approx(by_hand + 30.0, abs=1e-5)
    assert items[3]["postop_spans"] == ["PSO L3"]


def test_uncalibrated_lengths_are_null_angles_still_measured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _plan(tmp_path, [{"type": "distance", "points": [[0, 0], [3, 4]]},
                            {"type": "angle", "points": [[1, 0], [0, 0], [1, 1]]}], spacing=None)
    items = _record(capsys, plan)["annotations"]
    assert items[0]["value"] is None and items[0]["reason"] == "not measurable: uncalibrated"
    assert items[1]["value"] == pytest.approx(45.0)


def test_anisotropic_distance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan(tmp_path, [{"type": "distance", "points": [[0, 0], [300, 400]]}], spacing=[0.15, 0.2])
    assert _record(capsys, plan)["annotations"][0]["value"] == pytest.approx(60.0 * math.sqrt(2.0))


def test_table_shows_the_drawn_measurements(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan(tmp_path, [{"type": "distance", "points": [[100, 100], [400, 500]], "label": "cage"},
                            {"type": "arrow", "points": [[0, 0], [9, 9]], "text": "pars"}])
    assert main(["measure", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "measurements drawn on the film" in out
    assert any(line.split()[:4] == ["cage", "distance", "200.0", "mm"] for line in out.splitlines())
    assert '"pars"' in out


def test_plans_without_annotations_have_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert _record(capsys, FLATBACK)["annotations"] == []


def test_bad_annotation_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan(tmp_path, [{"type": "cobb", "lines": [[[0, 0], [1, 1]]]}])
    assert main(["measure", str(plan), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("error: ") and "annotations[0].lines" in err and str(plan) in err
