"""``alignment-planner measure PLAN… [--json] [--csv OUT]`` (contract.md §3).

Output: the human table by default; ``--json`` prints JSON instead; ``--csv OUT`` writes the CSV
(and prints nothing else unless ``--json`` is also given). Large cohorts are read and measured by
worker processes in order-preserving chunks; one plan never leaves this process.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.cli.worker_pool import map_in_workers
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.atomic import write_text_atomically
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.output.drawn import annotation_records
from alignment_planner.output.records import csv_header, csv_row, json_record, uncertainty_record
from alignment_planner.output.rows import by_key
from alignment_planner.output.table import format_analysis
from alignment_planner.safety.quoting import PATH_LIMIT, one_line, printable_path, quoted
from alignment_planner.scene.planned_annotations import annotation_values
from alignment_planner.targets.presets import Verdict, evaluate, preset_by_id
from alignment_planner.targets.verdicts import verdict_record

# Below this many plans, starting worker processes costs more than it saves.
PARALLEL_FROM = 200
CHUNK = 64


@dataclass(frozen=True)
class _Wanted:
    table: bool
    json: bool
    csv: bool
    uncertainty: bool = False
    """``--uncertainty`` given (issue 5 §4, issue 15 §3)."""
    point_sd_mm: float | None = None
    """An isotropic per-point error instead of the calibrated model (clinical.md §5.4)."""
    preset: str | None = None
    """``--preset ID``: verdicts by the preset's two-sided bands (contract.md §4.4)."""


class _Outcome(NamedTuple):
    """What a worker sends back (a tuple: cheap to pickle, thousands cross the process boundary)."""

    label: str
    error: str | None = None
    table: str | None = None
    record: dict[str, Any] | None = None
    row: list[Any] | None = None


def _measure_one(job: tuple[str, _Wanted]) -> _Outcome:
    label, wanted = job
    try:
        return _measured(label, wanted)
    except AlignmentPlannerError as exc:
        return _Outcome(label, error=str(exc))
    except Exception as exc:  # a bug met on one plan: that plan fails, the cohort goes on
        where = quoted(label, PATH_LIMIT)
        return _Outcome(label, error=f"{where}: internal error ({type(exc).__name__}: {exc})")


def _died(job: tuple[str, _Wanted]) -> _Outcome:
    label = job[0]
    return _Outcome(
        label,
        error=f"{quoted(label, PATH_LIMIT)}: the worker process measuring this plan died; not measured",
    )


def _measured(path: str, wanted: _Wanted) -> _Outcome:
    plan = read_plan(path)
    label = printable_path(path)  # a non-UTF-8 file name must not break the CSV, JSON or table
    analysis = analyze(plan)
    uncertainty = None
    if wanted.uncertainty and (wanted.table or wanted.json):
        uncertainty = propagate(plan, wanted.point_sd_mm, analysis)
    drawn = annotation_values(plan, analysis) if wanted.table or wanted.json else ()
    targets = None
    verdicts: tuple[dict[str, list[Verdict]], dict[str, list[Verdict]]] | None = None
    if wanted.preset is not None:
        preset = preset_by_id(wanted.preset)
        age = plan.patient.age if plan.patient else None
        pre, post = (by_key(evaluate(preset, m, age)) for m in (analysis.preop, analysis.postop))
        verdicts = (pre, post)
        targets = {
            "preset": preset.id,
            "preop": verdict_record(preset, analysis.preop, age),
            "postop": verdict_record(preset, analysis.postop, age),
        }
    record = None
    if wanted.json:
        record = json_record(label, plan, analysis)
        record["annotations"] = annotation_records(drawn)  # contract.md §4.2, in file order
        if uncertainty is not None:
            record["uncertainty"] = uncertainty_record(uncertainty)
        if targets is not None:
            record["targets"] = targets
    return _Outcome(
        label,
        table=format_analysis(label, analysis, plan, uncertainty, drawn, targets, verdicts)
        if wanted.table
        else None,
        record=record,
        row=csv_row(label, plan, analysis) if wanted.csv else None,
    )


def _outcomes(labels: list[str], wanted: _Wanted, jobs: int) -> Iterator[_Outcome]:
    work = [(label, wanted) for label in labels]
    if jobs <= 1 or len(labels) < PARALLEL_FROM:
        yield from map(_measure_one, work)
        return
    yield from map_in_workers(_measure_one, work, _died, jobs=jobs, chunk=CHUNK)


def default_jobs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1), 8))


def run_measure(args: argparse.Namespace) -> int:
    wanted = _Wanted(
        table=not args.json and args.csv is None,
        json=args.json,
        csv=args.csv is not None,
        uncertainty=args.uncertainty is not None,
        point_sd_mm=args.uncertainty if isinstance(args.uncertainty, float) else None,
        preset=args.preset,
    )
    jobs = args.jobs if args.jobs is not None else default_jobs()
    tables: list[str] = []
    records: list[dict[str, Any]] = []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header())
    failed = False
    for outcome in _outcomes(list(args.plans), wanted, jobs):
        if outcome.error is not None:
            if not args.keep_going:
                raise _Failure(outcome.error)
            print(f"error: {one_line(outcome.error)}", file=sys.stderr)
            failed = True
            continue
        if outcome.table is not None:
            tables.append(outcome.table)
        if outcome.record is not None:
            records.append(outcome.record)
        if outcome.row is not None:
            writer.writerow(outcome.row)

    if args.csv is not None:
        if args.csv == "-":
            sys.stdout.write(buffer.getvalue())
        else:
            write_text_atomically(Path(args.csv), buffer.getvalue())
    if args.json:
        document: Any = records[0] if len(args.plans) == 1 and records else records
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if tables:
        sys.stdout.write("\n\n".join(tables) + "\n")
    return 2 if failed else 0


class _Failure(AlignmentPlannerError):
    """An invalid plan, already formatted by the worker that found it."""
