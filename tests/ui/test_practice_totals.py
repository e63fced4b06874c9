"""Review 2 N6: the practice history and the practice panel count the planned values the same way.
A value that cannot be measured on one of the plans is not judged, so it is in neither number."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.teaching.cases import find_cases
from alignment_planner.teaching.scoring import attempt_record, compare_plans


@pytest.fixture(autouse=True)
def _practice_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNMENT_PLANNER_PRACTICE_DIR", str(tmp_path / "attempts"))
    monkeypatch.setenv("ALIGNMENT_PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "attempts"


def _counts(text: str) -> tuple[int, int]:
    found = re.search(r"(\d+) of (\d+) values within inter-observer variability", text)
    assert found is not None, text
    return int(found.group(1)), int(found.group(2))


def test_history_and_panel_give_the_same_total(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    case = next(c for c in find_cases() if c.id == "flatback_pso")
    expert = read_plan(case.plan_path)
    # The resident left out the cervical spine: the values that need C2 or C7 are not measurable.
    kept = {level: v for level, v in expert.landmarks.vertebrae.items() if not level.startswith("C")}
    resident = replace(expert, landmarks=replace(expert.landmarks, vertebrae=kept))
    comparison = compare_plans(expert, resident)
    grades = [e.grade for e in comparison.planned]
    unjudged = grades.count("not measurable")
    assert unjudged > 0, "the case must leave some values unmeasurable for this test to mean anything"
    judged = len(grades) - unjudged
    good = grades.count("good")

    window = make_window()
    window.practice.attempts.save(attempt_record(case.id, "2026-11-30T16:00:00", 60.0, None, comparison, resident))
    window.practice_panel.show_comparison(comparison)
    history = window.practice.show_history()
    table = history.findChild(type(window.practice_panel.table))
    assert table.rowCount() == 1
    in_history = table.item(0, 4).text()
    assert _counts(in_history) == (good, judged)
    assert _counts(window.practice_panel.result.text()) == (good, judged)


def test_an_attempt_saved_without_a_summary_is_counted_by_the_same_rule(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    record = {
        "format": "alignment-planner-attempt", "version": 1, "case": "x", "started": "2026-11-30T16:00:00",
        "seconds": 30.0,
        "plan": {"planned": {
            "PI": {"grade": "good"}, "PT": {"grade": "outside"}, "SVA": {"grade": "not measurable"},
            "CL": {"grade": "not measurable"}, "LL": {"grade": "good"},
        }},
    }
    window = make_window()
    window.practice.attempts.save(record)
    history = window.practice.show_history()
    table = history.findChild(type(window.practice_panel.table))
    assert _counts(table.item(0, 4).text()) == (2, 3)
