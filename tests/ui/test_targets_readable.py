"""The Targets tab read whole at 1366×768 and 1920×1080 (review finding 2: "Surgical 'success'
thresholds (S…" and "137.0 ✗ outs…"): a preset's name spans the row, the label column is as
wide as its labels up to a share of the panel, and a text wider than its column wraps onto more
lines, each row as tall as its lines. Nothing ends in "…"."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from alignment_planner.targets.presets import builtin_presets
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait
from ui.panels.wrapped_tree import CELL_MARGIN_PX, WrappedTree, wrapped

pytestmark = pytest.mark.gui


def _cells(tree: WrappedTree):  # type: ignore[no-untyped-def]
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        yield group, 0, True
        for j in range(group.childCount()):
            for column in range(tree.columnCount()):
                if not tree.isColumnHidden(column):
                    yield group.child(j), column, False


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_name_label_and_value_is_whole(qtbot, make_window, size) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(*size)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.number_tabs.setCurrentWidget(window.targets)
    tree = window.targets.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 7, timeout=5000)
    for i in range(tree.topLevelItemCount()):
        tree.topLevelItem(i).setExpanded(True)
    QApplication.processEvents()
    metrics = tree.fontMetrics()
    viewport = tree.viewport().width()
    assert sum(tree.columnWidth(c) for c in range(3) if not tree.isColumnHidden(c)) <= viewport
    assert tree.horizontalScrollBar().maximum() == 0
    names = [tree.whole(tree.topLevelItem(i), 0) for i in range(len(builtin_presets()))]
    assert names == [p.name for p in builtin_presets()]
    indent = tree.indentation() * 2
    for item, column, spans in _cells(tree):
        shown, whole = item.text(column), tree.whole(item, column)
        assert shown.replace("\n", " ") == whole  # nothing cut: only line breaks added
        width = viewport if spans else tree.columnWidth(column)
        room = width - CELL_MARGIN_PX - (indent if column == 0 or spans else 0)
        for line in shown.split("\n"):
            assert metrics.horizontalAdvance(line) <= room or " " not in line, (whole, line, room)
        if not spans:  # every line of a wrapped cell is shown: the row is as tall as its lines
            assert tree.visualItemRect(item).height() >= (shown.count("\n") + 1) * metrics.lineSpacing() - 1
        else:
            assert item.isFirstColumnSpanned()
    # The long preset name is on one line at this width; "outside" is never cut to "outs…".
    success = next(tree.topLevelItem(i) for i in range(7) if "success" in tree.whole(tree.topLevelItem(i), 0))
    assert "\n" not in success.text(0)
    schwab = tree.topLevelItem(0)
    assert any("outside" in schwab.child(j).text(1) for j in range(schwab.childCount()))


def test_lines_break_at_spaces_by_the_pixel() -> None:
    class Metrics:
        @staticmethod
        def horizontalAdvance(text: str) -> int:
            return 10 * len(text)

    assert wrapped("137.0 ✗ outside", Metrics(), 100) == "137.0 ✗\noutside"
    assert wrapped("short", Metrics(), 100) == "short"
    assert wrapped("averyveryverylongword x", Metrics(), 50) == "averyveryverylongword\nx"
    assert wrapped("a\nb c", Metrics(), 1000) == "a\nb c"
