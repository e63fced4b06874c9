"""The names printed on the report's sign-off block (the surgeon, the department and the
institution), checked before they are kept: a name is one line of ordinary text, not so long that
it pushes the date and signature lines off the page."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LIMITS = {"surgeon": 80, "department": 100, "institution": 100}
"""Characters each field may hold (the PDF's sign-off line wraps the longest onto its own row)."""
LABELS = {"surgeon": "Surgeon", "department": "Department", "institution": "Institution"}


class SignOffError(ValueError):
    """A field cannot be kept as typed; the message says which and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{LABELS[field]}: {reason}")
        self.field = field
        self.reason = reason
        """Why, without the field's name (a caller names it its own way: ``--surgeon``)."""


@dataclass(frozen=True, slots=True)
class SignOff:
    surgeon: str = ""
    department: str = ""
    institution: str = ""

    @property
    def affiliation(self) -> str:
        """Department and institution as one line ("" when neither is set)."""
        return ", ".join(part for part in (self.department, self.institution) if part)


def checked(field: str, text: str) -> str:
    """``text`` with surrounding spaces removed, or ``SignOffError`` when it holds a control
    character (a tab, a line break, an escape: printed, they break the line or hide text) or is
    longer than the field's limit."""
    cleaned = text.strip()
    for index, character in enumerate(cleaned):
        if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            name = unicodedata.name(character, f"U+{ord(character):04X}")
            raise SignOffError(
                field, f"character {index + 1} is a control character ({name}); type the name on one line"
            )
    limit = LIMITS[field]
    if len(cleaned) > limit:
        raise SignOffError(field, f"{len(cleaned)} characters; at most {limit} fit the sign-off line")
    return cleaned


def readable(field: str, stored: str) -> str:
    """A stored value as it may be printed: one from a hand-edited settings file that would not
    pass ``checked`` loses its control characters and is cut to the limit, never refused (an
    export must not fail on a settings file)."""
    flat = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in stored)
    return " ".join(flat.split())[: LIMITS[field]]
