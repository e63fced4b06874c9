"""The practice history dialog: every saved attempt, newest first (issue 7 §3), with the date in
the reader's local time and the case by its title, every cell whole (wrapped, never elided)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from alignment_planner.teaching.scoring import agreement_summary
from ui.panels.column_fit import content_width

COLUMNS = ("Started", "Case", "Minutes", "Landmarks", "Planned values")
WRAPPED = (1, 3, 4)  # the long texts: wrapped when the screen is narrower than they are


def history_dialog(
    records: list[dict[str, Any]], parent: QWidget, titles: Mapping[str, str] | None = None
) -> QDialog:
    """A non-modal dialog listing ``records`` (attempt records as saved by the attempt store);
    ``titles`` names the cases (by id) as the case picker does."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Practice history")
    table = QTableWidget(len(records), len(COLUMNS))
    table.setHorizontalHeaderLabels(COLUMNS)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    for row, record in enumerate(records):
        for column, text in enumerate(_cells(record, titles or {})):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().width() - 80
    excess = content_width(table) - room
    if excess > 0:  # narrower than the texts: the long columns give way and wrap
        for column in WRAPPED:
            cut = min(excess, table.columnWidth(column) // 2)
            table.setColumnWidth(column, table.columnWidth(column) - cut)
            excess -= cut
    table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    dialog.resize(min(content_width(table) + 40, room), 400)
    return dialog


def readable_time(stamp: str) -> str:
    """An ISO timestamp as a reader's local date and time ("Mon 30 Nov 2026, 16:23")."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the reader's zone
    return moment.strftime("%a %d %b %Y, %H:%M")


def _cells(record: dict[str, Any], titles: Mapping[str, str]) -> tuple[str, str, str, str, str]:
    landmarks = record.get("landmarks") or {}
    plan = record.get("plan") or {}
    planned = plan.get("planned") or {}
    case = str(record.get("case", ""))
    return (
        readable_time(str(record.get("started", ""))),
        titles.get(case, case),
        f"{float(record.get('seconds', 0)) / 60:.1f}",
        str(landmarks.get("summary", "not checked")),
        _planned_summary(plan) if planned else "not compared",
    )


def _planned_summary(plan: dict[str, Any]) -> str:
    """The comparison's summary as saved with the attempt; an attempt saved before the summary
    was kept is counted again from its grades by the same definition (not measurable values are
    not judged), so the history and the practice panel never disagree on the total."""
    saved = plan.get("summary")
    if isinstance(saved, str) and saved:
        return saved
    planned = plan.get("planned") or {}
    grades = (str(v.get("grade", "not measurable")) for v in planned.values() if isinstance(v, dict))
    return agreement_summary(grades, "values")
