"""Command-line entry points that need Qt (``gui``, ``render``), called by name from the core's CLI
so that the core package never imports this one (import-linter contract)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _headless() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_gui(files: list[str]) -> int:
    from ui.app import main

    return main(files)


def run_render(plan: str, output: str, stage: str) -> int:
    _headless()
    from ui.app import application
    from ui.render import render_plan

    application()
    for notice in render_plan(Path(plan), Path(output), stage):  # type: ignore[arg-type]
        print(f"note: {notice}", file=sys.stderr)
    return 0


def run_report(
    plan: str, output: str, preset: str, paper: str | None, with_patient: bool, point_sd_mm: float | None
) -> int:
    _headless()
    from ui.app import application
    from ui.report_cmd import report_plan
    from ui.report_pdf import default_paper

    application()
    notices = report_plan(
        Path(plan),
        Path(output),
        preset_id=preset,
        paper=paper or default_paper(),
        include_patient=with_patient,
        point_sd_mm=point_sd_mm,
    )
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    return 0
