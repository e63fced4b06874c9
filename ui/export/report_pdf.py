"""The plan report as PDF (issue 6): ``ReportContent`` from the core laid out with QPdfWriter.

The radiographs are drawn by the same scene code as the screen, so overlays stay vector and labels
stay real text; images are embedded losslessly (imaging.md B3). The PDF is built in memory and
written atomically: a failure never leaves half a file behind.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from alignment_planner import __version__
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.atomic import write_bytes_atomically
from alignment_planner.output.reader_text import for_reader
from alignment_planner.output.report import ReportContent, RodTemplate
from alignment_planner.scene.legend import legend
from ui.canvas.palette import STYLE_COLOURS
from ui.canvas.scene import PlanScene
from ui.export.pdf_cursor import DPI, GREY, DrawCursor, font, text
from ui.export.report_segmental import draw_segmental

MARGIN_MM = 12.0
LEGEND_MM = 8.0
LABEL_SCALE = DPI / 96.0 * 0.55
"""The films' labels at about 7 pt on paper."""
SIGN_OFF_MM = 12.0
LETTER_TERRITORIES = {
    QLocale.Country.UnitedStates,
    QLocale.Country.Canada,
    QLocale.Country.Mexico,
    QLocale.Country.Philippines,
    QLocale.Country.Chile,
    QLocale.Country.Colombia,
}
STATUS_INK = {"OUTSIDE": QColor(170, 0, 0), "borderline": QColor(140, 90, 0), "within": QColor(0, 110, 40)}


def default_paper() -> str:
    return "letter" if QLocale().territory() in LETTER_TERRITORIES else "a4"


def render_report_pdf(
    content: ReportContent,
    preop: PlanScene | None,
    planned: PlanScene | None,
    *,
    paper: str = "a4",
    followups: Callable[[DrawCursor], None] | None = None,
) -> bytes:
    """The PDF document as bytes (``preop``/``planned`` are ``None`` for a plan without image)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    size = QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4
    writer.setPageLayout(
        QPageLayout(
            QPageSize(size),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(content.title)
    writer.setCreator(f"alignment-planner {__version__}")
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)  # Flate, not JPEG (B3)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    page = writer.pageLayout().paintRectPixels(DPI)
    cursor = DrawCursor(painter, writer, float(page.width()), float(page.height()))
    try:
        _header(cursor, content)
        _images(cursor, content, preop, planned)
        _sign_off(cursor, content)
        if preop is not None and preop.image_item is not None:
            cursor.writer.newPage()  # the films had the first page to themselves
            cursor.y = 0.0
            text(cursor, f"{content.title} — measurements", 10, bold=True)
        _table(cursor, content)
        _drawn(cursor, content)
        _paragraphs(cursor, content)
        if followups is not None:
            followups(cursor)  # the follow-up page (issue 19), drawn by its own module
        draw_segmental(cursor, content)
        _rod(cursor, content)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def write_report_pdf(
    target: Path,
    content: ReportContent,
    preop: PlanScene | None,
    planned: PlanScene | None,
    *,
    paper: str,
    followups: Callable[[DrawCursor], None] | None = None,
) -> None:
    document = render_report_pdf(content, preop, planned, paper=paper, followups=followups)
    if not document.startswith(b"%PDF"):
        raise AlignmentPlannerError(f"{target}: the PDF could not be produced")
    write_bytes_atomically(target, document)


# --- layout ----------------------------------------------------------------------------------------


def _header(cursor: DrawCursor, content: ReportContent) -> None:
    text(cursor, content.title, 13, bold=True)
    who = "; ".join(content.patient) if content.patient else "anonymous (patient identifiers not included)"
    text(cursor, f"{content.date} · {content.version} · {who}", 7.5, colour=GREY)
    text(cursor, content.disclaimer, 6.5, bold=True)  # first, where nobody can miss it
    cursor.y += cursor.dots(1.0)


def _images(
    cursor: DrawCursor, content: ReportContent, preop: PlanScene | None, planned: PlanScene | None
) -> None:
    if preop is None or preop.image_item is None:
        text(cursor, "No image in this plan: the numbers below come from the landmarks alone.", 9, bold=True)
        return
    # The planned panel shows the film with every moved part of it (a large correction moves the
    # neck and head out of the pre-op frame); both at one scale, so sizes compare.
    frames = [scene.film_rect() if scene is not None else preop.film_rect() for scene in (preop, planned)]
    gap = cursor.dots(4)
    # The films have the first page: all of it but the caption, legend and sign-off lines; each
    # panel as wide as its frame needs at the common scale.
    height_budget = cursor.height - cursor.y - cursor.dots(4 + LEGEND_MM) - _sign_off_height(cursor, content)
    total_width, tallest = sum(f.width() for f in frames), max(f.height() for f in frames)
    scale = min((cursor.width - gap) / total_width, height_budget / tallest)
    height = tallest * scale
    spare = (cursor.width - gap - total_width * scale) / 2  # the pair centred on the page
    cursor.room(height + cursor.dots(6))
    top = cursor.y
    painter = cursor.painter
    captions = ("Pre-operative", "Planned (simulated)" if content.simulated else "No correction planned")
    for index, scene in enumerate((preop, planned)):
        film = frames[index]
        width = film.width() * scale
        left = spare + (0.0 if index == 0 else frames[0].width() * scale + gap)
        target = QRectF(left, top + cursor.dots(4), width, film.height() * scale)
        painter.setFont(font(8, bold=True))
        painter.setPen(QColor(0, 0, 0))
        painter.drawText(
            QRectF(left, top, width, cursor.dots(4)), int(Qt.AlignmentFlag.AlignLeft), captions[index]
        )
        if scene is None:
            painter.setPen(QPen(GREY, cursor.dots(0.2)))
            painter.drawRect(target)
            continue
        previous = scene.overlay_item.label_scale
        scene.overlay_item.label_scale = LABEL_SCALE
        scene.render(painter, target, film, Qt.AspectRatioMode.KeepAspectRatio)
        scene.overlay_item.label_scale = previous
        painter.setPen(QPen(GREY, cursor.dots(0.2)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
    cursor.y = top + cursor.dots(4) + height + cursor.dots(2)
    _legend(cursor, legend(preop.overlay_item.overlay))


def _legend(cursor: DrawCursor, entries: tuple[tuple[str, str], ...]) -> None:
    """One line: a short stroke in each style's colour, then what it means."""
    painter = cursor.painter
    painter.setFont(font(6.5))
    metrics = QFontMetricsF(painter.font(), cursor.writer)
    x, y = 0.0, cursor.y + metrics.ascent()
    stroke = cursor.dots(5)
    for style, meaning in entries:
        width = stroke + cursor.dots(1.2) + metrics.horizontalAdvance(meaning) + cursor.dots(4)
        if x + width > cursor.width:
            x, y = 0.0, y + metrics.height() * 1.2
        pen = QPen(STYLE_COLOURS[style].darker(120), cursor.dots(0.6))
        if style == "construction":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        middle = y - metrics.ascent() / 3
        painter.drawLine(QPointF(x, middle), QPointF(x + stroke, middle))
        painter.setPen(QColor(0, 0, 0))
        painter.drawText(QPointF(x + stroke + cursor.dots(1.2), y), meaning)
        x += width
    cursor.y = y + metrics.descent() + cursor.dots(2)


