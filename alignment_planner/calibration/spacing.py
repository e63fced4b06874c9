"""Pixel spacing and where it came from (contract.md §1, clinical.md §6).

Every millimetre the program shows carries its provenance: a plan's stored spacing, a DICOM tag, a
manual calibration. ``None`` spacing means uncalibrated: angles are still measured (in pixel space,
assuming square pixels) and every length is "not measurable: uncalibrated".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from alignment_planner.calibration.sources import source_words

# Millimetres per pixel that any radiograph could have: detectors are about 0.1–0.2 mm, digitised
# film up to 1 mm. Outside this the number is a typo or corruption, and would overflow the geometry.
SPACING_RANGE_MM = (1e-3, 10.0)


def plausible_spacing(value: float) -> bool:
    return math.isfinite(value) and SPACING_RANGE_MM[0] <= value <= SPACING_RANGE_MM[1]


def spacing_range_text() -> str:
    low, high = SPACING_RANGE_MM
    return f"a pixel spacing between {low:g} and {high:g} mm (radiographs are about 0.1–0.5)"


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

    @property
    def source_text(self) -> str:
        """The source in words ("DICOM pixel spacing"), never its key."""
        return source_words(self.source)

    def describe(self) -> str:
        if self.spacing is None:
            return "uncalibrated (no pixel spacing): lengths are not measurable, angles are"
        text = f"{self.spacing.describe()} ({self.source_text}"
        return text + (f": {self.detail})" if self.detail else ")")


UNCALIBRATED = Calibration(spacing=None, source="uncalibrated")
