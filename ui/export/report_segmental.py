"""The report's segmental-angles page: a real table (level, pre-op, planned, change, each
follow-up), numbers right-aligned so their decimal points line up, the header row repeated on
every page the table runs onto, rows never printed over one another."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPen

from alignment_planner.output.report import ReportContent
from alignment_planner.output.segmental_table import SegmentalTable
from ui.export.pdf_cursor import GREY, DrawCursor, font, text

POINTS = 9.0
SHADE = QColor(242, 242, 242)
PAD_MM = 1.5  # between a column's edge and its text
MIN_NUMBER_COLUMN_MM = 17.0  # even columns however short their numbers: easier to read across


def draw_segmental(cursor: DrawCursor, content: ReportContent) -> None:
    table = content.segmental
    if not table:
        return
    cursor.writer.newPage()
    cursor.y = 0.0
    text(cursor, f"Segmental angles — {content.case_name}", 11, bold=True)
    what = "Superior endplate to superior endplate, lordosis positive (°)"
    if "Change" in table.headers:
        what += "; change = planned − pre-op"
    text(cursor, what, 7.5, colour=GREY)
    _table(cursor, table)
    for reason in table.reasons:
        text(cursor, f"not measurable: {reason}", 6.5, colour=GREY)


def _widths(cursor: DrawCursor, table: SegmentalTable) -> list[float]:
    """Each column as wide as its widest text (header or cell) and the padding; the level column
    first, the numbers after it, together never wider than the page."""
    pad = 2 * cursor.dots(PAD_MM)
    regular = QFontMetricsF(font(POINTS), cursor.writer)
    bold = QFontMetricsF(font(POINTS, bold=True), cursor.writer)
    widths = []
    for column, header in enumerate(table.headers):
        cells = [regular.horizontalAdvance(r[column]) for r in table.rows]
        widest = max([bold.horizontalAdvance(header), *cells])
        floor = 0.0 if column == 0 else cursor.dots(MIN_NUMBER_COLUMN_MM)
        widths.append(max(widest + pad, floor))
    total = sum(widths)
    if total > cursor.width:  # many follow-ups: shrink every column alike
        widths = [w * cursor.width / total for w in widths]
    return widths


def _table(cursor: DrawCursor, table: SegmentalTable) -> None:
    painter = cursor.painter
    widths = _widths(cursor, table)
    row_height = QFontMetricsF(font(POINTS), cursor.writer).height() * 1.25
    pad = cursor.dots(PAD_MM)

    def row(cells: tuple[str, ...], *, bold: bool = False, shade: bool = False) -> None:
        if shade:
            painter.fillRect(QRectF(0, cursor.y, sum(widths), row_height), SHADE)
        painter.setFont(font(POINTS, bold))
        painter.setPen(QColor(0, 0, 0))
        x = 0.0
        for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            # Every number has one decimal: right-aligned, their decimal points line up.
            align = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
            painter.drawText(
                QRectF(x + pad, cursor.y, width - 2 * pad, row_height),
                int(align | Qt.AlignmentFlag.AlignVCenter),
                cell,
            )
            x += width
        cursor.y += row_height

    def header() -> None:
        row(table.headers, bold=True)
        painter.setPen(QPen(QColor(0, 0, 0), cursor.dots(0.2)))
        painter.drawLine(QPointF(0, cursor.y), QPointF(sum(widths), cursor.y))

    header()
    for index, cells in enumerate(table.rows):
        if cursor.y + row_height > cursor.height:  # the table runs on: a new page, the header again
            cursor.writer.newPage()
            cursor.y = 0.0
            header()
        row(cells, shade=index % 2 == 1)
    cursor.y += cursor.dots(2)
