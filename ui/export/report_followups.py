"""The report's follow-up page (issue 19 §3): films side by side, the planned-versus-achieved
table with misses beyond the band in red, and the misses in words."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen

from alignment_planner.output.followup_report import FollowUpPage
from ui.canvas.scene import PlanScene
from ui.export.pdf_cursor import GREY, DrawCursor, font, text

MISS_INK = QColor(170, 0, 0)


def draw_followup_page(
    cursor: DrawCursor, page: FollowUpPage, case: str, films: list[tuple[str, PlanScene | None]]
) -> None:
    cursor.writer.newPage()
    cursor.y = 0.0
    text(cursor, f"Planned versus achieved — {case}", 11, bold=True)
    _films(cursor, films)
    _table(cursor, page)
    text(cursor, page.note, 6.5, colour=GREY)
    text(cursor, "Misses beyond the band", 8.5, bold=True)
    for line in page.misses:
        text(cursor, line, 7.5)


def _films(cursor: DrawCursor, films: list[tuple[str, PlanScene | None]]) -> None:
    shown = [(caption, scene) for caption, scene in films if scene is not None and scene.image_item]
    if not shown:
        return
    gap = cursor.dots(3)
    column = (cursor.width - gap * (len(shown) - 1)) / len(shown)
    budget = cursor.height * 0.42
    painter = cursor.painter
    top = cursor.y
    tallest = 0.0
    for index, (caption, scene) in enumerate(shown):
        assert scene.image_item is not None
        film = scene.image_item.boundingRect()
        scale = min(column / film.width(), budget / film.height())
        width, height = film.width() * scale, film.height() * scale
        left = index * (column + gap) + (column - width) / 2
        painter.setFont(font(7.5, bold=True))
        painter.setPen(QColor(0, 0, 0))
        painter.drawText(QRectF(left, top, column, cursor.dots(4)), int(Qt.AlignmentFlag.AlignLeft), caption)
        target = QRectF(left, top + cursor.dots(4), width, height)
        scene.render(painter, target, film, Qt.AspectRatioMode.KeepAspectRatio)
        painter.setPen(QPen(GREY, cursor.dots(0.2)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
        tallest = max(tallest, height)
    cursor.y = top + cursor.dots(4) + tallest + cursor.dots(3)


def _table(cursor: DrawCursor, page: FollowUpPage) -> None:
    headers = ["Key", "Unit", "Pre-op", "Planned"]
    for film in page.films:
        headers += [film, "planned − achieved"]
    count = len(headers)
    widths = [0.09, 0.06, 0.1, 0.1] + [0.65 / (count - 4)] * (count - 4)
    painter = cursor.painter
    row_height = cursor.dots(4.2)

    def row(cells: list[str], red: set[int], bold: bool = False, shade: bool = False) -> None:
        cursor.room(row_height)
        if shade:
            painter.fillRect(QRectF(0, cursor.y, cursor.width, row_height), QColor(242, 242, 242))
        x = 0.0
        for index, (cell, fraction) in enumerate(zip(cells, widths, strict=True)):
            span = fraction * cursor.width
            painter.setFont(font(7, bold or index in red))
            painter.setPen(MISS_INK if index in red else QColor(0, 0, 0))
            align = Qt.AlignmentFlag.AlignLeft if index < 2 else Qt.AlignmentFlag.AlignRight
            painter.drawText(
                QRectF(x + cursor.dots(0.8), cursor.y, span - cursor.dots(1.6), row_height),
                int(align | Qt.AlignmentFlag.AlignVCenter), cell,
            )
            x += span
        cursor.y += row_height

    row(headers, set(), bold=True)
    for number, r in enumerate(page.rows):
        cells = [r.key, r.unit, r.preop, r.planned]
        red = set()
        for i, cell in enumerate(r.cells):
            cells += [cell.achieved, cell.miss + (" !" if cell.missed else "")]
            if cell.missed:
                red.add(5 + 2 * i)
        row(cells, red, shade=number % 2 == 1)
    cursor.y += cursor.dots(1.5)
