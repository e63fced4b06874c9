"""Review findings B1, B2, C4–C7 and D (2026-11-30), driven as a user would: practice fits a
1366×768 screen with its notes shown; every judgement colour reads in both themes; the cut list
is as tall as its cuts; the Suggest table shows whole columns and says what a double-click added;
an unconfirmed preset says so in view; distinct legend colours; the case picker and the practice
history show everything; the practice distances do not pile up."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidget

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.scene.legend import MEANINGS
from alignment_planner.teaching.cases import find_cases
from alignment_planner.teaching.scoring import LandmarkDeviation
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait
from ui.canvas.palette import PLANNED_SPINE_COLOUR, STYLE_COLOURS
from ui.panels.verdict_palette import JUDGEMENT_FILLS, contrast_ratio, ink_for
from ui.window.case_picker import CasePicker
from ui.window.practice_history import history_dialog
from ui.window.theme import apply_theme

pytestmark = pytest.mark.gui


@pytest.fixture
def _practice_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNMENT_PLANNER_PRACTICE_DIR", str(tmp_path / "attempts"))
    monkeypatch.setenv("ALIGNMENT_PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "attempts"


def _case(case_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in find_cases() if c.id == case_id)


def _practise(qtbot, window, case_id: str = "flatback_pso"):  # type: ignore[no-untyped-def]
    case = _case(case_id)
    with qtbot.waitSignal(window.controller.image_changed, timeout=20000):
        assert window.practice.start_practice(case)
    qtbot.waitUntil(lambda: not window.status.busy.isVisible(), timeout=20000)
    expert = read_plan(case.plan_path).landmarks
    for i, head in enumerate(expert.femoral_heads):
        window.controller.set_point_pixels(f"femoral_heads.{i}", head.center)
    for level, vertebra in expert.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            point = vertebra.point(name)
            if point is not None:  # 9 px off: distances shown on the film
                window.controller.set_point_pixels(f"{level}.{name}", (point[0] + 9.0, point[1] + 7.0))
    window.controller.end_gesture()
    return case


# --- B1 -------------------------------------------------------------------------------------------


def test_practice_with_its_notes_fits_1366x768(qtbot, make_window, _practice_folders) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    _practise(qtbot, window)
    panel = window.practice_panel
    QTest.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(panel.notes_button, Qt.MouseButton.LeftButton)
    for _ in range(5):
        QApplication.processEvents()
    assert panel.notes_shown and panel.notes.toPlainText().strip()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, hint
    assert window.height() <= 768
    assert panel.notes.verticalScrollBar() is not None  # long notes scroll in place
    # The score table takes the page: more than a few rows in view at 1366×768.
    QTest.mouseClick(panel.notes_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert panel.pages.currentIndex() == panel.score_page
    table = panel.table
    rows_in_view = table.viewport().height() / max(table.rowHeight(0), 1)
    assert rows_in_view >= 5, rows_in_view
    # Nothing is drawn over the table: the notes are a page of their own.
    assert not panel.notes.isVisible()


# --- B2 -------------------------------------------------------------------------------------------


def test_every_judgement_colour_reads_in_both_themes(qtbot, make_window, _practice_folders) -> None:  # type: ignore[no-untyped-def]
    for fill in JUDGEMENT_FILLS.values():
        assert contrast_ratio(ink_for(fill), fill) >= 4.5, fill.name()
    window = make_window()
    _practise(qtbot, window)
    window.practice.check_landmarks()
    follow = make_window()
    open_and_wait(qtbot, follow, SAMPLE_PLAN)  # the sample plan has a 1-year film
    try:
        for theme in ("dark", "light"):
            apply_theme(theme)
            QApplication.processEvents()
            tables: list[QTableWidget] = [
                window.practice_panel.table, follow.followups_panel.table, follow.measurements.table
            ]
            coloured = 0
            for table in tables:
                for row in range(table.rowCount()):
                    for column in range(table.columnCount()):
                        item = table.item(row, column)
                        if item is None or item.background().style() == Qt.BrushStyle.NoBrush:
                            continue
                        coloured += 1
                        ink = item.foreground().color() if item.foreground().style() != Qt.BrushStyle.NoBrush \
                            else table.palette().text().color()
                        ratio = contrast_ratio(ink, item.background().color())
                        assert ratio >= 4.5, (theme, table.objectName(), row, column, item.text(), ratio)
            assert coloured > 10
    finally:
        apply_theme("dark")


# --- C4, C5, C6 -----------------------------------------------------------------------------------


def test_the_cut_list_is_as_tall_as_its_cuts_and_the_angle_stays_in_view(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.workspace.fit_column()
    window.task_tabs.setCurrentIndex(1)
    QApplication.processEvents()
    panel = window.osteotomies
    one_cut = panel.cuts.height()
    assert panel.cuts.count() == 1
    assert one_cut <= 3 * panel.cuts.sizeHintForRow(0) + 8
    panel.level_box.setCurrentText("L1")
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert panel.cuts.count() == 2 and panel.cuts.height() > one_cut
    scroller = window.plan_scroller
    viewport = scroller.viewport()
    for widget in (panel.slider, panel.remove_button, panel.solve_button):
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        assert 0 <= top and top + widget.height() <= viewport.height(), widget


def test_the_suggest_table_shows_whole_columns_and_a_double_click_says_what_it_added(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    panel = window.osteotomies
    table = panel.suggestions
    headers = [table.headerItem().text(c) for c in range(table.columnCount())]
    assert "1" not in headers and headers[-1] == "Goals"
    while panel.cuts.count():  # the flatback plan without its cut: suggest one
        panel.cuts.setCurrentRow(0)
        panel.remove_button.click()
    panel.suggest_button.click()
    qtbot.waitUntil(lambda: table.topLevelItemCount() > 0, timeout=60000)
    QApplication.processEvents()
    header = table.header()
    for column in range(table.columnCount()):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), table.headerItem().text(column)
    assert not header.stretchLastSection()
    window.task_tabs.setCurrentIndex(1)
    window.plan_scroller.ensureWidgetVisible(table)
    QApplication.processEvents()
    item = table.topLevelItem(0)
    rect = table.visualItemRect(item)
    _double_click(table.viewport(), rect.center())
    QApplication.processEvents()
    assert panel.cuts.count() >= 1
    message = window.statusBar().currentMessage()
    assert message.startswith("Added ") and item.text(0).split(" + ")[0] in message, message


def _double_click(widget, at: QPoint) -> None:  # type: ignore[no-untyped-def]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in ((QEvent.Type.MouseButtonPress, left), (QEvent.Type.MouseButtonRelease, none),
                          (QEvent.Type.MouseButtonDblClick, left), (QEvent.Type.MouseButtonRelease, none)):
        event = QMouseEvent(kind, QPointF(at), QPointF(widget.mapToGlobal(at)), left, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


# --- C7 -------------------------------------------------------------------------------------------


def test_an_unconfirmed_preset_says_so_in_view(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    window.number_tabs.setCurrentWidget(window.targets)
    targets = window.targets
    targets.preset_box.setCurrentIndex(targets.preset_box.findData("srs-schwab"))
    QApplication.processEvents()
    assert not targets.caveat.isVisible()
    targets.preset_box.setCurrentIndex(targets.preset_box.findData("lafage-2016-age"))
    QApplication.processEvents()
    assert targets.caveat.isVisible() and "unconfirmed" in targets.caveat.text()
    assert "Lafage 2016" in targets.caveat.text()


# --- D --------------------------------------------------------------------------------------------


def _lab(colour: QColor) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = linear(colour.red()), linear(colour.green()), linear(colour.blue())
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_legend_entry_has_a_colour_of_its_own() -> None:
    colours = {style: STYLE_COLOURS[style] for style in MEANINGS}
    colours["planned spine (follow-up)"] = PLANNED_SPINE_COLOUR
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        assert math.dist(_lab(ca), _lab(cb)) >= 30, (a, b)  # CIE76 ΔE: clearly different hues


def test_the_case_picker_shows_every_case_without_scrolling(qtbot) -> None:  # type: ignore[no-untyped-def]
    cases = find_cases()
    assert len(cases) >= 8
    for room in (QSize(1366, 768), QSize(1920, 1080)):
        picker = CasePicker(cases)
        qtbot.addWidget(picker)
        picker.fit_to(room)
        picker.show()
        QApplication.processEvents()
        assert picker.width() <= room.width() and picker.height() <= room.height()
        viewport = picker.grid.viewport().rect()
        for row in range(picker.grid.count()):
            assert viewport.contains(picker.grid.visualItemRect(picker.grid.item(row))), (room, row)
        picker.close()


def test_the_history_shows_a_readable_date_and_the_case_title(qtbot) -> None:  # type: ignore[no-untyped-def]
    records = [{"case": "flatback_pso", "started": "2026-11-30T16:23:29", "seconds": 612.0,
                "landmarks": {"summary": "96 of 96 landmarks placed; mean error 3.1 mm; 80 within 4 mm, "
                                         "12 borderline, 4 outside"}}]
    title = _case("flatback_pso").title
    dialog = history_dialog(records, None, {"flatback_pso": title})  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    table = dialog.findChild(QTableWidget)
    assert table.item(0, 0).text() == "Mon 30 Nov 2026, 16:23"
    assert table.item(0, 1).text() == title
    for column in range(table.columnCount()):  # nothing elided: each cell as wide as its text
        needed = table.fontMetrics().horizontalAdvance(table.item(0, column).text())
        lines = max(1, round(table.rowHeight(0) / table.fontMetrics().lineSpacing()))
        assert table.columnWidth(column) * lines >= needed, column


def test_the_practice_distances_do_not_pile_up(qtbot, make_window, _practice_folders) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1366, 768)
    _practise(qtbot, window)
    window.practice.check_landmarks()
    item = window.practice_errors
    off = [e for e in item.errors if e.grade != "good" and e.placed is not None]
    assert len(off) > 5
    window.view.viewport().repaint()
    boxes = [p.box for p in item.placed_labels]
    assert len(boxes) == len(off)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    assert isinstance(off[0], LandmarkDeviation)
