"""The core's exception hierarchy.

Every error a user can cause carries a message that names the file, the field and, where there is
one, the fix. The CLI prints ``error: <message>`` and exits 2; the GUI shows the message and keeps
whatever was already open.
"""

from __future__ import annotations


class AlignmentPlannerError(Exception):
    """Base of every error the core raises on bad input."""


class PlanFileError(AlignmentPlannerError):
    """A plan file cannot be read, parsed, validated or written."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None) -> None:
        self.path = path
        self.field = field
        self.detail = message
        parts = [p for p in (path, field) if p]
        super().__init__(": ".join([*parts, message]))


class PlanValidationError(PlanFileError):
    """A plan's content breaks a rule of contract.md §2 (wrong type, unknown level, …)."""


class UnsupportedPlanVersion(PlanFileError):
    """The plan was written by a newer program; we refuse rather than guess."""


class ProcedureError(AlignmentPlannerError):
    """An osteotomy or procedure cannot be applied (unknown level, missing landmarks, …)."""


class ImageLoadError(AlignmentPlannerError):
    """An image file cannot be opened or decoded."""


class OutputWriteError(AlignmentPlannerError):
    """An output file (plan, CSV, PNG, PDF) cannot be written; the previous file is untouched."""

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        self.detail = message
        super().__init__(f"{path}: {message}")
