"""``alignment-planner pacs send PLAN`` and File → Send plan to PACS: draw the report and the
annotated films with the screen's code (Qt), then hand them to the core, which builds the DICOM
objects (Encapsulated PDF, Secondary Capture, TID 1500 SR) and stores them (issue 20 §3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from PySide6.QtGui import QImage

from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.errors import AlignmentPlannerError, ImageLoadError
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.hospital.filing import DrawnPlan, filing_objects, plan_film
from alignment_planner.imaging import Radiograph, load_radiograph
from alignment_planner.output.report import build_report_content, case_name
from alignment_planner.plan.model import Plan
from alignment_planner.targets.presets import preset_by_id
from ui.export.render import render_scene_image
from ui.export.report_cmd import scenes_for
from ui.export.report_pdf import render_report_pdf


def rgb_array(image: QImage) -> npt.NDArray[np.uint8]:
    """(rows, columns, 3) uint8, copied out of the QImage (whatever its row padding)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    buffer = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def draw_plan(
    plan: Plan,
    analysis: Analysis,
    radiograph: Radiograph,
    *,
    title: str,
    preset_id: str,
    paper: str,
    today: dt.date | None = None,
) -> DrawnPlan:
    """The report (naming the patient: it goes into the patient's chart) and both films."""
    content = build_report_content(
        plan, analysis, case_name=title, preset=preset_by_id(preset_id), uncertainty=None,
        include_patient=True, today=today,
    )
    preop, planned = scenes_for(plan, analysis, radiograph)
    pdf = render_report_pdf(content, preop, planned, paper=paper)
    return DrawnPlan(
        title=content.title,
        pdf=pdf,
        preop=rgb_array(render_scene_image(preop)) if preop is not None else None,
        planned=rgb_array(render_scene_image(planned)) if planned is not None else None,
    )


def prepare_filing(plan_path: Path, *, preset_id: str, paper: str) -> tuple[list[Dataset], str]:
    """The DICOM objects for a plan file, and the study they go into."""
    plan = read_plan(plan_path)
    image_path, film = plan_film(plan, plan_path)
    try:
        radiograph = load_radiograph(image_path)
    except ImageLoadError as exc:
        raise AlignmentPlannerError(f"{plan_path}: image.path: {exc}") from None
    analysis = analyze(plan)
    drawn = draw_plan(
        plan, analysis, radiograph, title=case_name(plan_path), preset_id=preset_id, paper=paper
    )
    return filing_objects(analysis, film, drawn), str(film.StudyInstanceUID)
