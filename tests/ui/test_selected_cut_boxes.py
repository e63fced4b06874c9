"""The osteotomy panel's Type, Level and Angle controls name the cut selected in the list (second
review N10: "SPO T12-L1" stayed in the boxes while the selected cut was a PSO L3)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from alignment_planner.plan.model import Osteotomy
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui


def _click_row(panel, row: int) -> None:  # type: ignore[no-untyped-def]
    item = panel.cuts.item(row)
    panel.cuts.scrollToItem(item)
    QTest.mouseClick(panel.cuts.viewport(), Qt.MouseButton.LeftButton, pos=panel.cuts.visualItemRect(item).center())


def _boxes(panel) -> tuple[str, str, float]:  # type: ignore[no-untyped-def]
    return panel.type_box.currentData(), panel.level_box.currentText(), panel.spin.value()


def test_a_clicked_cut_shows_its_type_level_and_angle(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    c, panel = window.controller, window.osteotomies
    c._show(replace(c.plan, osteotomies=(Osteotomy("PSO", "L3", 27.0), Osteotomy("SPO", "L1-L2", 8.0))))
    window.task_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.cuts.count() == 2)

    _click_row(panel, 1)
    assert panel.selected == 1
    assert _boxes(panel) == ("SPO", "L1-L2", pytest.approx(8.0))
    _click_row(panel, 0)
    assert panel.selected == 0
    assert _boxes(panel) == ("PSO", "L3", pytest.approx(27.0))
    assert panel.level_box.findText("L1-L2") < 0  # the levels of a PSO: vertebrae, not discs

    # Dragging the selected cut's angle keeps a type chosen for the next Add.
    panel.type_box.setCurrentIndex(panel.type_box.findData("SPO"))
    panel.spin.setValue(29.0)
    assert c.plan.osteotomies[0].angle_deg == pytest.approx(29.0)
    assert panel.type_box.currentData() == "SPO"
