"""Radiograph loading and display mapping (Qt-free): DICOM via pydicom, PNG/JPEG/TIFF via Pillow."""

from __future__ import annotations

from alignment_planner.imaging.load import load_radiograph
from alignment_planner.imaging.radiograph import Radiograph, Window

__all__ = ["Radiograph", "Window", "load_radiograph"]
