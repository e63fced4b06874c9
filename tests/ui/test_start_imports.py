"""The first window starts without the heavy libraries it does not need yet (issue 14: start-up
≤ 2 s, bench/bench_gui.py). scipy/scikit-image (head fit, corner assist), pydicom (the first DICOM
opened), the DICOM networking and SR stack (hospital actions) and the PDF writer load on first use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
NOT_AT_START = ("scipy", "skimage", "pydicom", "pynetdicom", "highdicom", "dicognito", "pypdf")


def test_the_usable_window_imports_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ALIGNMENT_PLANNER_EXIT_WHEN_READY": "1",
        "ALIGNMENT_PLANNER_SETTINGS": str(tmp_path / "settings.ini"),
        "PYTHONPATH": str(ROOT),
    }
    code = (
        "import sys\n"
        "from ui.app import main\n"
        "code = main([])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NOT_AT_START!r})))\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
