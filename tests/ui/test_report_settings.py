"""Edit → Report settings… (issue 14): the surgeon's name, department and institution for the
PDF's sign-off, checked as typed, kept in the settings file, printed on the next report."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from alignment_planner.output.sign_off import SignOffError, checked, readable
from tests.ui.conftest import SAMPLE_PLAN, first_pdf_page, open_and_wait
from ui.document.settings import Settings

pytestmark = pytest.mark.gui


def _menu_action(window, text: str):  # type: ignore[no-untyped-def]
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu else ():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"no menu item {text!r}")


def test_names_typed_in_the_dialog_are_kept_and_printed_on_the_next_pdf(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    _menu_action(window, "Report settings…").trigger()  # Edit → Report settings…
    dialog = window.edit_report_settings()
    qtbot.keyClicks(dialog.fields["surgeon"], "Dr Ana Perez-Ortega")  # typed (QTest types ASCII only)
    qtbot.keyClicks(dialog.fields["department"], "Spine Surgery")
    dialog.fields["institution"].insert("Hôpital Saint-Éloi")  # pasted, accents and all
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled() and dialog.problem.text() == ""
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    # Persisted: a new settings object on the same file (the next session) reads them back.
    again = Settings(str(tmp_path / "settings.ini")).sign_off()
    assert (again.surgeon, again.department, again.institution) == (
        "Dr Ana Perez-Ortega", "Spine Surgery", "Hôpital Saint-Éloi",
    )
    out = tmp_path / "signed.pdf"
    assert window.exports.export_pdf(out)
    page = first_pdf_page(out)
    assert "Surgeon: Dr Ana Perez-Ortega" in page
    assert "Spine Surgery, Hôpital Saint-Éloi" in page
    assert "Planned surgery date:" in page and "Signature:" in page


def test_control_characters_and_overlong_names_are_refused_with_the_reason(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    dialog = window.edit_report_settings()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.fields["surgeon"].setText("Dr Smith\x1b[2J")  # an escape sequence pasted in
    assert not save.isEnabled()
    assert "Surgeon" in dialog.problem.text() and "control character" in dialog.problem.text()
    dialog.fields["surgeon"].setText("Dr Smith")
    assert save.isEnabled()
    dialog.fields["institution"].setText("x" * 101)
    assert not save.isEnabled() and "Institution: 101 characters; at most 100" in dialog.problem.text()
    dialog.save()  # even if asked to save, nothing is kept and the dialog stays open
    assert dialog.isVisible()
    assert Settings(str(tmp_path / "settings.ini")).sign_off().surgeon == ""
    dialog.reject()


def test_a_long_name_gets_its_own_line_on_the_sign_off(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    dialog = window.edit_report_settings()
    name = "Professor Dr Maximiliane Alexandra von Hohenberg-Wittelsbach"  # 61 characters
    dialog.fields["surgeon"].setText(name)
    dialog.save()
    out = tmp_path / "long.pdf"
    assert window.exports.export_pdf(out)
    page = first_pdf_page(out)
    name_line = next(line for line in page.splitlines() if "Surgeon:" in line)
    assert name in name_line and "Planned surgery date" not in name_line  # nothing printed over it
    assert "Planned surgery date:" in page and "Signature:" in page


@pytest.mark.parametrize("text", ["Dr A\nB", "Dr A\tB", "Dr\u200bA", "Dr\u2028A", "\x00"])
def test_control_and_format_characters_are_refused(text: str) -> None:
    with pytest.raises(SignOffError, match="control character"):
        checked("surgeon", text)


def test_a_hand_edited_settings_file_never_breaks_an_export() -> None:
    assert checked("surgeon", "  Dr A  ") == "Dr A"
    assert readable("surgeon", "Dr A\nB\x1b") == "Dr A B"
    assert len(readable("department", "d" * 500)) == 100
