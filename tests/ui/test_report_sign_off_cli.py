"""``report`` signs the PDF as the window's export does (review finding 8): ``--surgeon``,
``--department`` and ``--institution`` (contract.md §3 extended compatibly: optional), and without
one, the field saved by Edit → Report settings… in the same settings store, checked as the dialog
checks it. A bad value, given or saved, is one ``error:`` line and exit 2, with no PDF written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from alignment_planner.cli.main import build_parser
from alignment_planner.output.sign_off import SignOff
from tests.ui.conftest import ROOT, SAMPLE_PLAN, first_pdf_page
from ui.document.settings import Settings

pytestmark = pytest.mark.gui


def _report(settings: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alignment_planner", "report", str(SAMPLE_PLAN), *args],
        capture_output=True, text=True, timeout=180, check=False, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALIGNMENT_PLANNER_SETTINGS": str(settings)},
    )


def test_saved_settings_sign_the_pdf_and_an_option_replaces_its_field(tmp_path: Path) -> None:
    settings = tmp_path / "settings.ini"
    Settings(str(settings)).set_sign_off(SignOff("Dr Ana Perez-Ortega", "Spine Surgery", "Hôpital Saint-Éloi"))
    out = tmp_path / "signed.pdf"
    # The department blanked, the institution given; the surgeon from the settings.
    result = _report(settings, "-o", str(out), "--department", "", "--institution", "St Mary's, Spine Unit")
    assert result.returncode == 0, result.stderr
    page = first_pdf_page(out)
    assert "Surgeon: Dr Ana Perez-Ortega" in page
    assert "St Mary's, Spine Unit" in page
    assert "Spine Surgery" not in page and "Saint-Éloi" not in page
    assert "Planned surgery date:" in page and "Signature:" in page


def test_options_alone_sign_the_pdf_over_a_bad_saved_value(tmp_path: Path) -> None:
    settings = tmp_path / "settings.ini"
    raw = QSettings(str(settings), QSettings.Format.IniFormat)
    raw.setValue("report/surgeon", "Dr A\tB")  # hand-edited: refused, unless an option replaces it
    raw.sync()
    out = tmp_path / "given.pdf"
    result = _report(settings, "-o", str(out), "--surgeon", "  Dr Kwame Mensah ", "--department", "Orthopaedics")
    assert result.returncode == 0, result.stderr
    page = first_pdf_page(out)
    assert "Surgeon: Dr Kwame Mensah" in page and "Orthopaedics" in page


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--surgeon", "Dr Smith\x1b[2J", "--surgeon: character 9 is a control character (U+001B)"),
        ("--department", "Spine\nSurgery", "--department: character 6 is a control character"),
        ("--institution", "x" * 101, "--institution: 101 characters; at most 100 fit the sign-off line"),
    ],
)
def test_a_bad_option_is_one_error_line(tmp_path: Path, option: str, value: str, reason: str) -> None:
    out = tmp_path / "never.pdf"
    result = _report(tmp_path / "settings.ini", "-o", str(out), option, value)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {reason}"), result.stderr
    assert not out.exists()


def test_a_bad_saved_value_names_the_file_and_key(tmp_path: Path) -> None:
    settings = tmp_path / "settings.ini"
    raw = QSettings(str(settings), QSettings.Format.IniFormat)
    raw.setValue("report/institution", "i" * 120)
    raw.sync()
    out = tmp_path / "never.pdf"
    result = _report(settings, "-o", str(out))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        f"error: {settings}: report/institution: 120 characters; at most 100 fit the sign-off line; "
        "correct it in Edit → Report settings… or give --institution"
    )
    assert not out.exists()


def test_a_list_typed_into_the_file_is_the_one_name(tmp_path: Path) -> None:
    """An unquoted comma in a hand-edited file reads as a list in QSettings: the name it was."""
    settings = tmp_path / "settings.ini"
    settings.write_text("[report]\ndepartment=Spine, Orthopaedics\n", encoding="utf-8")
    store = Settings(str(settings))
    assert store.stored_report_field("department") == "Spine, Orthopaedics"
    assert store.sign_off().department == "Spine, Orthopaedics"


def test_help_documents_the_options() -> None:
    parser = build_parser()
    report = next(
        action.choices["report"] for action in parser._actions if getattr(action, "choices", None) and "report" in action.choices
    )
    text = report.format_help()
    for option in ("--surgeon", "--department", "--institution"):
        assert option in text
    assert "Report settings" in " ".join(text.split())
