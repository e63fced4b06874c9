"""``alignment-planner report PLAN -o plan.pdf`` and File → Export plan PDF (issue 6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from pathlib import Path

from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.errors import ImageLoadError
from alignment_planner.files.anonymise import without_drawn_free_text
from alignment_planner.files.plan_image import load_image_for_output
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import Radiograph, load_radiograph
from alignment_planner.output.followup_report import build_followup_page, followup_caption
from alignment_planner.output.report import build_report_content, case_name
from alignment_planner.output.sign_off import SignOff
from alignment_planner.plan.model import Plan
from alignment_planner.scene.planned_annotations import annotation_values
from alignment_planner.targets.presets import preset_by_id
from ui.canvas.scene import PlanScene
from ui.export.render import export_scene
from ui.export.report_followups import draw_followup_page
from ui.export.report_pdf import write_report_pdf


def scenes_for(
    plan: Plan, analysis: Analysis, radiograph: Radiograph | None
) -> tuple[PlanScene | None, PlanScene | None]:
    """The pre-op and the planned scene, drawn by the screen's code (``None`` without an image)."""
    if radiograph is None:
        return None, None
    preop = export_scene(plan, analysis, radiograph, "preop")
    if not analysis.simulated or analysis.postop_skeleton is None:
        return preop, None
    return preop, export_scene(plan, analysis, radiograph, "postop")


def export_pdf(
    plan: Plan,
    target: Path,
    *,
    case_name: str,
    radiograph: Radiograph | None,
    preset_id: str = "srs-schwab",
    paper: str = "a4",
    include_patient: bool = False,
    point_sd_mm: float | None = None,
    today: dt.date | None = None,
    sign_off: SignOff | None = None,
    plan_folder: Path | None = None,
) -> None:
    if not include_patient:
        plan = without_drawn_free_text(plan)  # labels and notes drawn on the film are free text
    analysis = analyze(plan)
    # 0 (the GUI's "fitted model", the CLI's bare --uncertainty) is the error model of clinical.md
    # §5.4; a positive SD an isotropic per-point error; None no bands.
    uncertainty = (
        propagate(plan, point_sd_mm or None, analysis)
        if point_sd_mm is not None and analysis.frame
        else None
    )
    content = build_report_content(
        plan,
        analysis,
        case_name=case_name,
        preset=preset_by_id(preset_id),
        uncertainty=uncertainty,
        include_patient=include_patient,
        today=today,
        drawn=annotation_values(plan, analysis),
    )
    if sign_off is not None:
        content = replace(content, sign_off=sign_off)
    preop, planned = scenes_for(plan, analysis, radiograph)
    page = build_followup_page(plan, analysis, identify=include_patient)
    draw = None
    if page is not None:
        # Planned beside each achieved film, as large as the page allows (the pre-op film is on
        # the first page; its values are in this page's table).
        films: list[tuple[str, PlanScene | None]] = [("Planned", planned if planned is not None else preop)]
        films += followup_scenes(plan, plan_folder, include_patient)
        # The report's own case name: anonymous unless identifiers are asked for (contract.md §4.7).
        draw = partial(draw_followup_page, page=page, case=content.case_name, films=films)
    write_report_pdf(target, content, preop, planned, paper=paper, followups=draw)


def followup_scenes(
    plan: Plan, plan_folder: Path | None, identify: bool
) -> list[tuple[str, PlanScene | None]]:
    """Each follow-up film with its own landmarks drawn (``None`` when its image is not found:
    the table still reports it)."""
    scenes: list[tuple[str, PlanScene | None]] = []
    for index, f in enumerate(plan.followups):
        caption = followup_caption(index, f, identify)
        path = f.image.resolve(plan_folder) if f.image is not None and plan_folder else None
        if path is None or not path.exists():
            scenes.append((caption, None))
            continue
        try:
            radiograph = load_radiograph(path)
        except ImageLoadError:
            scenes.append((caption, None))
            continue
        film = Plan(landmarks=f.landmarks, image=f.image, facing=f.facing)
        scenes.append((caption, export_scene(film, analyze(film), radiograph, "preop")))
    return scenes


def report_plan(
    plan_path: Path,
    target: Path,
    *,
    preset_id: str,
    paper: str,
    include_patient: bool,
    point_sd_mm: float | None,
    sign_off: SignOff | None = None,
) -> list[str]:
    """Read a plan and write its report; returns notices (no image …)."""
    plan = read_plan(plan_path)
    notices: list[str] = []
    radiograph = load_image_for_output(plan, plan_path, action="reporting")
    if radiograph is None:
        notices.append("the plan has no image: the report gives the numbers without pictures")
    name = case_name(plan_path)
    export_pdf(
        plan,
        target,
        case_name=name,
        radiograph=radiograph,
        preset_id=preset_id,
        paper=paper,
        include_patient=include_patient,
        point_sd_mm=point_sd_mm,
        sign_off=sign_off,
        plan_folder=plan_path.resolve().parent,
    )
    return notices
