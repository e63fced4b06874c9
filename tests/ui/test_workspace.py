"""The reading-room workspace (issue 14 §2, §3, §6): the film gets most of the window, no panel
cuts off its controls at 1366×768, dark by default, F1 and tooltips name the keys, and the labels
on screen never overlap nor leave the film."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QToolButton,
    QTreeWidget,
    QWidget,
)

from alignment_planner.output.reader_text import has_internal_reference
from alignment_planner.teaching.cases import find_cases
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui


def _open_at(qtbot, make_window, width: int, height: int) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(width, height)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.workspace.fit_column()
    for _ in range(5):
        QApplication.processEvents()
    window.view.fit()
    return window


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_film_gets_at_least_60_percent_of_the_width(qtbot, make_window, size) -> None:  # type: ignore[no-untyped-def]
    window = _open_at(qtbot, make_window, *size)
    assert window.width() == size[0]
    share = window.view.width() / window.width()
    assert share >= 0.6, f"the film gets {share:.0%} of {size[0]} px"


def _cut_off(widget: QWidget) -> list[str]:
    problems = []
    for button in widget.findChildren(QPushButton):
        needed = button.fontMetrics().horizontalAdvance(button.text()) + 8  # the text and its margins
        if button.isVisible() and button.width() < max(needed, button.minimumSizeHint().width()):
            problems.append(f"button {button.text()!r}: {button.width()} px")
    for box in widget.findChildren(QComboBox):
        shown = box.currentText()
        if box.isVisible() and box.fontMetrics().horizontalAdvance(shown[:16]) + 24 > box.width():
            problems.append(f"list {shown!r}: {box.width()} px")
    return problems


def test_no_panel_cuts_off_its_controls_at_1366x768(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _open_at(qtbot, make_window, 1366, 768)
    problems: list[str] = []
    for tab in range(window.task_tabs.count()):
        window.task_tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        scroller = window.task_tabs.currentWidget()
        assert scroller.horizontalScrollBar().maximum() == 0, f"{window.task_tabs.tabText(tab)} scrolls sideways"
        problems += _cut_off(scroller)
    table: QTableWidget = window.measurements.table
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()) if not table.isColumnHidden(c))
    assert columns <= table.viewport().width(), "the measurement table's last columns are cut off"
    extension = window.workspace.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible(), "the toolbar hides actions behind »"
    assert problems == []


def test_dark_by_default_light_on_request(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.palette().window().color().lightness() < 80
    try:
        window.workspace.light_action.trigger()
        assert QApplication.palette().window().color().lightness() > 180
        assert window.settings.theme() == "light"
    finally:
        window.workspace.light_action.trigger()
    assert QApplication.palette().window().color().lightness() < 80


def test_f1_lists_the_keys_and_the_toolbar_tooltips_name_them(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.workspace.help_action.trigger()
    sheet = window.workspace.help
    assert sheet is not None and sheet.isVisible()
    text = sheet.browser.toPlainText()
    for expected in ("Fit to window", "Planned image (simulated)", "Undo", "Workflow", "window / level"):
        assert expected in text, expected
    sheet.close()
    for action in window.workspace.toolbar.actions():
        if action.isSeparator():
            continue
        for key in action.shortcuts():
            assert key.toString() in action.toolTip(), action.text()
    assert window.viewing.fit_action.toolTip() == "Fit to window (F)"


def _texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QComboBox):  # the items and their tooltips (procedure types …)
            for i in range(widget.count()):
                texts += [widget.itemText(i), str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")]
        texts += [t for a in widget.actions() for t in (a.text(), a.toolTip(), a.statusTip())]
        if isinstance(widget, QTableWidget):
            for c in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(c)
                if header is not None:
                    texts += [header.text(), header.toolTip()]
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    item = widget.item(r, c)
                    if item is not None:
                        texts += [item.text(), item.toolTip()]
        if isinstance(widget, QTreeWidget):
            stack = [widget.topLevelItem(i) for i in range(widget.topLevelItemCount())]
            while stack:
                item = stack.pop()
                texts += [item.text(c) for c in range(item.columnCount())]
                texts += [item.toolTip(c) for c in range(item.columnCount())]
                stack += [item.child(i) for i in range(item.childCount())]
    return texts


def test_no_internal_references_where_a_surgeon_reads(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _open_at(qtbot, make_window, 1366, 768)
    window.osteotomies.cuts.setCurrentRow(0)
    qtbot.wait(400)  # the targets and ± bands are computed once things settle
    found = [t for t in _texts(window) if t and has_internal_reference(t)]
    assert found == []
    # Tooltips of list items (procedure types) and the teaching notes of every sample case.
    types = window.procedures.type_box
    tips = [str(types.itemData(i, Qt.ItemDataRole.ToolTipRole) or "") for i in range(types.count())]
    assert any(tips) and [t for t in tips if has_internal_reference(t)] == []
    for case in find_cases():
        window.practice_panel.start(case)
        assert not has_internal_reference(window.practice_panel.notes.toPlainText()), case.id


def _film_on_screen(window: MainWindow) -> QRectF:
    assert window.scene.image_item is not None
    # The film with every moved part of it (the planned view): what fit shows, where labels go.
    polygon = window.view.mapFromScene(window.scene.film_rect())
    return QRectF(polygon.boundingRect())


@pytest.mark.parametrize("stage", ["preop", "postop"])
def test_labels_on_screen_never_overlap_and_stay_on_the_film(qtbot, make_window, stage) -> None:  # type: ignore[no-untyped-def]
    window = _open_at(qtbot, make_window, 1366, 768)
    window.controller.set_stage(stage)  # type: ignore[arg-type]
    window.view.fit()
    window.view.viewport().repaint()
    rects = window.scene.overlay_item.painted_label_rects
    assert len(rects) >= 8
    film = _film_on_screen(window).adjusted(-1, -1, 1, 1)
    viewport = QRectF(QRect(0, 0, window.view.viewport().width(), window.view.viewport().height()))
    for key, rect in rects:
        assert film.contains(rect), f"{key} leaves the film"
        assert viewport.contains(rect), f"{key} is clipped by the window"
    overlapping = [(a, b) for (a, ra), (b, rb) in combinations(rects, 2) if ra.intersects(rb)]
    assert overlapping == []
    mark = window.scene.overlay_item.planned_mark_rect
    if stage == "postop":
        assert mark is not None and not any(mark.intersects(r) for _k, r in rects)


def test_the_planned_mark_is_in_view_whatever_the_view_shows(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """Review finding: after a large correction the planned film (film + moved head) reaches
    above the pre-op film; P kept the pre-op fit and the mark, at the planned film's corner, was
    cut off or missing. It is drawn at the corner of the part of the film in view."""
    from alignment_planner.plan.model import Osteotomy

    window = _open_at(qtbot, make_window, 1366, 768)
    window.controller.add_osteotomy(Osteotomy("PSO", "L3", 30.0))
    window.controller.add_osteotomy(Osteotomy("SPO", "T12-L1", 10.0))
    window.controller.set_stage("preop")
    window.view.fit()
    window.controller.set_stage("postop")  # as P does: the view keeps its place
    viewport = QRectF(QRect(0, 0, window.view.viewport().width(), window.view.viewport().height()))
    for scroll in (None, "bottom"):
        if scroll == "bottom":
            window.view.zoom_by(3.0)
            bar = window.view.verticalScrollBar()
            bar.setValue(bar.maximum())
        window.view.viewport().repaint()
        mark = window.scene.overlay_item.planned_mark_rect
        assert mark is not None and viewport.contains(mark), (scroll, mark, viewport)
        rects = window.scene.overlay_item.painted_label_rects
        assert not any(mark.intersects(r) for _k, r in rects)


def test_switching_theme_with_a_plan_open_keeps_every_value_readable(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """Second review N0: switched to light with a plan open, the Pre-op/Planned/Δ numbers stayed
    the dark theme's near-white on a white table. Every value cell's ink against the table's base
    (or its verdict fill) reaches WCAG 4.5:1 in both themes."""
    from PySide6.QtGui import QBrush

    from ui.panels.verdict_palette import contrast_ratio

    window = _open_at(qtbot, make_window, 1366, 768)
    table = window.measurements.table

    def worst() -> float:
        ratios = []
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is None or not item.text().strip():
                    continue
                ink = item.data(Qt.ItemDataRole.ForegroundRole)
                fill = item.data(Qt.ItemDataRole.BackgroundRole)
                ink_colour = ink.color() if isinstance(ink, QBrush) else QApplication.palette().text().color()
                fill_colour = (
                    fill.color() if isinstance(fill, QBrush) and fill.style() != Qt.BrushStyle.NoBrush
                    else QApplication.palette().base().color()
                )
                ratios.append(contrast_ratio(ink_colour, fill_colour))
        return min(ratios)

    assert worst() >= 4.5
    try:
        window.workspace.light_action.trigger()
        QApplication.processEvents()
        assert worst() >= 4.5
    finally:
        window.workspace.light_action.trigger()
    assert worst() >= 4.5