SignOffRow = list[tuple[str, str]]
AFFILIATION_MM = 5.0


def _sign_off_rows(cursor: DrawCursor, content: ReportContent) -> list[SignOffRow]:
    """Surgeon, planned surgery date and signature on one line; a surgeon's name too long for a
    third of it gets the whole line, the date and signature sharing the next: nothing prints over."""
    surgeon = content.sign_off.surgeon
    fields = [("Surgeon", surgeon), ("Planned surgery date", ""), ("Signature", "")]
    metrics = QFontMetricsF(font(8), cursor.writer)
    if metrics.horizontalAdvance(f"Surgeon: {surgeon}") + cursor.dots(14) <= cursor.width / 3:
        return [fields]
    return [fields[:1], fields[1:]]


def _sign_off_height(cursor: DrawCursor, content: ReportContent) -> float:
    """What the sign-off block takes on the films' page, in dots."""
    rows = len(_sign_off_rows(cursor, content))
    return cursor.dots(SIGN_OFF_MM * rows + (AFFILIATION_MM if content.sign_off.affiliation else 0.0))


def _sign_off(cursor: DrawCursor, content: ReportContent) -> None:
    """Surgeon, planned surgery date and signature: filled where known, otherwise lines; the
    department and institution above them when set."""
    rows = _sign_off_rows(cursor, content)
    # What is drawn below (6 mm to each baseline, 4 mm under the last); the films' budget keeps
    # SIGN_OFF_MM a row, the difference a margin for a legend that wrapped onto a second line.
    cursor.room(cursor.dots(10 * len(rows) + (AFFILIATION_MM if content.sign_off.affiliation else 0.0)))
    if content.sign_off.affiliation:
        text(cursor, content.sign_off.affiliation, 8)
    painter = cursor.painter
    painter.setFont(font(8))
    metrics = QFontMetricsF(painter.font(), cursor.writer)
    painter.setPen(QPen(QColor(0, 0, 0), cursor.dots(0.2)))
    y = cursor.y
    for row in rows:
        y += cursor.dots(6)
        span = cursor.width / len(row)
        for index, (label, value) in enumerate(row):
            left = index * span
            caption = f"{label}: {value}"
            painter.drawText(QPointF(left, y), caption)
            start = left + metrics.horizontalAdvance(caption) + cursor.dots(1)
            end = left + span - cursor.dots(4)
            if end - start > cursor.dots(10):  # a line to write on where the name leaves room
                painter.drawLine(QPointF(start, y + cursor.dots(0.8)), QPointF(end, y + cursor.dots(0.8)))
    cursor.y = y + cursor.dots(4)


