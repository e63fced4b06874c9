"""The plan PDF (issue 6): text, pages, metadata, lossless images, anonymity, bad input."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from alignment_planner.files.plan_reader import read_plan
from tests.ui.conftest import ROOT, SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alignment_planner", "report", *args],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def _text(path: Path, page: int = 0) -> str:
    # NFKC: the PDF's ligatures ("ﬂ") read as the letters they stand for.
    return " ".join(unicodedata.normalize("NFKC", PdfReader(path).pages[page].extract_text()).split())


def _plan_text(path: Path) -> str:
    """The plan's first two pages: the films (with the sign-off), then the measurements."""
    return _text(path, 0) + " " + _text(path, 1)


def test_report_carries_the_numbers_levels_and_angles(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = _report(str(SAMPLE_PLAN), "-o", str(out), "--uncertainty", "--paper", "a4")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    # The films on a page of their own, the measurements, the follow-up film (issue 19: the sample
    # holds one), segmental angles, the 1:1 rod template.
    assert len(reader.pages) == 5
    # Anonymous: the follow-up is numbered, its label and examination date are not printed.
    assert "Planned versus achieved" in _text(out, 2) and "Follow-up 1" in _text(out, 2)
    assert "2027-03-15" not in _text(out, 2)
    # Anonymous by default (contract.md §4.7): the file name (often the patient's) nowhere.
    assert reader.metadata.title == "Sagittal alignment plan — anonymous case"
    assert reader.metadata.creator.startswith("alignment-planner ")
    text = _plan_text(out)
    for expected in (
        "PI Pelvic incidence 62.0 62.0 +0.0", "SVA Sagittal vertical axis (C7) 137.0 20.1 -116.9",
        "PSO at L3: 30.0°", "posterior closure 22.5 mm", "fusion T10–S1", "PT released to at most 20.0°",
        "DICOM pixel spacing", "± = 95 % band", "Planning aid, not a prediction", "SRS-Schwab",
        "GAP (pre-op → planned): 12 (severely disproportioned) → 2 (proportioned)", "Roussouly", "anonymous",
        "LL 55.0°",  # an overlay label
    ):
        assert expected in text, expected
    assert "Sample^Flatback" not in text and "SAMPLE-002" not in text  # anonymous by default
    every_page = " ".join(_text(out, i) for i in range(len(reader.pages)))
    assert "flatback" not in every_page.lower() and "flatback" not in str(reader.metadata).lower()
    assert "L3-L4 4.0 34.0 +30.0 34.0" in _text(out, 3)  # pre-op, planned, change, follow-up 1
    page = reader.pages[0]
    images = list(page.images)
    assert len(images) >= 1
    for image in page.images:
        assert image.image is not None
    # Lossless: no DCT (JPEG) stream anywhere in the file.
    assert b"/DCTDecode" not in out.read_bytes()
    assert (out.stat().st_size) < 8_000_000
    width_pt = float(page.mediabox.width)
    assert width_pt == pytest.approx(595.0, abs=2.0)  # A4


def test_patient_identifiers_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "named.pdf"
    result = _report(str(SAMPLE_PLAN), "-o", str(out), "--with-patient", "--paper", "letter")
    assert result.returncode == 0, result.stderr
    text = _text(out)
    assert "Sample^Flatback" in text and "SAMPLE-002" in text
    assert float(PdfReader(out).pages[0].mediabox.width) == pytest.approx(612.0, abs=2.0)  # Letter
    assert PdfReader(out).metadata.title == "Sagittal alignment plan — flatback_pso"
    every_page = " ".join(_text(out, i) for i in range(len(PdfReader(out).pages)))
    assert "Iatrogenic flatback" in every_page  # the notes, with the identifiers


def test_report_without_patient_shows_no_notes_calibration_detail_or_file_name(tmp_path: Path) -> None:
    plan = json.loads(SAMPLE_PLAN.read_text())
    plan["image"]["path"] = str((SAMPLE_PLAN.parent / plan["image"]["path"]).resolve())
    plan["image"]["calibration"]["detail"] = "ruler held by Dr Jane Roe"
    plan["notes"] = "Mr John Smith, referred by Dr Who"
    path = tmp_path / "Smith_John_1950.plan.json"
    path.write_text(json.dumps(plan))
    out = tmp_path / "r.pdf"
    result = _report(str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    every_page = " ".join(_text(out, i) for i in range(len(reader.pages)))
    for secret in ("Smith", "John", "Jane Roe", "Dr Who", "1950"):
        assert secret not in every_page, secret
        assert secret not in str(reader.metadata), secret


def test_a_plan_without_image_reports_numbers_and_says_so(tmp_path: Path) -> None:
    plan = json.loads(SAMPLE_PLAN.read_text())
    del plan["image"]["path"]
    path = tmp_path / "no-image.plan.json"
    path.write_text(json.dumps(plan))
    out = tmp_path / "n.pdf"
    result = _report(str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "no image" in result.stderr
    text = _text(out)
    assert "No image in this plan" in text and "PI Pelvic incidence 62.0" in text
    assert len(list(PdfReader(out).pages[0].images)) == 0


def test_bad_inputs_leave_no_file(tmp_path: Path) -> None:
    changed = json.loads(SAMPLE_PLAN.read_text())
    changed["image"]["path"] = str((SAMPLE_PLAN.parent / changed["image"]["path"]).resolve())
    changed["image"]["sha256"] = "0" * 64
    (tmp_path / "changed.plan.json").write_text(json.dumps(changed))
    for args, words in (
        ([str(tmp_path / "changed.plan.json"), "-o", str(tmp_path / "a.pdf")], "image.sha256"),
        ([str(SAMPLE_PLAN), "-o", str(tmp_path / "missing" / "b.pdf")], "cannot write"),
        ([str(SAMPLE_PLAN), "-o", str(tmp_path / "c.pdf"), "--preset", "nope"], "unknown target preset"),
        ([str(tmp_path / "none.json"), "-o", str(tmp_path / "d.pdf")], "none.json"),
    ):
        result = _report(*args)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changed.plan.json"]


def test_export_from_the_gui(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    out = tmp_path / "gui.pdf"
    assert window.exports.export_pdf(out)
    assert "PSO at L3: 30.0°" in _plan_text(out)
    assert read_plan(SAMPLE_PLAN).osteotomies  # nothing changed in the plan
    assert not window.exports.export_pdf(tmp_path / "missing" / "x.pdf")
    assert "was not written" in window.problems[-1]


PDF_SNAPSHOT = Path(__file__).parent / "snapshots" / "flatback_report_page1_50dpi.png"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fonts differ off Linux; snapshot is Linux-only")
def test_page_one_matches_the_pinned_snapshot(qapp, tmp_path: Path, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    import numpy as np
    import pypdfium2
    from PIL import Image

    from alignment_planner.imaging import load_radiograph
    from ui.export.report_cmd import export_pdf

    plan = read_plan(SAMPLE_PLAN)
    radiograph = load_radiograph(SAMPLE_PLAN.parent / plan.image.path)  # type: ignore[union-attr, operator]
    out = tmp_path / "snap.pdf"
    export_pdf(plan, out, case_name="flatback_pso", radiograph=radiograph, paper="a4", today=dt.date(2026, 1, 1))
    document = pypdfium2.PdfDocument(str(out))
    page = document[0].render(scale=50 / 72).to_pil().convert("RGB")
    document.close()
    if request.config.getoption("--update-snapshots") or not PDF_SNAPSHOT.exists():
        page.save(PDF_SNAPSHOT)
        if not request.config.getoption("--update-snapshots"):
            pytest.fail(f"snapshot {PDF_SNAPSHOT.name} was missing and has been written; look at it and commit it")
    expected = np.asarray(Image.open(PDF_SNAPSHOT).convert("RGB")).astype(int)
    actual = np.asarray(page).astype(int)
    assert actual.shape == expected.shape
    difference = np.abs(actual - expected).max(axis=2)
    assert (difference > 60).mean() < 0.003, f"{(difference > 60).mean():.4f} of the pixels changed"


def test_rod_template_is_one_to_one(tmp_path: Path) -> None:
    import datetime as dt

    from alignment_planner.analysis.pipeline import analyze
    from alignment_planner.imaging import load_radiograph
    from alignment_planner.output.report import rod_template
    from ui.export.report_cmd import export_pdf

    plan = read_plan(SAMPLE_PLAN)
    rod = rod_template(plan, analyze(plan))
    assert rod is not None and rod.span == "T10–S1"
    first, last = rod.points[0], rod.points[-1]
    assert (first[1], first[2]) == (0.0, 0.0) and last[1] == pytest.approx(0.0, abs=1e-9)
    assert last[2] == pytest.approx(rod.length_mm)
    out = tmp_path / "rod.pdf"
    radiograph = load_radiograph(SAMPLE_PLAN.parent / plan.image.path)  # type: ignore[union-attr, operator]
    export_pdf(plan, out, case_name="flatback_pso", radiograph=radiograph, today=dt.date(2026, 1, 1))
    reader = PdfReader(out)
    rod_pages = [i for i in range(len(reader.pages)) if "Rod template" in _text(out, i)]
    assert rod_pages and "1:1" in _text(out, rod_pages[0]) and "must measure 50 mm" in _text(out, rod_pages[0])
    # Uncalibrated: no template (a length on paper needs a scale).
    from dataclasses import replace

    uncalibrated = replace(plan, image=replace(plan.image, pixel_spacing=None))  # type: ignore[arg-type]
    assert rod_template(uncalibrated, analyze(uncalibrated)) is None


def test_report_lists_the_measurements_drawn(tmp_path: Path) -> None:
    doc = json.loads(SAMPLE_PLAN.read_text())
    doc["image"]["path"] = str(SAMPLE_PLAN.parent / "image.dcm")
    t12, l4 = doc["landmarks"]["T12"], doc["landmarks"]["L4"]
    doc["annotations"] = [
        {"type": "distance", "points": [[100, 100], [400, 500]], "label": "cage height"},
        {"type": "cobb", "lines": [[t12["post_sup"], t12["ant_sup"]], [l4["post_inf"], l4["ant_inf"]]],
         "label": "T12-L4 Cobb"},
        {"type": "text", "at": [50, 50], "text": "Modic 1"},
    ]
    plan = tmp_path / "drawn.plan.json"
    plan.write_text(json.dumps(doc))
    out = tmp_path / "drawn.pdf"
    result = _report(str(plan), "-o", str(out), "--with-patient")
    assert result.returncode == 0, result.stderr
    text = _plan_text(out)
    assert "Measurements drawn" in text
    assert "cage height 200.0 mm 200.0 mm" in text  # 500 px × 0.4 mm, above the cut: unchanged
    assert "T12-L4 Cobb 5.5° 35.5° spans PSO L3" in text  # the PSO's 30° closes between the lines
    # The note is drawn on each film (pre-op and planned); notes are not rows of the table.
    assert text.count("Modic 1") == 2


def test_an_anonymous_report_shows_drawn_measurements_without_their_free_text(tmp_path: Path) -> None:
    # contract.md §4.7: without --with-patient, no free text. A label or a note typed on the film is
    # free text; the measurement itself stays, under its generic name, with the same values.
    doc = json.loads(SAMPLE_PLAN.read_text())
    doc["image"]["path"] = str(SAMPLE_PLAN.parent / "image.dcm")
    doc["annotations"] = [
        {"type": "distance", "points": [[100, 100], [400, 500]], "label": "Mr Smith's cage"},
        {"type": "text", "at": [50, 50], "text": "Smith, John 1950-01-01"},
    ]
    plan = tmp_path / "drawn.plan.json"
    plan.write_text(json.dumps(doc))
    out = tmp_path / "drawn.pdf"
    result = _report(str(plan), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(_text(out, i) for i in range(len(PdfReader(out).pages)))  # films, then the table
    assert "Distance 1 200.0 mm 200.0 mm" in text
    assert "Smith" not in text


def test_films_fill_the_first_page_with_a_legend_and_sign_off_lines(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    assert _report(str(SAMPLE_PLAN), "-o", str(out), "--paper", "a4").returncode == 0
    first = _text(out, 0)
    for expected in ("Surgeon:", "Planned surgery date:", "Signature:", "bone removed or gap opened"):
        assert expected in first, expected
    page = PdfReader(out).pages[0]
    heights: list[float] = []

    def image_heights(operator: bytes, args: object, cm: list[float], tm: object) -> None:
        del args, tm
        if operator == b"Do":
            heights.append(cm[3])

    page.extract_text(visitor_operand_before=image_heights)
    # One scale for both panels, and the planned panel holds every moved part of the film (review
    # A4): for the flatback (the trunk turned back by 30°) the pair is limited by the page's width,
    # and the pre-op film still fills more than half the page's height.
    assert heights and max(heights) > 0.5 * float(page.mediabox.height), "the films are small"
    everything = " ".join(_text(out, i) for i in range(len(PdfReader(out).pages)))
    for internal in ("clinical.md", "contract.md", "§", "[29]", "[48]"):
        assert internal not in everything, internal


def test_rod_template_names_never_print_over_each_other_and_face_like_the_film(tmp_path: Path) -> None:
    # A large PSO brings the corners around the cut close together on the rod.
    plan = json.loads(SAMPLE_PLAN.read_text())
    plan["osteotomies"][0]["angle_deg"] = 45.0
    plan["image"]["path"] = str((SAMPLE_PLAN.parent / plan["image"]["path"]).resolve())
    path = tmp_path / "pso45.plan.json"
    path.write_text(json.dumps(plan))
    out = tmp_path / "plan.pdf"
    assert _report(str(path), "-o", str(out)).returncode == 0
    reader = PdfReader(out)
    rod_page = next(p for p in reader.pages if "Rod template" in " ".join(p.extract_text().split()))
    baselines: list[float] = []
    sizes: list[float] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        del cm, font
        words = text.split()
        if len(words) == 2 and words[1] in ("sup", "inf"):
            baselines.append(tm[5])  # in the page's drawing units, like ``size``
            sizes.append(size)

    rod_page.extract_text(visitor_text=visit)
    assert len(baselines) >= 10
    ys = sorted(baselines)
    gaps = [b - a for a, b in itertools.pairwise(ys)]
    assert min(gaps) >= 0.9 * max(sizes), "two names print over each other"
    # The sample film faces right (anterior on the film's right): so does the template.
    assert "posterior ← → anterior" in " ".join(rod_page.extract_text().split())
