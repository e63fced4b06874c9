"""What a reader reads on screen, in `render` and in the PDF (surgeon review 2026-11-30, A2, A3, A4,
C2, D): the planned film shows the whole displaced spine, reader names instead of keys, the "?"
on a straddling band explained, over-correction beside the SRS-Schwab grades."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QTableWidget, QTreeWidget, QWidget

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.imaging import load_radiograph
from alignment_planner.output.reader_text import has_internal_reference
from alignment_planner.output.rows import UNSURE_NOTE
from alignment_planner.plan.model import Osteotomy, Plan
from alignment_planner.scene.primitives import Label, Line
from tests.core.issue15_plans import NORMAL_FILE, normal
from tests.reader_words import raw_keys
from tests.ui.conftest import ROOT, SAMPLE_PLAN, open_and_wait
from ui.export.render import export_scene, render_scene_image

pytestmark = pytest.mark.gui

# The review's large correction on the normal adult: PI−LL −35°, SVA about −242 mm; the neck,
# C7 and the head leave the pre-op frame.
LARGE = (Osteotomy("PSO", "L3", 30.0), Osteotomy("SPO", "T12-L1", 10.0))


def _standalone(plan: Plan, target: Path) -> Path:
    assert plan.image is not None and plan.image.path is not None
    image = replace(plan.image, path=str((NORMAL_FILE.parent / plan.image.path).resolve()))
    write_plan(replace(plan, image=image), target)
    return target


def test_the_planned_render_shows_every_landmark_construction_and_label(qapp) -> None:  # type: ignore[no-untyped-def]
    plan = normal(*LARGE)
    analysis = analyze(plan)
    assert plan.image is not None
    radiograph = load_radiograph(plan.image.resolve(NORMAL_FILE.parent))  # type: ignore[arg-type]
    scene = export_scene(plan, analysis, radiograph, "postop")
    image = render_scene_image(scene)
    frame = scene.film_rect()
    film = radiograph.width, radiograph.height
    assert (image.width(), image.height()) == (round(frame.width()), round(frame.height()))
    assert frame.width() > film[0]  # the correction moved the trunk beyond the pre-op frame

    def inside(point: tuple[float, float]) -> bool:
        return frame.adjusted(-1, -1, 1, 1).contains(*point)

    overlay = scene.overlay_item.overlay
    handles = [h for h in overlay.handles if not inside(h.position)]
    assert handles == [], "a planned landmark lies outside the drawn panel"
    anchors = [p.key for p in overlay.primitives if isinstance(p, Label) and not inside(p.anchor)]
    assert anchors == []
    lines = [p.key for p in overlay.primitives if isinstance(p, Line) and not (inside(p.a) and inside(p.b))]
    assert lines == [], "a construction (the SVA plumb line …) leaves the panel"
    output = QRectF(0, 0, image.width(), image.height())
    rects = scene.overlay_item.painted_label_rects
    assert len(rects) >= 6 and all(output.contains(rect) for _key, rect in rects)
    mark = scene.overlay_item.planned_mark_rect
    assert mark is not None and output.contains(mark)


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alignment_planner", "report", *args],
        capture_output=True, text=True, timeout=180, check=False, cwd=ROOT,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def _pdf_text(path: Path) -> str:
    pages = PdfReader(path).pages
    return "\n".join(unicodedata.normalize("NFKC", page.extract_text()) for page in pages)


def test_the_report_reads_in_reader_words(tmp_path: Path) -> None:
    flatback, large = tmp_path / "flatback.pdf", tmp_path / "large.pdf"
    assert _report(str(SAMPLE_PLAN), "-o", str(flatback), "--uncertainty").returncode == 0
    plan_file = _standalone(normal(*LARGE), tmp_path / "large.plan.json")
    result = _report(str(plan_file), "-o", str(large), "--uncertainty")
    assert result.returncode == 0, result.stderr
    text, big = _pdf_text(flatback), _pdf_text(large)
    for words in (text, big):
        assert raw_keys(words) == []
        assert [line for line in words.splitlines() if has_internal_reference(line)] == []
    flat = " ".join(text.split())
    # A2: both bands, as on screen, and the planned SVA band flagged: 20.1 ± 82.9 mm straddles 40 mm.
    assert "±6.9 → ±82.9?" in flat
    assert " ".join(UNSURE_NOTE.split()) in flat
    # A3: the gross over-correction is named beside the one-sided grade.
    assert "PI−LL 0 → 0, over-corrected (planned -35.0°)" in " ".join(big.split())
    # D: the follow-up page names its interval (anonymous: no date) and prints ° for degrees.
    assert "Follow-up 1 (1 year)" in flat and "2027-03-15" not in flat
    # C2: GAP categories in words.
    assert "12 (severely disproportioned) → 2 (proportioned)" in flat


def _shown_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:  # every tab and dock, shown or not
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTableWidget):
            for c in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(c)
                texts.append(header.text() if header is not None else "")
            for r in range(widget.rowCount()):
                row_header = widget.verticalHeaderItem(r)
                texts.append(row_header.text() if row_header is not None else "")
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    item = widget.item(r, c)
                    if item is not None:
                        texts += [item.text(), item.toolTip()]
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts += [header.text(c) for c in range(header.columnCount())]
            stack = [widget.topLevelItem(i) for i in range(widget.topLevelItemCount())]
            while stack:
                item = stack.pop()
                texts += [item.text(c) for c in range(item.columnCount())]
                texts += [item.toolTip(c) for c in range(item.columnCount())]
                stack += [item.child(i) for i in range(item.childCount())]
        texts += [a.text() for a in widget.actions()]
    return [t for t in texts if t]


def test_the_window_shows_reader_names_never_keys(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1920, 1080)
    open_and_wait(qtbot, window, _standalone(normal(*LARGE), tmp_path / "large.plan.json"))
    qtbot.wait(500)  # the targets and ± bands are computed once things settle
    for _ in range(5):
        QApplication.processEvents()
    # The Suggest goals (one per key) and the Solve list are drop-downs: their items are read too.
    window.osteotomies.goals.setText("PI_LL<=10, TK_T2T12<=40, C2S1_SVA<=50")
    texts = _shown_texts(window)
    texts.append(window.status.scale.text())
    texts += [window.controller.history.undo_label or ""]
    found = sorted({key for t in texts for key in raw_keys(t)})
    assert found == []
    table = window.measurements
    assert table.text("PI_LL", 0) == "PI−LL" and table.text("TK_T2T12", 0) == "TK T2–T12"
    assert "DICOM pixel spacing" in window.status.scale.text()
    solve_items = [window.osteotomies.solve_key.itemText(i) for i in range(window.osteotomies.solve_key.count())]
    assert "PI − LL mismatch" in solve_items and "Sagittal vertical axis (SVA, C7)" in solve_items
    header = table.table.horizontalHeaderItem(4)
    assert header is not None and UNSURE_NOTE in header.toolTip()
