"""Issue 19 performance target, measured (medians, JSON on stdout).

``outcomes`` over 10,000 plan files, each with a PSO, a compensation model and a follow-up film:
target < 10 s for the whole summary (per plan and follow-up rows, per key statistics, every
compensation model's error, the personal model's leave-one-out error, the JSON and the CSV),
after interpreter start. ``cpu_seconds_median`` (user + system, workers included) is the figure to
compare on a loaded machine.

    python bench/bench_outcomes.py [--plans 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from alignment_planner.cli.main import main as cli_main
from alignment_planner.cli.measure import default_jobs
from alignment_planner.synthetic.cohort import cohort_document

DISTINCT = 500
"""Distinct synthetic plans, written under ``--plans`` file names (each file is read and analysed
on its own, so repeats cost the same as new plans; building 10,000 phantoms would take minutes)."""


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the worker processes, which
    the pool has joined when ``outcomes`` returns): on a shared machine, the figure that load
    does not inflate."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench(count: int, runs: int) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="ap-bench-outcomes-"))
    try:
        distinct = range(min(DISTINCT, count))
        texts = [json.dumps(cohort_document(i, pt_miss_deg=-3.0), indent=2) for i in distinct]
        paths = []
        for i in range(count):
            path = folder / f"plan_{i:05d}.json"
            path.write_text(texts[i % len(texts)])
            paths.append(str(path))
        seconds, cpu = [], []
        for _ in range(runs):
            start, cpu_start = time.perf_counter(), _cpu_seconds()
            status = cli_main(["outcomes", *paths, "--csv", str(folder / "out.csv"), "--json"])
            seconds.append(time.perf_counter() - start)
            cpu.append(_cpu_seconds() - cpu_start)
            assert status == 0
        return {
            "plans": count,
            "seconds_median": round(statistics.median(seconds), 2),
            "seconds_min": round(min(seconds), 2),
            "seconds_max": round(max(seconds), 2),
            "cpu_seconds_median": round(statistics.median(cpu), 2),
            "workers": default_jobs(),
            "target": "seconds_median < 10",
        }
    finally:
        shutil.rmtree(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # the JSON document itself is not the result
        result = bench(args.plans, args.runs)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
