"""Pixel spacing of a DICOM radiograph and its provenance (clinical.md §6, imaging.md B2).

Tiers, as Cornerstone labels them: PixelSpacing (its PixelSpacingCalibrationType says GEOMETRY or
FIDUCIAL) → ImagerPixelSpacing ÷ EstimatedRadiographicMagnificationFactor (or SID/SOD) →
ImagerPixelSpacing alone (mm at the detector, magnified) → uncalibrated. Zero, negative or
unparsable values count as absent.
"""

from __future__ import annotations

import math
from typing import Any

from alignment_planner.calibration.spacing import UNCALIBRATED, Calibration, PixelSpacing, plausible_spacing
from alignment_planner.imaging.radiograph import CalibrationKind

# Values that differ by more than this are reported as conflicting (Cornerstone's "Error" tier).
CONFLICT_TOLERANCE = 0.02


def _pair(ds: Any, keyword: str) -> tuple[float, float] | None:
    raw = ds.get(keyword)
    if raw is None:
        return None
    items = list(raw) if hasattr(raw, "__len__") and not isinstance(raw, str | bytes) else [raw]
    try:
        values = [float(v) for v in items]
    except (TypeError, ValueError):
        return None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or not all(plausible_spacing(v) for v in values):
        return None
    return values[0], values[1]


def _positive(ds: Any, keyword: str) -> float | None:
    try:
        value = float(ds.get(keyword))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value > 0 else None


def _magnification(ds: Any, notices: list[str]) -> tuple[float, str] | None:
    """The radiographic magnification: at least 1, since the patient lies between the source and
    the detector (clinical.md §6). A factor below 1 would enlarge every length (0.5 doubles them):
    it is refused with a notice, and the next source (SID/SOD) or none is used (issue 16)."""
    ermf = _positive(ds, "EstimatedRadiographicMagnificationFactor")
    if ermf is not None and ermf < 1.0:
        notices.append(
            f"EstimatedRadiographicMagnificationFactor {ermf:g} is below 1, which is impossible "
            "(the patient is between source and detector): ignored"
        )
        ermf = None
    if ermf is not None:
        return ermf, f"EstimatedRadiographicMagnificationFactor {ermf:g}"
    sid = _positive(ds, "DistanceSourceToDetector")
    sod = _positive(ds, "DistanceSourceToPatient")
    if sid is not None and sod is not None and sid >= sod:
        return sid / sod, f"DistanceSourceToDetector/DistanceSourceToPatient = {sid:g}/{sod:g}"
    return None


def dicom_calibration(ds: Any) -> tuple[Calibration, CalibrationKind, list[str]]:
    """The spacing to measure with, its kind (contract.md ``inspect`` values) and notices."""
    notices: list[str] = []
    pixel = _pair(ds, "PixelSpacing")
    imager = _pair(ds, "ImagerPixelSpacing")
    magnification = _magnification(ds, notices)
    if pixel is not None:
        kind_tag = str(ds.get("PixelSpacingCalibrationType", "") or "").strip().upper()
        kind: CalibrationKind = {
            "FIDUCIAL": "pixel-spacing-fiducial", "GEOMETRY": "pixel-spacing-geometry",
        }.get(kind_tag, "pixel-spacing")  # type: ignore[assignment]
        detail = {
            "pixel-spacing-fiducial": "PixelSpacing calibrated with a fiducial",
            "pixel-spacing-geometry": "PixelSpacing derived from the imaging geometry",
            "pixel-spacing": "PixelSpacing (calibration type not stated)",
        }[kind]
        description = ds.get("PixelSpacingCalibrationDescription")
        if description:
            detail += f": {description}"
        if imager is not None and magnification is not None:
            implied = imager[0] / magnification[0]
            if abs(implied - pixel[0]) > CONFLICT_TOLERANCE * pixel[0]:
                notices.append(
                    f"PixelSpacing {pixel[0]:g} mm conflicts with ImagerPixelSpacing/magnification "
                    f"{implied:.4g} mm; using PixelSpacing"
                )
        return Calibration(PixelSpacing(*pixel), f"dicom-{kind}", detail), kind, notices
    if imager is not None:
        if magnification is not None and not all(plausible_spacing(v / magnification[0]) for v in imager):
            notices.append(f"the magnification in the file ({magnification[1]}) is implausible: ignored")
            magnification = None
        if magnification is not None:
            factor, how = magnification
            spacing = PixelSpacing(imager[0] / factor, imager[1] / factor)
            return (
                Calibration(spacing, "dicom-imager-spacing-ermf", f"ImagerPixelSpacing ÷ {how}"),
                "imager-spacing-ermf",
                notices,
            )
        notices.append(
            "only ImagerPixelSpacing is present: millimetres are at the detector and include the "
            "radiographic magnification (typically 7–30 %, clinical.md §6); calibrate on a marker "
            "for true sizes"
        )
        return (
            Calibration(PixelSpacing(*imager), "dicom-imager-spacing", "ImagerPixelSpacing (detector plane)"),
            "imager-spacing",
            notices,
        )
    if ds.get("PixelSpacing") is not None or ds.get("ImagerPixelSpacing") is not None:
        notices.append(
            "the pixel spacing in the file is zero, negative, implausible or unreadable: treated as absent"
        )
    return UNCALIBRATED, "uncalibrated", notices
