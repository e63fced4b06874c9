"""Errors of DICOM networking: every one names the PACS node and what to check."""

from __future__ import annotations

from alignment_planner.errors import AlignmentPlannerError


class PacsError(AlignmentPlannerError):
    """The PACS could not be reached, refused, timed out or failed an operation. The CLI prints it
    as one ``error:`` line and exits 2; the GUI shows it and keeps everything open."""


class PacsSettingsError(PacsError):
    """The PACS node settings (command line or settings file) are incomplete or malformed."""
