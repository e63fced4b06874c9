"""The plan a newly opened film starts: its image, with the film's own calibration, and the
patient's age when the DICOM header gives it in years (``065Y``)."""

from __future__ import annotations

from pathlib import Path

from alignment_planner.imaging import Radiograph
from alignment_planner.plan.model import ImageRef, Patient, Plan


def plan_for_film(path: Path, radiograph: Radiograph) -> Plan:
    calibration = radiograph.calibration
    age = radiograph.patient.get("age", "")
    return Plan(
        image=ImageRef(
            path=str(path),
            pixel_spacing=calibration.spacing,
            calibration_source=calibration.source if calibration.spacing else None,
            calibration_detail=calibration.detail,
        ),
        patient=Patient(age=float(age[:3])) if age[:3].isdigit() and age.endswith("Y") else None,
    )
