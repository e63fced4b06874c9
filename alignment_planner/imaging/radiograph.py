"""A loaded radiograph: stored pixel values plus everything needed to display and measure them.

Display never converts the whole image through floats: ``value_table`` maps every possible stored
value to its modality value once, and windowing turns that into a 256-level lookup table
(imaging.md B2, B5; see ``windowing.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from alignment_planner.calibration.spacing import Calibration

ImageFormat = Literal["dicom", "png", "jpeg", "tiff"]
CalibrationKind = Literal[
    "pixel-spacing",
    "pixel-spacing-fiducial",
    "pixel-spacing-geometry",
    "imager-spacing",
    "imager-spacing-ermf",
    "uncalibrated",
]


@dataclass(frozen=True, slots=True)
class Window:
    """Linear window in modality units (DICOM C.11.2.1.2)."""

    center: float
    width: float


@dataclass(frozen=True, eq=False)
class Radiograph:
    path: Path
    format: ImageFormat
    stored: npt.NDArray[np.uint8] | npt.NDArray[np.uint16]
    """2-D stored values, as indices into ``value_table`` (signed data is offset, see below)."""
    value_table: npt.NDArray[np.float64]
    """Modality value of every possible stored index (length 256 or 65536)."""
    default_window: Window
    default_table: npt.NDArray[np.uint8] | None
    """A non-linear VOI LUT from the file, already as a 256-level table, when the file has one."""
    invert: bool
    """MONOCHROME1: low values are bright; inverted for display so bone is white."""
    bits_stored: int
    photometric: str
    modality: str | None
    transfer_syntax: str | None
    frames: int
    calibration: Calibration
    calibration_kind: CalibrationKind
    notices: tuple[str, ...] = ()
    patient: dict[str, str] = field(default_factory=dict)
    """Identifiers found in the file (name, id, age, sex); shown only if the user opts in."""

    @property
    def width(self) -> int:
        return int(self.stored.shape[1])

    @property
    def height(self) -> int:
        return int(self.stored.shape[0])

    @property
    def value_range(self) -> tuple[float, float]:
        return float(self.value_table.min()), float(self.value_table.max())
