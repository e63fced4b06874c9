"""Issue 4 solver targets (medians, JSON on stdout).

- single-target solve (one more osteotomy, plan's own cuts and compensation applied): ≤ 5 ms
- multi-target search over L1–L5 × {SPO, PSO} × angles, with two-level combinations: ≤ 200 ms

    python bench/bench_solve.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.planning.search import Goal, search
from alignment_planner.planning.solve import solve

ROOT = Path(__file__).resolve().parent.parent
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"


def _time(work: Callable[[], object], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(1000 * (time.perf_counter() - start))
    return {"median": round(statistics.median(samples), 3), "min": round(min(samples), 3), "n": repeat}


def main() -> int:
    plan = read_plan(FLATBACK)
    without_pso = replace(plan, osteotomies=())  # the PSO is what we solve for; PT target 20° kept
    goals = [Goal.parse("PI_LL<10"), Goal.parse("TPA<14"), Goal.parse("SVA<40")]
    cases = {
        "solve_SVA_PSO_L4_ms": lambda: solve(without_pso, "PSO", "L4", "SVA", 40.0),
        "solve_TPA_PSO_L3_ms": lambda: solve(without_pso, "PSO", "L3", "TPA", 14.0),
        "solve_PI_LL_SPO_L4L5_on_the_plan_ms": lambda: solve(plan, "SPO", "L4-L5", "PI_LL", 0.0),
        "solve_unreachable_SPO_ms": lambda: solve(without_pso, "SPO", "L1-L2", "SVA", -400.0),
    }
    result: dict[str, object] = {"plan": str(FLATBACK.relative_to(ROOT))}
    for name, work in cases.items():
        result[name] = _time(work, 100)
    options = search(without_pso, goals)
    result["search_3_goals_L1-L5_SPO_PSO_pairs_ms"] = _time(lambda: search(without_pso, goals), 10)
    result["search_best"] = options[0].describe()
    result["targets"] = {"solve_*.median": "<= 5", "search_*.median": "<= 200"}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
