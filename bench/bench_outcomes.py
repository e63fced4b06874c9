"""Issue 19 performance target, measured (medians, JSON on stdout).

``outcomes`` over 10,000 plan files, each with a PSO, a compensation model and a follow-up film:
target < 10 s for the whole summary (per plan and follow-up rows, per key statistics, every
compensation model's error, the personal model's leave-one-out error), after interpreter start.

    python bench/bench_outcomes.py [--plans 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
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
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            status = cli_main(["outcomes", *paths, "--csv", str(folder / "out.csv"), "--json"])
            seconds.append(time.perf_counter() - start)
            assert status == 0
        return {
            "plans": count,
            "seconds_median": round(statistics.median(seconds), 2),
            "seconds_min": round(min(seconds), 2),
            "seconds_max": round(max(seconds), 2),
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