def _table(cursor: DrawCursor, content: ReportContent) -> None:
    headers = ["Parameter", "Pre-op", "Planned", "Δ", "± 95 %", "Unit", "Target"]
    widths = [0.34, 0.09, 0.09, 0.08, 0.18, 0.06, 0.16]
    if not content.simulated:
        headers[2] = headers[3] = ""
    painter = cursor.painter
    table_font = font(7)
    metrics = QFontMetricsF(table_font, cursor.writer)
    row_height = metrics.height() * 1.1
    text(cursor, content.preset, 7, colour=GREY)

    def row(cells: list[str], bold: bool = False, shade: bool = False) -> None:
        cursor.room(row_height)
        x = 0.0
        if shade:
            painter.fillRect(QRectF(0, cursor.y, cursor.width, row_height), QColor(242, 242, 242))
        painter.setFont(font(7, bold))
        for index, (cell, fraction) in enumerate(zip(cells, widths, strict=True)):
            span = fraction * cursor.width
            align = Qt.AlignmentFlag.AlignLeft if index in (0, 5, 6) else Qt.AlignmentFlag.AlignRight
            painter.setPen(STATUS_INK.get(cell, QColor(0, 0, 0)) if index == 6 else QColor(0, 0, 0))
            painter.drawText(
                QRectF(x + cursor.dots(0.8), cursor.y, span - cursor.dots(1.6), row_height),
                int(align | Qt.AlignmentFlag.AlignVCenter),
                for_reader(cell),
            )
            x += span
        cursor.y += row_height

    row(headers, bold=True)
    painter.setPen(QPen(QColor(0, 0, 0), cursor.dots(0.15)))
    painter.drawLine(0, int(cursor.y), int(cursor.width), int(cursor.y))
    for index, r in enumerate(content.rows):
        row(
            [
                f"{r.label}  {r.parameter.name}",
                r.preop_text,
                r.planned_cell,
                r.delta_cell,
                r.band_cells,  # pre-op → planned, "?" where a band straddles a threshold
                r.parameter.symbol,
                r.verdict_text,
            ],
            shade=index % 2 == 1,
        )
    cursor.y += cursor.dots(1.5)


def _drawn(cursor: DrawCursor, content: ReportContent) -> None:
    """The free measurements drawn on the film, as a short table (issue 18)."""
    if not content.drawn:
        return
    text(cursor, "Measurements drawn", 8.5, bold=True)
    painter = cursor.painter
    row_height = QFontMetricsF(font(7), cursor.writer).height() * 1.1
    widths = (0.34, 0.12, 0.12, 0.42)
    header = ("Measurement", "Pre-op", "Planned" if content.simulated else "", "Note")
    for index, cells in enumerate((header, *content.drawn)):
        cursor.room(row_height)
        painter.setFont(font(7, index == 0))
        painter.setPen(QColor(0, 0, 0))
        x = 0.0
        for column, (cell, fraction) in enumerate(zip(cells, widths, strict=True)):
            span = fraction * cursor.width
            align = Qt.AlignmentFlag.AlignRight if column in (1, 2) else Qt.AlignmentFlag.AlignLeft
            painter.drawText(
                QRectF(x + cursor.dots(0.8), cursor.y, span - cursor.dots(1.6), row_height),
                int(align | Qt.AlignmentFlag.AlignVCenter),
                cell,
            )
            x += span
        cursor.y += row_height
    cursor.y += cursor.dots(1.5)


