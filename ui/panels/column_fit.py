"""Table columns as wide as what they show: the widest of the header and the given sample texts,
measured by the table's own delegate and header (its font, margins and style), so that no cell
of a known content is elided ("mm" shown as "…")."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def fit_column(table: QTableWidget, column: int, samples: Iterable[str] = ()) -> int:
    """Size ``column`` to its header, its current cells and ``samples`` (texts it will show later,
    such as the widest value of a live column); returns the width set."""
    width = max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))
    if table.rowCount():
        probe_row = table.rowCount() - 1
        kept = table.takeItem(probe_row, column)
        for text in samples:
            table.setItem(probe_row, column, QTableWidgetItem(text))
            width = max(width, table.sizeHintForColumn(column))
        table.setItem(probe_row, column, kept if kept is not None else QTableWidgetItem())
    table.setColumnWidth(column, width)
    return width


def content_width(table: QTableWidget) -> int:
    """The width the visible columns need, with the frame and a vertical scroll bar."""
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()) if not table.isColumnHidden(c))
    row_header = table.verticalHeader().width() if table.verticalHeader().isVisible() else 0
    return columns + row_header + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
