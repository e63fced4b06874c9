"""The report's follow-up page (issue 19 §3): films side by side, the planned-versus-achieved
table with misses beyond the band in red, and the misses in words."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen

from alignment_planner.output.followup_report import FollowUpPage
from ui.canvas.scene import PlanScene
from ui.export.pdf_cursor import GREY, DrawCursor, font, text
from ui.export.report_pdf import LABEL_SCALE

MISS_INK = QColor(170, 0, 0)
ROW_MM = 4.2


def draw_followup_page(
    cursor: DrawCursor, page: FollowUpPage, case: str, films: list[tuple[str, PlanScene | None]]
) -> None:
    cursor.writer.newPage()
    cursor.y = 0.0
    text(cursor, f"Planned versus achieved — {case}", 11, bold=True)
    # The films take what the table, its note and the misses leave of the page.
    below = cursor.dots(ROW_MM * (len(page.rows) + 1) + 14 + 4.5 * (len(page.misses) + 1))
    _films(cursor, films, below)
    _table(cursor, page)
    text(cursor, page.note, 6.5, colour=GREY)
    text(cursor, "Misses beyond the band", 8.5, bold=True)
    for line in page.misses:
        text(cursor, line, 7.5)


def _films(cursor: DrawCursor, films: list[tuple[str, PlanScene | None]], below: float) -> None:
    """The films side by side at one scale (sizes compare), each panel as wide as its frame: a
    planned film is the film with every moved part of it."""
    shown = [(caption, scene) for caption, scene in films if scene is not None and scene.image_item]
    if not shown:
        return
    gap = cursor.dots(3)
    frames = [scene.film_rect() for _caption, scene in shown]
    budget = max(cursor.height * 0.4, cursor.height - cursor.y - cursor.dots(6) - below)
    total_width, tallest = sum(f.width() for f in frames), max(f.height() for f in frames)
    scale = min((cursor.width - gap * (len(shown) - 1)) / total_width, budget / tallest)
    painter = cursor.painter
    top = cursor.y
    left = (cursor.width - gap * (len(shown) - 1) - total_width * scale) / 2
    for (caption, scene), film in zip(shown, frames, strict=True):
        width, height = film.width() * scale, film.height() * scale
        painter.setFont(font(7.5, bold=True))
        painter.setPen(QColor(0, 0, 0))
        painter.drawText(QRectF(left, top, width, cursor.dots(4)), int(Qt.AlignmentFlag.AlignLeft), caption)
        target = QRectF(left, top + cursor.dots(4), width, height)
        previous = scene.overlay_item.label_scale
        scene.overlay_item.label_scale = LABEL_SCALE  # labels as legible as on the first page
        scene.render(painter, target, film, Qt.AspectRatioMode.KeepAspectRatio)
        scene.overlay_item.label_scale = previous
        painter.setPen(QPen(GREY, cursor.dots(0.2)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
        left += width + gap
    cursor.y = top + cursor.dots(4) + tallest * scale + cursor.dots(3)


def _table(cursor: DrawCursor, page: FollowUpPage) -> None:
    headers = ["Parameter", "Unit", "Pre-op", "Planned"]
    for film in page.films:
        headers += [film, "planned − achieved"]
    count = len(headers)
    # Value columns as wide as a value needs (no gap that leaves a row hard to follow), however
    # many follow-ups there are; the columns shrink only when they would overflow the page.
    each = min(0.16, 0.74 / max(1, count - 2))
    widths = [0.14, 0.06] + [each] * (count - 2)
    painter = cursor.painter
    row_height = cursor.dots(ROW_MM)

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
        cells = [r.label, r.unit, r.preop, r.planned]
        red = set()
        for i, cell in enumerate(r.cells):
            cells += [cell.achieved, cell.miss + (" !" if cell.missed else "")]
            if cell.missed:
                red.add(5 + 2 * i)
        row(cells, red, shade=number % 2 == 1)
    cursor.y += cursor.dots(1.5)
