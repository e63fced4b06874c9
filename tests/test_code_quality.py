"""Style and types are part of the suite, so main cannot drift (ruff; mypy --strict on the core, the UI and the launcher)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "--no-cache", "."], ["mypy", "--cache-dir", "/dev/null"]],
    ids=["ruff", "mypy"],
)
def test_static_checks_pass(command: list[str]) -> None:
    tool = BIN / command[0]
    assert tool.exists(), f"{command[0]} is a test dependency (pip install -e '.[test]')"
    result = subprocess.run(
        [str(tool), *command[1:]], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
