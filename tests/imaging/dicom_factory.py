"""Tests write their DICOM fixtures with the core's writer."""

from __future__ import annotations

from alignment_planner.synthetic.dicom_write import write_dicom

__all__ = ["write_dicom"]
