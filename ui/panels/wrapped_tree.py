"""A tree of groups and rows whose texts are read whole at any panel width: a group's name spans
the row, the label column is as wide as its labels up to a share of the panel, the value columns
share the rest, and a text wider than its column wraps onto another line instead of ending in
"…" ("Surgical 'success' thresholds (S…" at 1366 px). Qt's tree neither wraps nor sizes a row to
wrapped text, so the lines are broken here, by the tree's own font, whenever its width changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

WHOLE = Qt.ItemDataRole.UserRole + 7
"""Where each cell keeps its whole text (the shown one may hold line breaks)."""
CELL_MARGIN_PX = 12
"""What a cell spends beside its text (the delegate's margins, rounding)."""
LABEL_SHARE = 0.42
"""The most of the width the label column takes when its labels are long."""


def wrapped(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` broken at spaces into lines no wider than ``width`` pixels (a word wider than
    that keeps a line of its own); existing line breaks are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


class WrappedTree(QTreeWidget):
    def __init__(self, headers: list[str]) -> None:
        super().__init__()
        self.setHeaderLabels(headers)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    @staticmethod
    def set_whole(item: QTreeWidgetItem, column: int, text: str) -> None:
        item.setData(column, WHOLE, text)
        item.setText(column, text)

    @staticmethod
    def whole(item: QTreeWidgetItem, column: int) -> str:
        """The cell's whole text, without the line breaks the width put in."""
        text = item.data(column, WHOLE)
        return text if isinstance(text, str) else item.text(column)

    def adopt(self) -> None:
        """Keep every cell's text as its whole text (cells not yet kept), then wrap: call after
        filling the tree."""
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            if group is None:
                continue
            for item in (group, *(group.child(j) for j in range(group.childCount()))):
                if item is None:
                    continue
                for column in range(self.columnCount()):
                    if item.data(column, WHOLE) is None:
                        item.setData(column, WHOLE, item.text(column))
        self.rewrap()

    def rewrap(self) -> None:
        """Size the columns to the panel and break every text to its column."""
        metrics = self.fontMetrics()
        available = self.viewport().width()
        if available <= 0:
            return
        columns = [c for c in range(self.columnCount()) if not self.isColumnHidden(c)]
        groups = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        rows = [g.child(j) for g in groups if g is not None for j in range(g.childCount())]
        indent = self.indentation() * (2 if self.rootIsDecorated() else 1)
        labels = [metrics.horizontalAdvance(self.whole(r, 0)) for r in rows if r is not None]
        widest = max(labels, default=0) + indent + CELL_MARGIN_PX
        first = min(widest, int(available * LABEL_SHARE)) if len(columns) > 1 else available
        self.setColumnWidth(0, first)
        rest = [c for c in columns if c != 0]
        for index, column in enumerate(rest):
            share = (available - first) // len(rest)
            last = index == len(rest) - 1
            self.setColumnWidth(column, available - first - share * (len(rest) - 1) if last else share)
        for group in groups:
            if group is None:
                continue
            group.setFirstColumnSpanned(True)
            group.setText(0, wrapped(self.whole(group, 0), metrics, available - indent - CELL_MARGIN_PX))
        for row in rows:
            if row is None:
                continue
            for column in columns:
                room = self.columnWidth(column) - CELL_MARGIN_PX - (indent if column == 0 else 0)
                row.setText(column, wrapped(self.whole(row, column), metrics, max(room, 1)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.rewrap()
