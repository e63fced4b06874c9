"""Issue 2 performance targets, measured (medians, JSON on stdout).

1. Measuring one full plan (all levels C2–S1) in-process: target ≤ 0.2 ms.
   "Measuring" = landmarks → anatomical frame → every registry parameter + segmental table
   (``measure_skeleton`` after ``Skeleton.from_landmarks``), and separately the whole ``analyze``
   pipeline (facing, warnings, and a planned PSO + compensation), which the GUI runs on every drag.
2. ``measure --csv`` over 10,000 plan files: target ≥ 2,000 plans/s after interpreter start.

    python bench/bench_measure.py [--plans 10000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from alignment_planner.analysis.pipeline import Analyzer, analyze
from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.cli.main import main as cli_main
from alignment_planner.cli.measure import default_jobs
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.measurements import measure_skeleton
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks


def _timing_us(fn: Callable[[], object], repeats: int = 31, number: int = 500) -> dict[str, float]:
    """Median (the figure the targets are judged by) plus min and max of ``repeats`` batches:
    on this VM identical batches vary up to 2x, so the spread is reported rather than hidden."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return {
        "median": round(statistics.median(samples), 1),
        "min": round(min(samples), 1),
        "max": round(max(samples), 1),
    }


def bench_in_process() -> dict[str, dict[str, float]]:
    spacing = PixelSpacing.isotropic(0.143)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing)
    plan = Plan(landmarks=landmarks, image=ImageRef(pixel_spacing=spacing), facing="right")
    planned = replace(
        plan,
        osteotomies=(Osteotomy("PSO", "L3", 30.0),),
        compensation=Compensation("pt_target", 20.0),
    )
    frame = AnatomicalFrame(0.143, 0.143, "right")
    drag = Analyzer()  # the GUI document's own analyzer, warmed on this plan's landmarks
    drag.analyze(planned)
    return {
        "measure_full_plan_us": _timing_us(
            lambda: measure_skeleton(Skeleton.from_landmarks(landmarks, frame), calibrated=True)
        ),
        # Cold: a new plan each time, as in a cohort (analyze() keeps no memo; an Analyzer does).
        "analyze_full_plan_us": _timing_us(lambda: analyze(plan)),
        "analyze_full_plan_with_pso_and_compensation_us": _timing_us(lambda: analyze(planned)),
        # Warm: only the osteotomies changed since the last call (an angle drag in the GUI).
        "analyze_angle_change_us": _timing_us(
            lambda: drag.analyze(replace(planned, osteotomies=(Osteotomy("PSO", "L3", 31.0),)))
        ),
    }


def bench_csv(count: int) -> dict[str, float]:  # plans per second
    folder = Path(tempfile.mkdtemp(prefix="ap-bench-"))
    try:
        spacing = PixelSpacing.isotropic(0.143)
        paths = []
        for i in range(count):
            spec = SpineSpec(pelvic_incidence=40 + i % 40, pelvic_tilt=5 + i % 25)
            plan = Plan(
                landmarks=build_landmarks(spec, spacing=spacing),
                image=ImageRef(pixel_spacing=spacing),
                osteotomies=(Osteotomy("PSO", "L3", 20 + i % 15),) if i % 2 else (),
            )
            path = folder / f"plan_{i:05d}.json"
            write_plan(plan, path)
            paths.append(str(path))
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            status = cli_main(["measure", *paths, "--csv", str(folder / "out.csv")])
            elapsed = time.perf_counter() - start
            assert status == 0
            runs.append(count / elapsed)
        rows = (folder / "out.csv").read_text().count("\n") - 1
        assert rows == count, rows
        return {
            "csv_plans": count,
            "csv_plans_per_second_median": round(statistics.median(runs)),
            "csv_plans_per_second_min": round(min(runs)),
            "csv_plans_per_second_max": round(max(runs)),
            "csv_workers": default_jobs(),
        }
    finally:
        shutil.rmtree(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=10_000)
    args = parser.parse_args()
    result: dict[str, object] = {**bench_in_process(), **bench_csv(args.plans)}
    result["targets"] = {"measure_full_plan_us.median": "<= 200", "csv_plans_per_second_median": ">= 2000"}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