def _paragraphs(cursor: DrawCursor, content: ReportContent) -> None:
    for line in (content.calibration, content.compensation, content.uncertainty):
        if line:
            text(cursor, line, 7.5)
    text(cursor, "Classifications", 8.5, bold=True)
    for line in content.classifications:
        text(cursor, line, 7.5)
    text(cursor, "Procedures", 8.5, bold=True)
    for line in content.procedures or ("none planned",):
        text(cursor, line, 7.5)
    if content.notes:
        text(cursor, "Notes", 8.5, bold=True)
        text(cursor, content.notes, 7.5)
    if content.warnings:
        text(cursor, "Warnings", 8.5, bold=True)
        for line in content.warnings:
            text(cursor, line, 7, colour=GREY)


def _rod(cursor: DrawCursor, content: ReportContent) -> None:
    """The planned rod at 1:1, tiled over as many pages as its length needs (issue 6)."""
    rod = content.rod
    if rod is None:
        return
    painter = cursor.painter
    mm = cursor.dots(1.0)
    header_mm, bottom_mm = 30.0, 6.0
    band_mm = cursor.height / mm - header_mm - bottom_mm
    # A few mm past the band still fit in the bottom margin: no page for the last point alone.
    pages = max(1, math.ceil((rod.length_mm - bottom_mm + 1.0) / band_mm))
    centre = cursor.width / 2
    for page in range(pages):
        cursor.writer.newPage()
        cursor.y = 0.0
        text(
            cursor,
            f"Rod template {rod.span} — {content.case_name} — 1:1, page {page + 1} of {pages}",
            11,
            bold=True,
        )
        text(cursor, "Print at 100 % (no 'fit to page'). The bar below must measure 50 mm. " + rod.note, 7)
        bar_y = cursor.y + mm * 2
        painter.setPen(QPen(QColor(0, 0, 0), mm * 0.4))
        painter.drawLine(QPointF(0, bar_y), QPointF(50 * mm, bar_y))
        for tick in range(0, 51, 10):
            painter.drawLine(QPointF(tick * mm, bar_y - mm * 1.5), QPointF(tick * mm, bar_y + mm * 1.5))
        painter.setFont(font(6.5))
        painter.drawText(QPointF(52 * mm, bar_y + mm), "50 mm")
        sides = "posterior ←   → anterior" if rod.anterior_on_right else "anterior ←   → posterior"
        painter.drawText(QPointF(cursor.width - 40 * mm, bar_y + mm), sides)
        top_dots = header_mm * mm
        start, end = page * band_mm, (page + 1) * band_mm
        painter.save()
        last = page == pages - 1
        painter.setClipRect(
            QRectF(0, top_dots - mm, cursor.width, (band_mm + (bottom_mm if last else 0)) * mm + 2 * mm)
        )
        painter.setPen(QPen(QColor(0, 0, 0), mm * 0.6))
        points = [
            QPointF(centre + across * mm, top_dots + (along - start) * mm) for _l, across, along in rod.points
        ]
        painter.drawPolyline(points)
        painter.setFont(font(6.5))
        _rod_labels(painter, rod, points, start, end, mm)
        painter.restore()
        painter.setPen(QPen(GREY, mm * 0.2, Qt.PenStyle.DashLine))
        for edge, words in (
            (top_dots, "continued from the previous page"),
            (top_dots + band_mm * mm, "continues"),
        ):
            if (edge == top_dots and page > 0) or (edge != top_dots and page < pages - 1):
                painter.drawLine(QPointF(0, edge), QPointF(cursor.width, edge))
                painter.drawText(QPointF(mm, edge - mm), f"✂ join here ({words})")


def _rod_labels(
    painter: QPainter, rod: RodTemplate, points: list[QPointF], start: float, end: float, mm: float
) -> None:
    """Each corner marked on the rod, its name in a column beside the rod (on the posterior
    side), moved down where names would print over each other, with a leader to its corner."""
    metrics = QFontMetricsF(painter.font(), painter.device())
    step = metrics.height() * 1.05
    posterior_right = not rod.anterior_on_right  # the names go where the screws and the rod are
    xs = [p.x() for p in points]
    column_x = max(xs) + 8 * mm if posterior_right else min(xs) - 8 * mm
    next_free = -math.inf
    for (label, _across, along), point in zip(rod.points, points, strict=True):
        if not start - 1 <= along <= end + 1:
            continue
        painter.drawEllipse(point, mm * 0.8, mm * 0.8)
        baseline = max(point.y() + metrics.ascent() / 2, next_free + step)
        next_free = baseline
        width = metrics.horizontalAdvance(label)
        text_x = column_x if posterior_right else column_x - width
        anchor_x = text_x - mm if posterior_right else text_x + width + mm
        painter.drawLine(point, QPointF(anchor_x, baseline - metrics.ascent() / 3))
        painter.drawText(QPointF(text_x, baseline), label)

