"""The names on the sign-off block of a report made from the command line (``report``): each one
given as an option (``--surgeon``, ``--department``, ``--institution``), else the one saved by the
desktop planner's Edit → Report settings… in the same settings store, so that a PDF made from the
command line is signed as one exported from the window.

A saved value is checked as the dialog checks a typed one (one line, within the field's limit).
The window's export prints a hand-edited value cleaned (it must not fail on a settings file); the
command line, where the user can act on a message, refuses it with the file, the key and the
remedy, rather than print a name that is not the one saved."""

from __future__ import annotations

from collections.abc import Mapping

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.output.sign_off import LIMITS, SignOff, SignOffError, checked
from alignment_planner.safety.quoting import printable_path
from ui.document.settings import Settings


class SavedSignOffError(AlignmentPlannerError):
    """A saved sign-off field cannot be printed as it is; the message names the file and key."""


def command_line_sign_off(given: Mapping[str, str], settings: Settings) -> SignOff:
    """``given`` (already checked) over the saved fields."""
    fields: dict[str, str] = {}
    for field in LIMITS:
        if field in given:
            fields[field] = given[field]
            continue
        try:
            fields[field] = checked(field, settings.stored_report_field(field))
        except SignOffError as exc:
            raise SavedSignOffError(
                f"{printable_path(settings.file_path())}: report/{field}: {exc.reason}; correct it in "
                f"Edit → Report settings… or give --{field}"
            ) from None
    return SignOff(**fields)
