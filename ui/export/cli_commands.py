"""The command-line commands that draw with Qt (``render``, ``report``), called by the launcher
(``alignment_planner_launcher``) so that the core's command line never imports this package."""

from __future__ import annotations

import sys
from pathlib import Path

from alignment_planner.cli.desktop import PacsSendRequest, ReportRequest
from alignment_planner.scene.primitives import Stage


def run_render(plan: str, output: str, stage: str) -> int:
    from ui.app import application
    from ui.export.render import render_plan

    application()
    for notice in render_plan(Path(plan), Path(output), _stage(stage)):
        print(f"note: {notice}", file=sys.stderr)
    return 0


def _stage(name: str) -> Stage:
    if name == "postop":
        return "postop"
    return "preop"  # argparse admits only "preop" and "postop"


def run_report(request: ReportRequest) -> int:
    from ui.app import application
    from ui.document.settings import Settings
    from ui.export.report_cmd import report_plan
    from ui.export.report_pdf import default_paper
    from ui.export.report_sign_off import command_line_sign_off

    application()
    notices = report_plan(
        Path(request.plan),
        Path(request.output),
        preset_id=request.preset,
        paper=request.paper or default_paper(),
        include_patient=request.with_patient,
        point_sd_mm=request.point_sd_mm,
        sign_off=command_line_sign_off(request.sign_off, Settings()),
    )
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    return 0


def run_pacs_send(request: PacsSendRequest) -> int:
    from alignment_planner.hospital.filing import save_objects
    from alignment_planner.hospital.store import store
    from ui.app import application
    from ui.export.pacs_send import prepare_filing
    from ui.export.report_pdf import default_paper

    application()
    objects, study_uid = prepare_filing(
        Path(request.plan), preset_id=request.preset, paper=request.paper or default_paper()
    )
    kinds = ", ".join(f"{ds.Modality} {ds.get('SeriesDescription', '')}".strip() for ds in objects)
    if request.to_folder:
        paths = save_objects(objects, Path(request.to_folder))
        print(f"{len(paths)} DICOM object(s) for study {study_uid} written into {request.to_folder}: {kinds}")
        return 0
    assert request.node is not None  # the command line resolves it when not writing to a folder

    def progress(done: int, total: int) -> None:
        print(f"stored {done}/{total}", file=sys.stderr, flush=True)

    for warning in store(request.node, objects, progress):
        print(f"note: {warning}", file=sys.stderr)
    print(f"{len(objects)} object(s) stored into study {study_uid} at {request.node.describe()}: {kinds}")
    return 0
