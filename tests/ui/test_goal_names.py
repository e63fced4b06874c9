"""Suggest's goals and Solve's target are picked by reader name (review finding 1), and at 1366×768
every chosen name is shown whole: a goal whose name does not fit beside its condition and numbers
puts them on a line of their own."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from alignment_planner.measurements import PARAMETERS, reader_name
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui

GOALS = "ST<=100, SSA=120..140, T1SPI<=0, T9SPI=-15..0, L4S1>=30, TS_CL=-5..15, SVA=-30..40, PI_LL<=10"


def test_the_goal_list_reads_names_not_bare_abbreviations(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    panel = window.osteotomies
    panel.goals.setText("ST<=100")
    (row,) = panel.goals._rows
    items = [row.key.itemText(i) for i in range(row.key.count())]
    assert items == [reader_name(p.key) for p in PARAMETERS]
    for bare in ("ST", "SSA", "T1SPI", "T9SPI"):
        assert bare not in items
    assert row.key.currentText() == "Spinal tilt (ST)" and row.key.currentData() == "ST"
    assert panel.goals.text() == "ST<=100"  # the key is still what is kept
    # The list shows every name whole.
    view = row.key.view()
    widest = max(view.fontMetrics().horizontalAdvance(t) for t in items)
    assert view.minimumWidth() >= widest
    solve = [panel.solve_key.itemText(i) for i in range(panel.solve_key.count())]
    assert "Sagittal vertical axis (SVA, C7)" in solve and "SVA" not in solve


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_chosen_name_is_whole(qtbot, make_window, size) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(*size)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.task_tabs.setCurrentIndex(1)
    panel = window.osteotomies
    panel.goals.setText(GOALS)
    for _ in range(5):
        QApplication.processEvents()
    scroller = window.plan_scroller.viewport()
    for row in panel.goals._rows:
        box = row.key
        needed = box.fontMetrics().horizontalAdvance(box.currentText())
        assert box.width() - 30 >= needed, (box.currentText(), box.width(), needed)
        # and the whole row is inside what the Plan tab shows (no sideways scrolling)
        right = row.mapTo(scroller, row.rect().topRight()).x()
        assert right <= scroller.width(), (box.currentText(), right, scroller.width())
        for widget in (row.condition, row.low, row.remove):
            assert widget.isVisible() and widget.width() >= widget.minimumSizeHint().width()
    if size == (1366, 768):  # a long name with two numbers cannot share a line at this width
        sva = next(r for r in panel.goals._rows if r.key.currentData() == "SVA")
        assert sva.two_lines
    short = next(r for r in panel.goals._rows if r.key.currentData() == "ST")
    assert not short.two_lines  # "Spinal tilt (ST) at most 100.0" shares one line
