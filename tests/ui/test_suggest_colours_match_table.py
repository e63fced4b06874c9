"""Suggest colours a predicted value exactly as the measurement table colours the same plan under
the same preset (second review N5): the age-adjusted preset judges PT, PI−LL, SVA and TPA at the
patient's age in both; a value the preset has no target for (LL) is uncoloured in both, and the
Suggest cell says why."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("preset", ["lafage-2016-age", "srs-schwab", "success-2012", "ideal-ll"])
def test_suggest_colours_are_the_measurement_tables(qtbot, make_window, preset: str) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.targets.preset_box.setCurrentIndex(window.targets.preset_box.findData(preset))
    assert window.targets.preset_id == preset
    panel, c = window.osteotomies, window.controller
    while panel.cuts.count():  # the flatback plan without its cut, its compensation kept
        panel.cuts.setCurrentRow(0)
        panel.remove_button.click()
    panel.preset_goals_button.click()
    if not panel.goals.text():
        panel.goals.setText("PI_LL<=10, SVA<=40")
    panel.suggest_button.click()
    table = panel.suggestions
    qtbot.waitUntil(lambda: table.topLevelItemCount() > 0, timeout=60000)
    options = list(panel.options)
    coloured = 0
    for row, option in enumerate(options):
        suggested = {key: table.status_of(row, key) for key in table.keys}
        tips = {key: table.topLevelItem(row).toolTip(table.column_of(key)) for key in table.keys}
        table.itemDoubleClicked.emit(table.topLevelItem(row), 0)  # add its cuts, as a user would
        QApplication.processEvents()
        window.target_actions.judge_fully()
        for key, status in suggested.items():
            assert window.measurements.status_of(key, "postop") == status, (preset, row, key)
            if status is None:
                assert window.targets.preset.name in tips[key] or "goal" in tips[key], tips[key]
        coloured += sum(status is not None for status in suggested.values())
        c.undo()  # one Ctrl+Z takes back all of a suggestion's cuts, as the status line says
        QApplication.processEvents()
        assert c.plan.osteotomies == (), option.describe()
        table.show_options(options, panel.goals.goals())
    assert coloured > 0
    if preset == "lafage-2016-age":  # no LL target in it: uncoloured, and the cell says so
        assert "no target in Age-adjusted (Lafage 2016)" in table.topLevelItem(0).toolTip(table.column_of("LL"))
