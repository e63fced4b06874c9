"""Suggest (issue 14 §5): goals picked from a list with a number; options listed with their
predicted key values in columns, coloured by the goals."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment_planner.targets.presets import evaluate
from alignment_planner.targets.verdict_text import verdict_line
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait
from ui.panels.measurements import status_colour

pytestmark = pytest.mark.gui


def test_goals_picked_then_options_in_columns(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    c = window.controller
    c._show(replace(c.plan, osteotomies=(), compensation=None))
    panel = window.osteotomies
    panel.goals.setText("")
    panel.goals.add_button.click()  # a new row: pick SVA, "at most", 40
    (row,) = panel.goals._rows
    row.key.setCurrentIndex(row.key.findData("SVA"))
    row.condition.setCurrentIndex(row.condition.findData("<"))
    row.low.setValue(40.0)
    assert panel.goals.text() == "SVA<=40"
    panel.suggest_button.click()
    table = panel.suggestions
    headers = [table.headerItem().text(i) for i in range(table.columnCount())]
    # The verdict right after the cuts; the unit in the header, the bare number in the cell.
    assert headers == ["Cuts", "Goals", "PI−LL°", "LL°", "PT°", "SVA mm", "TPA°"]
    first = table.topLevelItem(0)
    assert first.text(table.verdict_column) == "meets all"
    assert first.toolTip(table.verdict_column).endswith("meets every goal")
    sva_column = headers.index("SVA mm")
    value = float(first.text(sva_column))
    assert value <= 40.0
    assert first.background(sva_column).color() == status_colour(table, "within")
    assert "suggest" in window.statusBar().currentMessage().lower()


def _suggest(qtbot, window, goals: str):  # type: ignore[no-untyped-def]
    c = window.controller
    c._show(replace(c.plan, osteotomies=(), compensation=None))
    panel = window.osteotomies
    panel.goals.setText(goals)
    panel.suggest_button.click()
    qtbot.waitUntil(lambda: panel.suggestions.topLevelItemCount() > 0, timeout=10000)
    return panel


def _expected(window, option, key: str) -> str | None:  # type: ignore[no-untyped-def]
    """The measurement table's rule, from the core: the first known verdict of the chosen preset."""
    age = window.controller.plan.patient.age if window.controller.plan.patient else None
    known = [
        v for v in evaluate(window.targets.preset, option.postop, age)
        if v.target.key == key and v.status != "unknown"
    ]
    return known[0].status if known else None


def test_predicted_values_are_coloured_by_the_chosen_preset_and_follow_a_change(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    panel = _suggest(qtbot, window, "PI_LL<=10")
    table = panel.suggestions
    assert window.targets.preset_id == "srs-schwab"
    for row, option in enumerate(panel.options):
        item = table.topLevelItem(row)
        for key in table.keys:
            column = table.column_of(key)
            status = _expected(window, option, key)
            assert table.status_of(row, key) == status, (row, key)
            if status is not None:  # every judged value, goal or not (PT and TPA have none here)
                assert item.background(column).color() == status_colour(table, status)
                # the measurement table's words for the verdict, from the same core function
                age = window.controller.plan.patient.age if window.controller.plan.patient else None
                first = next(v for v in evaluate(window.targets.preset, option.postop, age) if v.target.key == key)
                assert verdict_line(first) in item.toolTip(column)
    assert table.status_of(0, "PT") is not None and table.status_of(0, "TPA") is not None
    before = {(r, k): table.status_of(r, k) for r in range(table.topLevelItemCount()) for k in table.keys}

    # Another preset: the same options, judged again at once (no new Suggest).
    window.targets.preset_box.setCurrentIndex(window.targets.preset_box.findData("lafage-2016-age"))
    assert window.targets.preset_id == "lafage-2016-age"
    after = {(r, k): table.status_of(r, k) for r in range(table.topLevelItemCount()) for k in table.keys}
    for (row, key), status in after.items():
        assert status == _expected(window, panel.options[row], key)
    assert after != before

    # A preset that judges none of these values: no colour left behind.
    window.targets.preset_box.setCurrentIndex(window.targets.preset_box.findData("cervical"))
    assert all(table.status_of(r, k) is None for r in range(table.topLevelItemCount()) for k in ("PT", "SVA"))


def test_over_correction_is_shown_as_such(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    # PI−LL at most −15°: past SRS-Schwab's lower edge (−10°), i.e. more lordosis than the pelvis
    # needs — outside the band on the harmful side, not a fit (clinical.md §4.7).
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    panel = _suggest(qtbot, window, "PI_LL<=-15")
    table = panel.suggestions
    column = table.column_of("PI_LL")
    over_rows = [
        row for row, option in enumerate(panel.options)
        if (value := option.postop.value("PI_LL")) is not None and value < -10.0
    ]
    assert over_rows, "the goal asks for over-correction: some option reaches it"
    for row in over_rows:
        item = table.topLevelItem(row)
        assert table.status_of(row, "PI_LL") == "outside"
        assert item.text(column).endswith("(over)")
        assert "over-corrected" in item.toolTip(column)
        assert item.background(column).color() == status_colour(table, "outside")
    fine = [r for r, o in enumerate(panel.options) if -10.0 <= (o.postop.value("PI_LL") or 99) < 10.0]
    for row in fine:
        assert not table.topLevelItem(row).text(column).endswith("(over)")
