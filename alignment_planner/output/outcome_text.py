"""``outcomes`` JSON and CSV as text, fast: the same bytes as ``json.dumps(outcomes_document(…),
indent=2, ensure_ascii=False)`` and as ``csv.writer`` over ``csv_rows(…)`` (the definitions, in
outcome_records.py), written for cohorts of thousands of plans, one plan at a time (the command
renders each plan as it arrives from the workers, while the next ones are still being read).

``json.dumps`` with an indent runs Python's pure-Python encoder (only the compact form has a C
one): on 10,000 plans × 3 × 40 values it cost more than a second, alone in the main process after
every plan was read. Here the per-plan records are laid out directly, every scalar and every flat
``{KEY: number}`` table going through the C encoder; the summary (small) still goes through
``json.dumps`` itself. The tests compare both paths byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

from alignment_planner.analysis.outcomes import KEYS, PlanOutcome, Summary
from alignment_planner.measurements import PARAMETERS_BY_KEY
from alignment_planner.output.outcome_records import CSV_HEADER, csv_cell, outcomes_document

_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # compact: the C encoder
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]+")
if not all(_PLAIN_KEY.fullmatch(k) for k in KEYS):  # the table layout below relies on it
    raise AssertionError("outcome keys must be plain identifiers")


def _table(values: dict[str, float | None], pad: str) -> str:
    """``{KEY: number|null}`` in ``json.dumps(indent=2)`` form, its members at ``pad``: the compact
    C encoding, split after each member (keys are plain identifiers and values numbers or null,
    so ``, "`` occurs only between members)."""
    compact = _ENCODE({k: None if (v := values[k]) is None else round(v, 6) for k in KEYS})  # rounded()
    inner = compact[1:-1].replace(', "', ',\n' + pad + '"')
    return "{\n" + pad + inner + "\n" + pad[:-2] + "}"


def _list(items: Sequence[str], pad: str) -> str:
    """A list of already-encoded members at ``pad`` (``[]`` when empty, as ``json.dumps``)."""
    if not items:
        return "[]"
    return "[\n" + pad + (",\n" + pad).join(items) + "\n" + pad[:-2] + "]"


def plan_json(outcome: PlanOutcome) -> str:
    """One entry of ``plans`` (at depth 2 of the document, as ``json.dumps(indent=2)`` lays it)."""
    p1, p2, p3, p4 = " " * 6, " " * 8, " " * 10, " " * 12
    followups = [
        "{\n"
        f'{p3}"label": {_ENCODE(row.followup)},\n'
        f'{p3}"date": {_ENCODE(row.date)},\n'
        f'{p3}"planned": {_table(row.planned, p4)},\n'
        f'{p3}"achieved": {_table(row.achieved, p4)},\n'
        f'{p3}"predicted_minus_achieved": {_table(row.error, p4)}\n'
        f"{p2}}}"
        for row in outcome.rows
    ]
    return (
        "{\n"
        f'{p1}"plan": {_ENCODE(outcome.label)},\n'
        f'{p1}"compensation_model": {_ENCODE(outcome.model)},\n'
        f'{p1}"groups": {_list([_ENCODE(g) for g in outcome.groups], p2)},\n'
        f'{p1}"followups": {_list(followups, p2)}\n'
        "    }"
    )


_PLANS_PLACEHOLDER = '\n  "plans": [],\n'


def outcomes_json(plans: Sequence[str], summary: Summary) -> str:
    """``json.dumps(outcomes_document(outcomes, summary), indent=2, ensure_ascii=False)``, from
    ``plan_json(o)`` of each outcome (rendered as the plans arrive, while others are still read)."""
    frame = json.dumps(outcomes_document((), summary), indent=2, ensure_ascii=False)
    at = frame.index(_PLANS_PLACEHOLDER)  # the first member after "convention": a fixed text
    return frame[:at] + '\n  "plans": ' + _list(plans, " " * 4) + ",\n" + frame[at + len(_PLANS_PLACEHOLDER):]


_KEY_UNIT = tuple(f",{key},{PARAMETERS_BY_KEY[key].unit}," for key in KEYS)


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(CSV_HEADER)
    return buffer.getvalue()


def plan_csv(outcome: PlanOutcome) -> str:
    """``csv_rows([outcome])`` as ``csv.writer(lineterminator="\\n")`` writes them: the plan,
    follow-up and date cells (the only ones that may need quoting) are written by ``csv.writer``
    once per follow-up; keys, units and numbers never need it."""
    head = io.StringIO()
    # The same line terminator as the whole file's writer: a cell holding it must be quoted.
    head_writer = csv.writer(head, lineterminator="\n")
    parts: list[str] = []
    for row in outcome.rows:
        head.seek(0)
        head.truncate()
        head_writer.writerow([outcome.label, row.followup, row.date or ""])
        prefix = head.getvalue()[:-1]
        planned, achieved, error = row.planned, row.achieved, row.error
        for k, key_unit in zip(KEYS, _KEY_UNIT, strict=True):
            p, a, e = planned[k], achieved[k], error[k]
            if p is not None and a is not None and e is not None:  # csv_cell() inlined: the usual row
                parts.append(f"{prefix}{key_unit}{p:.6g},{a:.6g},{e:.6g}\n")
            else:
                parts.append(f"{prefix}{key_unit}{csv_cell(p)},{csv_cell(a)},{csv_cell(e)}\n")
    return "".join(parts)
