"""The report's segmental-angles page is a real table: level, pre-op, planned, change and each
follow-up in columns, numbers right-aligned on the decimal, the header repeated when it runs onto
another page (issue 14). Read back with ``pdftotext -layout``, as a reader's eye would."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.output.report import build_report_content
from alignment_planner.output.segmental_table import SegmentalTable, segmental_table
from alignment_planner.targets.presets import preset_by_id
from tests.ui.conftest import SAMPLE_PLAN
from ui.export.report_pdf import render_report_pdf

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext"),
]
NUMBER = re.compile(r"[−+-]?\d+\.\d")


def _layout(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text laid out as on the page; pages separated by form feeds."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def _segmental_lines(text: str) -> tuple[str, list[str]]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.lstrip("\f").startswith("Segmental angles"))
    header_at = next(i for i in range(start, len(lines)) if lines[i].split()[:1] == ["Level"])
    rows = []
    for line in lines[header_at + 1 :]:
        parts = line.split()
        if not parts or not re.fullmatch(r"[CTLS]\d+-[CTLS]\d+", parts[0]):
            break
        rows.append(line)
    return lines[header_at], rows


def _ends(line: str) -> list[int]:
    """The column where each number ends (right alignment puts them all at one column)."""
    return [m.end() for m in NUMBER.finditer(line)]


def test_the_segmental_page_is_a_table_in_columns(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(SAMPLE_PLAN)  # a 30° PSO at L3 and one follow-up film
    analysis = analyze(plan)
    content = build_report_content(plan, analysis, case_name="c", preset=preset_by_id("srs-schwab"))
    header, rows = _segmental_lines(_layout(render_report_pdf(content, None, None), tmp_path))
    assert header.split() == ["Level", "Pre-op", "Planned", "Change", "Follow-up", "1", "(1", "year)"]  # anonymous: the interval only
    assert len(rows) == len(analysis.preop.segmental) == 23  # C2-C3 … L5-S1
    cells = {line.split()[0]: line.split()[1:] for line in rows}
    # A PSO closes its wedge inside L3: the L3-L4 segment gains the 30° (clinical.md §3.2), the others
    # stay as they were; the pre-op 4.0° is the sample's L3-L4 lordosis.
    assert cells["L3-L4"] == ["4.0", "34.0", "+30.0", "34.0"]
    assert cells["L4-L5"][:3] == ["10.0", "10.0", "+0.0"]
    # Right-aligned on the decimal: every row's numbers end where the first row's do (± one
    # character of pdftotext's grid), and each under the end of its header.
    first = _ends(rows[0])
    assert len(first) == 4
    for line in rows:
        ends = _ends(line)
        assert len(ends) == 4, line  # nothing printed over anything else
        assert all(abs(a - b) <= 1 for a, b in zip(ends, first, strict=True)), line
    header_ends = [m.end() for m in re.finditer(r"Pre-op|Planned|Change|Follow-up 1 \(1 year\)", header)]
    assert all(abs(a - b) <= 1 for a, b in zip(header_ends, first, strict=True)), (header, rows[0])


def test_a_long_table_runs_onto_another_page_with_its_header(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(SAMPLE_PLAN)
    analysis = analyze(plan)
    content = build_report_content(plan, analysis, case_name="c", preset=preset_by_id("srs-schwab"))
    real = segmental_table(plan, analysis, identify=False)
    long_rows = tuple(real.rows) * 6  # 138 rows: more than a page holds
    content = replace(content, segmental=SegmentalTable(real.headers, long_rows), rod=None)
    pages = _layout(render_report_pdf(content, None, None), tmp_path).split("\f")
    tables = [page for page in pages if re.search(r"^\s*Level\s+Pre-op", page, re.MULTILINE)]
    assert len(tables) >= 2, "the header is repeated on the page the table runs onto"
    printed = sum(
        1 for page in tables for line in page.split("\n") if re.match(r"\s*[CTLS]\d+-[CTLS]\d+\s", line)
    )
    assert printed == len(long_rows), "every row printed once, none lost at the page break"


def test_without_a_plan_only_the_pre_op_column_and_follow_ups() -> None:
    plan = replace(read_plan(SAMPLE_PLAN), osteotomies=(), procedures=(), compensation=None)
    table = segmental_table(plan, analyze(plan), identify=True)
    assert table.headers[:2] == ("Level", "Pre-op") and "Planned" not in table.headers
    assert "Change" not in table.headers
    assert all(len(row) == len(table.headers) for row in table.rows)
