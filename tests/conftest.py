"""Test set-up: headless Qt by default (``--headed`` to watch), shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CASES = ROOT / "sample_cases"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--headed", action="store_true", help="show Qt windows instead of offscreen")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--headed"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Windows made by tests, and planners started as subprocesses, keep their recovery files in
    # a folder of this run: never the user's, and never offering the user's crashed work back.
    import tempfile

    os.environ["ALIGNMENT_PLANNER_RECOVERY_DIR"] = tempfile.mkdtemp(prefix="ap-recovery-")


@pytest.fixture
def sample_plan_paths() -> list[Path]:
    return sorted(SAMPLE_CASES.glob("*/*.plan.json"))


# CI runs the same examples every time (a failure there must be reproducible from its log);
# locally hypothesis explores new ones on each run.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")
