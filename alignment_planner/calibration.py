"""Pixel spacing and where it came from (contract.md §1, clinical.md §6).

Every millimetre the program shows carries its provenance: a plan's stored spacing, a DICOM tag, a
manual calibration. ``None`` spacing means uncalibrated: angles are still measured (in pixel space,
assuming square pixels) and every length is "not measurable: uncalibrated".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PixelSpacing:
    """Millimetres per pixel; ``row`` is the vertical spacing (DICOM order: row, column)."""

    row: float
    column: float
    # The file wrote one number rather than [row, col]; kept so a round-trip writes the same form.
    written_isotropic: bool = False

    @classmethod
    def isotropic(cls, spacing: float) -> PixelSpacing:
        return cls(spacing, spacing, written_isotropic=True)

    @property
    def is_isotropic(self) -> bool:
        return self.row == self.column

    def as_list(self) -> list[float]:
        return [self.row, self.column]

    def describe(self) -> str:
        if self.is_isotropic:
            return f"{self.row:g} mm/px"
        return f"{self.row:g} × {self.column:g} mm/px (row × column)"


@dataclass(frozen=True, slots=True)
class Calibration:
    """The spacing used for measurement, or ``spacing=None`` when the image is uncalibrated."""

    spacing: PixelSpacing | None
    source: str
    detail: str | None = None

    @property
    def calibrated(self) -> bool:
        return self.spacing is not None

    def describe(self) -> str:
        if self.spacing is None:
            return "uncalibrated (no pixel spacing): lengths are not measurable, angles are"
        text = f"{self.spacing.describe()} ({self.source}"
        return text + (f": {self.detail})" if self.detail else ")")


UNCALIBRATED = Calibration(spacing=None, source="uncalibrated")
