"""The core stays Qt-free (architecture.md principle 1), and ``measure`` runs without Qt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import alignment_planner

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"

BLOCK_QT = """
import sys
class _NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6'):
            raise ImportError('Qt is blocked for this test: ' + name)
        return None
sys.meta_path.insert(0, _NoQt())
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_importing_the_whole_core_does_not_import_qt() -> None:
    modules = sorted(
        "alignment_planner." + ".".join(p.relative_to(ROOT / "alignment_planner").with_suffix("").parts)
        for p in (ROOT / "alignment_planner").rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    )
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_measure_runs_where_qt_cannot_be_imported() -> None:
    code = BLOCK_QT + (
        "from alignment_planner_launcher import main\n"
        f"sys.exit(main(['measure', {str(SAMPLE)!r}, '--json']))"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["postop"]["LL"] is not None


def test_import_linter_contract_holds() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    assert lint, "import-linter is a test dependency (pip install -e '.[test]')"
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core never imports Qt KEPT" in result.stdout
    assert "The core is layered: a package imports only the layers below it KEPT" in result.stdout


def test_the_top_of_the_core_holds_only_a_handful_of_modules() -> None:
    # Everything else lives in a concept package (docs/ARCHITECTURE.md).
    top = sorted(p.name for p in (ROOT / "alignment_planner").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "errors.py"]


def test_the_core_called_directly_refuses_commands_that_need_qt() -> None:
    from alignment_planner.cli.main import main

    assert main(["render", str(SAMPLE), "-o", "/nonexistent/x.png"]) == 2


def test_version_is_exposed() -> None:
    assert alignment_planner.__version__.count(".") == 2
