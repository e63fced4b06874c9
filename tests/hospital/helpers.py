"""Shared by the hospital tests: run the command line, and a plan on a film retrieved from the PACS."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from tests.conftest import ROOT, SAMPLE_CASES

FLATBACK = SAMPLE_CASES / "flatback_pso"


def cli(*args: str, settings: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env["ALIGNMENT_PLANNER_SETTINGS"] = str(settings) if settings else os.devnull
    return subprocess.run(
        [sys.executable, "-m", "alignment_planner", *args], capture_output=True, text=True,
        cwd=ROOT, timeout=timeout, env=env,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The CLI's failure contract: exit 2, one ``error:`` line on stderr, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def plan_on(film: Path, folder: Path, source: Path = FLATBACK / "flatback_pso.plan.json") -> Path:
    """The expert plan of a sample case, re-pointed at ``film`` (e.g. the copy retrieved from the
    PACS), as a surgeon's saved plan would be."""
    plan = read_plan(source)
    assert plan.image is not None
    image = replace(plan.image, path=str(film), sha256=hashlib.sha256(film.read_bytes()).hexdigest())
    target = folder / "plan.json"
    write_plan(replace(plan, image=image), target)
    return target
