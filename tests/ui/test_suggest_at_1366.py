"""Suggest on a 1366×768 laptop in the default layout (second review C5): the verdict on the goals
is read whole, without scrolling sideways ("meet…", "OVER-C…" before)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui


def _suggestions_at_1366(qtbot, make_window, goals: str):  # type: ignore[no-untyped-def]
    """The flatback plan without its cut, in a 1366×768 window, Suggest run for ``goals``: the
    window and its suggestion table, scrolled into view."""
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    panel, table = window.osteotomies, window.osteotomies.suggestions
    window.task_tabs.setCurrentIndex(1)
    while panel.cuts.count():  # the flatback plan without its cut: suggest one
        panel.cuts.setCurrentRow(0)
        panel.remove_button.click()
    panel.goals.setText(goals)
    panel.suggest_button.click()
    qtbot.waitUntil(lambda: table.topLevelItemCount() > 0, timeout=60000)
    window.plan_scroller.ensureWidgetVisible(table)
    QApplication.processEvents()
    return window, table


@pytest.mark.parametrize("goals", ["PI_LL<=10, TPA<=14, SVA<=40", "PI_LL<=-15", "SVA<=0, PT<=10, TPA<=5"])
def test_the_verdict_is_whole_and_in_view_at_1366(qtbot, make_window, goals: str) -> None:  # type: ignore[no-untyped-def]
    window, table = _suggestions_at_1366(qtbot, make_window, goals)

    header, column = table.header(), table.verdict_column
    assert table.headerItem().text(column) == "Goals"
    assert table.horizontalScrollBar().value() == 0
    metrics = table.fontMetrics()
    for row in range(table.topLevelItemCount()):
        text = table.topLevelItem(row).text(column)
        for line in text.split("\n"):  # a verdict naming several values takes a line per part
            assert metrics.horizontalAdvance(line) <= header.sectionSize(column), text  # not elided
    right = header.sectionViewportPosition(column) + header.sectionSize(column)
    assert right <= table.viewport().width(), (right, table.viewport().width())
    # and the table's own viewport is inside what the Plan tab shows (no sideways scrolling there)
    scroller = window.plan_scroller.viewport()
    table_right = table.viewport().mapTo(scroller, QPoint(right, 0)).x()
    assert table_right <= scroller.width(), (table_right, scroller.width())


@pytest.mark.parametrize(
    "goals",
    [
        "PI_LL<=10, TPA<=14, SVA<=40",
        "PI_LL<=-15",
        "SVA<=0, PT<=10, TPA<=5",
        "PI_LL<=10, GT<=20, SVA<=40",  # a goal outside the headline values adds its column
        "SVA<=0, PT<=10, TPA<=5, GT<=10",
    ],
)
def test_every_column_is_whole_at_1366(qtbot, make_window, goals: str) -> None:  # type: ignore[no-untyped-def]
    """Review finding 3: at 1366 px the last value column (TPA) needed sideways scrolling. Cuts and
    verdicts take a line per item, an over-correction mark its own line, and the table is as tall
    as its options (no vertical scroll bar eating the width): every column is whole in view."""
    window, table = _suggestions_at_1366(qtbot, make_window, goals)

    header = table.header()
    assert table.horizontalScrollBar().maximum() == 0, "the table scrolls sideways"
    assert not table.verticalScrollBar().isVisible()  # as tall as its options
    metrics = table.fontMetrics()
    scroller = window.plan_scroller.viewport()
    for column in range(table.columnCount()):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), (table.headerItem().text(column), right, table.viewport().width())
        assert table.viewport().mapTo(scroller, QPoint(right, 0)).x() <= scroller.width()
        needed = max(metrics.horizontalAdvance(line) for line in table.headerItem().text(column).split("\n"))
        for row in range(table.topLevelItemCount()):
            item = table.topLevelItem(row)
            needed = max(needed, *(metrics.horizontalAdvance(line) for line in item.text(column).split("\n")))
            lines = item.text(column).count("\n") + 1
            assert table.visualItemRect(item).height() >= lines * metrics.height()  # every line shown
        assert needed <= header.sectionSize(column), table.headerItem().text(column)
    assert table.headerItem().text(table.columnCount() - 1) in ("TPA°", "GT°")
