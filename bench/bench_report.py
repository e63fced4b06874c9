"""Issue 6: export of a full plan to PDF ≤ 1 s (median, JSON on stdout).

The plan is the flatback sample (C2–S1 landmarks, a PSO, a fusion, PT compensation) with its
image already decoded, as in the GUI; the time covers the report content, both scenes (pre-op
and planned film with fragments), the PDF layout and the atomic write. With ``--uncertainty``
the ± bands (about 100 extra analyses) are included too.

    QT_QPA_PLATFORM=offscreen python bench/bench_report.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import load_radiograph
from ui.app import application
from ui.export.report_cmd import export_pdf

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"


def main() -> int:
    application()
    plan = read_plan(PLAN)
    assert plan.image is not None and plan.image.path is not None
    radiograph = load_radiograph(PLAN.parent / plan.image.path)
    result: dict[str, object] = {"plan": str(PLAN.relative_to(ROOT))}
    with tempfile.TemporaryDirectory() as folder:
        for label, sd in (("export_ms", None), ("export_with_uncertainty_ms", 2.5)):
            samples = []
            for _ in range(7):
                start = time.perf_counter()
                export_pdf(
                    plan, Path(folder) / "p.pdf", case_name="flatback", radiograph=radiograph, point_sd_mm=sd
                )
                samples.append(1000 * (time.perf_counter() - start))
            result[label] = {"median": round(statistics.median(samples), 1), "min": round(min(samples), 1)}
        result["pdf_bytes"] = (Path(folder) / "p.pdf").stat().st_size
    result["targets"] = {"export_ms.median": "<= 1000"}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
