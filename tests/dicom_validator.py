"""``dciodvfy`` (Debian's dicom3tools) as a test oracle: every DICOM file the project writes must
pass it with no error (issue 20 §4). Warnings are returned too, for tests that want none."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

INSTALL_HINT = "dciodvfy is missing: bash tools/bootstrap.sh test installs dicom3tools (apt-get)"


def dciodvfy(path: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) that dciodvfy reports for ``path``."""
    program = shutil.which("dciodvfy")
    assert program is not None, INSTALL_HINT
    result = subprocess.run([program, str(path)], capture_output=True, text=True, timeout=120, check=False)
    lines = (result.stdout + result.stderr).splitlines()
    errors = [line for line in lines if line.startswith(("Error", "Abort"))]
    warnings = [line for line in lines if line.startswith("Warning")]
    return errors, warnings


def assert_valid_dicom(path: Path) -> None:
    errors, _ = dciodvfy(path)
    assert not errors, f"{path.name}: " + "; ".join(errors)
