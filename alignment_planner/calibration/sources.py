"""Where a pixel spacing came from, in words. Plan files, JSON and CSV keep the source's key
("dicom-pixel-spacing", contract.md §1); a reader sees what it means."""

from __future__ import annotations

SOURCE_WORDS: dict[str, str] = {
    "plan": "stored in the plan",
    "dicom-pixel-spacing": "DICOM pixel spacing",
    "dicom-pixel-spacing-fiducial": "DICOM pixel spacing, calibrated on a fiducial",
    "dicom-pixel-spacing-geometry": "DICOM pixel spacing, from the imaging geometry",
    "dicom-imager-spacing": "DICOM detector spacing (includes the radiographic magnification)",
    "dicom-imager-spacing-ermf": "DICOM detector spacing corrected for magnification",
    "manual-distance": "manual, on a known distance",
    "manual-ball": "manual, on a calibration ball",
    "synthetic": "synthetic film",
    "uncalibrated": "uncalibrated",
}


def source_words(source: str) -> str:
    """A calibration source as a reader reads it; a source this program does not know (a plan
    written elsewhere) with its hyphens read as spaces."""
    return SOURCE_WORDS.get(source, source.replace("-", " ").replace("_", " "))
