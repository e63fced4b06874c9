"""Suggest (issue 14 §5): goals picked from a list with a number; options listed with their
predicted key values in columns, coloured by the goals."""

from __future__ import annotations

from dataclasses import replace

import pytest

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
    assert headers == ["Cuts", "PI−LL", "LL", "PT", "SVA", "TPA", "Goals"]
    first = table.topLevelItem(0)
    assert first.text(table.verdict_column) == "meets every goal"
    sva_column = headers.index("SVA")
    value = float(first.text(sva_column).split()[0])
    assert value <= 40.0 and first.text(sva_column).endswith("mm")
    assert first.background(sva_column).color() == status_colour(table, "within")
    assert "suggest" in window.statusBar().currentMessage().lower()
