"""``alignment-planner outcomes PLAN… [--json] [--csv OUT] [--personal OUT]`` (contract.md §4.5).

Plans are read and compared with their follow-ups in worker processes for large cohorts (the same
order-preserving pool as ``measure``); the summary is computed here, over all of them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import NamedTuple

from alignment_planner.analysis.outcomes import PlanOutcome, plan_outcome, summarise
from alignment_planner.cli.measure import CHUNK, PARALLEL_FROM, default_jobs
from alignment_planner.cli.worker_pool import map_in_workers
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.atomic import write_text_atomically
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.output.outcome_records import outcomes_table
from alignment_planner.output.outcome_text import csv_header, outcomes_json, plan_csv, plan_json
from alignment_planner.safety.quoting import PATH_LIMIT, printable_path, quoted


class _Result(NamedTuple):
    label: str
    outcome: PlanOutcome | None = None
    error: str | None = None


def _one(path: str) -> _Result:
    label = printable_path(path)
    try:
        return _Result(label, plan_outcome(label, read_plan(path)))
    except AlignmentPlannerError as exc:
        return _Result(label, error=str(exc))
    except Exception as exc:  # a bug met on one plan: that plan fails, the cohort goes on
        where = quoted(path, PATH_LIMIT)
        return _Result(label, error=f"{where}: internal error ({type(exc).__name__}: {exc})")


def _died(path: str) -> _Result:
    return _Result(printable_path(path), error=f"{quoted(path, PATH_LIMIT)}: the worker process died")


class OutcomesFailure(AlignmentPlannerError):
    """An unreadable or invalid plan in the cohort."""


def run_outcomes(args: argparse.Namespace) -> int:
    paths = list(args.plans)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        results: Iterator[_Result] = map(_one, paths)
    else:
        results = map_in_workers(_one, paths, _died, jobs=jobs, chunk=CHUNK)
    outcomes: list[PlanOutcome] = []
    skipped: list[str] = []
    # Each plan's JSON and CSV text is rendered as it arrives: the main process would otherwise
    # wait for the workers and then render the whole cohort alone.
    json_plans: list[str] = []
    csv_parts: list[str] = [csv_header()]
    for result in results:
        if result.error is not None:
            if isinstance(results, Generator):
                results.close()  # the first failure in file order is the answer: stop the workers
            raise OutcomesFailure(result.error)
        if result.outcome is None:
            skipped.append(f"{result.label}: no follow-up film; skipped")
            continue
        outcomes.append(result.outcome)
        if args.json:
            json_plans.append(plan_json(result.outcome))
        if args.csv is not None:
            csv_parts.append(plan_csv(result.outcome))
    summary = summarise(outcomes, skipped)
    if args.csv is not None:
        text = "".join(csv_parts)
        if args.csv == "-":
            sys.stdout.write(text)
        else:
            write_text_atomically(Path(args.csv), text)
    if args.personal is not None:
        if summary.personal is None:
            raise OutcomesFailure(f"--personal: {summary.personal_note}")
        fit = summary.personal
        document = {"model": "personal", **fit.as_settings()}
        write_text_atomically(Path(args.personal), json.dumps(document, indent=2) + "\n")
    if args.json:
        sys.stdout.write(outcomes_json(json_plans, summary) + "\n")
    elif args.csv != "-":
        sys.stdout.write(outcomes_table(summary) + "\n")
    return 0
