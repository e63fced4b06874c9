"""``solve`` (contract.md §3) and ``suggest``: the angle that reaches a target, and ranked
corrections for several goals at once."""

from __future__ import annotations

import argparse
import json
import math
import sys

from alignment_planner.errors import ProcedureError
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.measurements import HEADLINE_KEYS, reader_label
from alignment_planner.output.records import stage_values
from alignment_planner.planning.margins import margins_for
from alignment_planner.planning.search import (
    ALREADY_MET,
    Goal,
    goals_from_preset,
    preop_meets_every_goal,
    search,
    target_from_preset,
)
from alignment_planner.planning.solve import solve
from alignment_planner.safety.quoting import one_line, printable_path
from alignment_planner.targets.presets import preset_by_id

EXIT_UNREACHABLE = 3


def parse_target(text: str) -> tuple[str, float]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ProcedureError(f"--target {text!r}: write KEY=VALUE, for example SVA=40")
    try:
        number = float(value)
    except ValueError:
        raise ProcedureError(f"--target {text!r}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ProcedureError(f"--target {text!r}: the value must be finite")
    return key.strip(), number


def run_solve(args: argparse.Namespace) -> int:
    plan = read_plan(args.plan)
    key, _, preset_id = args.target.partition("@")
    if preset_id:  # KEY@PRESET: the edge of the preset's range for KEY
        from alignment_planner.analysis.pipeline import analyze

        age = plan.patient.age if plan.patient else None
        key = key.strip()
        try:
            preset = preset_by_id(preset_id)
            margin = margins_for(plan, [key], _margin(args))[key] if key in _keys(preset) else 0.0
            target = target_from_preset(preset, key, analyze(plan).preop, age, margin)
        except ProcedureError as exc:
            raise ProcedureError(f"--target {args.target}: {exc}") from None
    else:
        key, target = parse_target(args.target)
    try:
        solution = solve(plan, args.type, args.level, key, target)
    except ProcedureError as exc:
        raise ProcedureError(f"{args.plan}: {exc}") from None
    if not solution.reached:
        print(f"{printable_path(args.plan)}: {one_line(solution.message)}", file=sys.stderr)
        return EXIT_UNREACHABLE
    if args.json:
        from alignment_planner.analysis.pipeline import analyze

        record = {
            "type": solution.osteotomy.type,
            "level": solution.osteotomy.level,
            "angle_deg": solution.osteotomy.angle_deg,
            "postop": stage_values(analyze(solution.plan).postop),
        }
        print(json.dumps(record, indent=2))
    else:
        print(solution.message)
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    plan = read_plan(args.plan)
    goals = [Goal.parse(text) for text in args.goal or []]
    if args.preset:
        from alignment_planner.analysis.pipeline import analyze

        age = plan.patient.age if plan.patient else None
        goals += goals_from_preset(preset_by_id(args.preset), analyze(plan).preop, age)
    if not goals:
        raise ProcedureError("give --goal KEY<VALUE (repeatable) or --preset NAME")
    margins = margins_for(plan, [g.key for g in goals], _margin(args))
    goals = [g.inside_by(margins[g.key]) for g in goals]
    # Each level and type once: a repeated level multiplied the search (142 s for --levels
    # L3,L3,…; issue 16) without adding a single option.
    types = list(dict.fromkeys(t.strip() for t in args.types.split(",") if t.strip()))
    levels = list(dict.fromkeys(level.strip() for level in args.levels.split(",") if level.strip()))
    try:
        options = search(plan, goals, types=types, levels=levels, pairs=not args.single, limit=args.limit)
    except ProcedureError as exc:
        raise ProcedureError(f"{args.plan}: {exc}") from None
    keys = list(dict.fromkeys([g.key for g in goals] + list(HEADLINE_KEYS)))
    if args.json:
        record = [
            {
                "osteotomies": [
                    {"type": o.type, "level": o.level, "angle_deg": o.angle_deg} for o in option.osteotomies
                ],
                "meets_all_goals": option.meets_all_goals,
                "misses": {g.describe(): round(by, 6) for g, by in option.misses},
                "overcorrected": {key: round(value, 6) for key, value, _limit in option.overcorrected},
                "postop": stage_values(option.postop),
            }
            for option in options
        ]
        print(json.dumps(record, indent=2))
        return 0
    print("goals: " + ", ".join(g.describe() for g in goals))
    if preop_meets_every_goal(plan, goals):
        print(ALREADY_MET)
    print("aiming inside each edge by " + _describe_margins(margins, args))
    for rank, option in enumerate(options, start=1):
        values = "  ".join(
            f"{reader_label(k)} {'—' if (v := option.postop.values[k].value) is None else f'{v:.1f}'}"
            for k in keys
        )
        print(f"{rank}. {option.describe()}\n   {values}")
    return 0


def _margin(args: argparse.Namespace) -> float | None:
    margin: float | None = getattr(args, "margin", None)
    if margin is not None and (not math.isfinite(margin) or margin < 0.0):
        raise ProcedureError(f"--margin {margin:g}: give a finite number ≥ 0")
    return margin


def _keys(preset: object) -> set[str]:
    return {t.key for t in getattr(preset, "targets", ())}


def _describe_margins(margins: dict[str, float], args: argparse.Namespace) -> str:
    what = "the given --margin" if _margin(args) is not None else "the value's 95 % landmark band"
    return what + ": " + ", ".join(f"{reader_label(k)} {m:.1f}" for k, m in margins.items())
