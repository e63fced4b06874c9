"""Review finding A5 (2026-11-30): the follow-up window names its film, not "pre-op"; the legend
names the planned spine registered on S1 in a colour of its own; no planning actions are offered
where nothing is planned; the film opens at fit on a 1366×768 screen. Plus C1 there: the Unit
column is as wide as "mm"."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLE_PLAN, open_and_wait
from ui.canvas.palette import PLANNED_SPINE_COLOUR, PLANNED_SPINE_MEANING, PLANNED_SPINE_STYLE, STYLE_COLOURS
from ui.panels.measurements import BAND, PRE, UNIT
from ui.window.workspace import Workspace

pytestmark = pytest.mark.gui


def _followup(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    follow = window.followups.open(0)
    fw = follow.window
    qtbot.addWidget(fw)
    qtbot.waitUntil(lambda: fw.controller.radiograph is not None and not fw.status.busy.isVisible(), timeout=20000)
    for _ in range(5):
        QApplication.processEvents()
    # Opened at its default size, then fitted to a 1366×768 screen (as a window manager does):
    # the film, fitted at the first size, must follow.
    fw.resize(1366, 768)
    fw.workspace.fit_column()
    for _ in range(5):
        QApplication.processEvents()
    return window, follow, fw


def test_the_followup_window_names_its_film_and_offers_no_planning(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window, _follow, fw = _followup(qtbot, make_window)
    header = fw.measurements.table.horizontalHeaderItem(PRE).text()
    assert header == "1 year (2027-03-15)"
    assert fw.status.stage.text() == "1 year (2027-03-15)"
    assert "pre-op" not in fw.status.stage.text().lower()
    toolbar = fw.workspace.toolbar
    shown = {a.iconText() for a in toolbar.actions() if a.isVisible() and not a.isSeparator()}
    assert not {"Plan", "Solve", "Planned"} & shown, shown
    assert not fw.viewing.planned_action.isEnabled()
    # The plan's own window still plans.
    assert window.measurements.table.horizontalHeaderItem(PRE).text() == "Pre-op"
    assert window.plan_action.isVisible() and window.viewing.planned_action.isEnabled()
    assert isinstance(fw.workspace, Workspace)


def test_the_followup_legend_names_the_planned_spine_in_its_own_colour(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    _window, follow, fw = _followup(qtbot, make_window)
    follow.refresh_planned()
    assert not follow.planned_item.path().isEmpty()
    fw.view.viewport().repaint()
    assert PLANNED_SPINE_MEANING in fw.view.legend_texts
    assert follow.planned_item.pen().color() == PLANNED_SPINE_COLOUR
    others = [c for style, c in STYLE_COLOURS.items() if style != PLANNED_SPINE_STYLE]
    assert all(PLANNED_SPINE_COLOUR != colour for colour in others)
    follow.planned_action.setChecked(False)
    follow.refresh_planned()
    fw.view.viewport().repaint()
    assert PLANNED_SPINE_MEANING not in fw.view.legend_texts


def test_the_followup_film_opens_at_fit_at_1366(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    _window, _follow, fw = _followup(qtbot, make_window)
    rect = fw.scene.film_rect()
    shown = fw.view.mapToScene(fw.view.viewport().rect()).boundingRect()
    assert shown.contains(rect.adjusted(1, 1, -1, -1)), (shown, rect)  # the whole film, skull included
    assert fw.view.verticalScrollBar().maximum() <= 0
    # A zoom chosen by hand survives a resize; a fitted film follows the viewport.
    fw.view.zoom_by(2.0)
    zoom = fw.view.zoom
    fw.resize(1300, 740)
    QApplication.processEvents()
    assert fw.view.zoom == pytest.approx(zoom)


def test_the_unit_column_shows_mm_whole(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    for width, height in ((1366, 768), (1920, 1080)):
        window = make_window()
        window.resize(width, height)
        open_and_wait(qtbot, window, SAMPLE_PLAN)
        window.workspace.fit_column()
        QApplication.processEvents()
        table = window.measurements.table
        assert window.measurements.text("SVA", UNIT) == "mm"
        for column in range(table.columnCount()):
            if table.isColumnHidden(column) or column == BAND:  # an asymmetric band wraps, row grown
                continue
            header = table.horizontalHeader().sectionSizeHint(column)
            assert table.columnWidth(column) >= max(table.sizeHintForColumn(column), header), (
                table.horizontalHeaderItem(column).text()
            )
        visible = sum(table.columnWidth(c) for c in range(table.columnCount()) if not table.isColumnHidden(c))
        assert visible <= table.viewport().width()
