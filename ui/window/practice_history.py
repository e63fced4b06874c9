"""The practice history dialog: every saved attempt, newest first (issue 7 §3)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget


def history_dialog(records: list[dict[str, Any]], parent: QWidget) -> QDialog:
    """A non-modal dialog listing ``records`` (attempt records as saved by the attempt store)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Practice history")
    table = QTableWidget(len(records), 5)
    table.setHorizontalHeaderLabels(("Started", "Case", "Minutes", "Landmarks", "Planned values"))
    table.verticalHeader().hide()
    for row, record in enumerate(records):
        for column, text in enumerate(_cells(record)):
            table.setItem(row, column, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    dialog.resize(900, 400)
    return dialog


def _cells(record: dict[str, Any]) -> tuple[str, str, str, str, str]:
    landmarks = record.get("landmarks") or {}
    plan = record.get("plan") or {}
    planned = plan.get("planned") or {}
    good = sum(1 for v in planned.values() if isinstance(v, dict) and v.get("grade") == "good")
    return (
        str(record.get("started", "")),
        str(record.get("case", "")),
        f"{float(record.get('seconds', 0)) / 60:.1f}",
        str(landmarks.get("summary", "not checked")),
        f"{good} of {len(planned)} within variability" if planned else "not compared",
    )
