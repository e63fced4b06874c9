"""The free measurements drawn on the film, for machines and readers (contract.md §4.2): the
``annotations`` list of ``measure --json``, the lines of the measure table and the rows of the
report's "Measurements drawn" table.

Each entry is a pair (pre-op value, planned value) in file order, as
``scene.planned_annotations.annotation_values`` makes them. The JSON keeps the contract's keys
(``type``, ``label``, ``value``, ``unit``; ``unit`` "deg" or "mm", null for notes) and adds
``name``, ``reason`` (why the value is null, or a caveat), ``text`` (of a note), ``postop`` (the
value where the plan moves the points) and ``postop_spans`` (the cuts between its points).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alignment_planner.annotations.values import AnnotationValue

Drawn = Sequence[tuple[AnnotationValue, AnnotationValue]]


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def annotation_records(drawn: Drawn) -> list[dict[str, Any]]:
    records = []
    for before, after in drawn:
        record: dict[str, Any] = {
            "type": before.type,
            "label": before.label,
            "value": _number(before.value),
            "unit": before.unit,
            "name": before.name,
            "reason": before.reason,
            "postop": _number(after.value),
            "postop_spans": [label.removeprefix("above ") for label in after.spans],
        }
        if before.note is not None:
            record["text"] = before.note
        records.append(record)
    return records


def _cell(value: AnnotationValue) -> str:
    return value.text() or "—"


def annotation_table_lines(drawn: Drawn, simulated: bool) -> list[str]:
    """The "measurements drawn" block of the measure table; empty without annotations."""
    if not drawn:
        return []
    width = max(len(before.name) for before, _after in drawn) + 2
    header = f"  {'name':<{width}}{'type':<12}{'pre-op':>10}" + (f"{'planned':>10}" if simulated else "")
    lines = ["measurements drawn on the film", header]
    for before, after in drawn:
        row = f"  {before.name:<{width}}{before.type:<12}{_cell(before):>10}"
        notes = [n for n in (before.reason, f'"{before.note}"' if before.note else None) if n]
        if simulated:
            row += f"{_cell(after):>10}"
            if after.spans_text:
                notes.append(after.spans_text)
        if notes:
            row += "   " + "; ".join(notes)
        lines.append(row.rstrip())
    return lines


def annotation_report_rows(drawn: Drawn, simulated: bool) -> tuple[tuple[str, str, str, str], ...]:
    """(name, pre-op, planned, note) per measurement; notes (text, arrows) are left out."""
    rows = []
    for before, after in drawn:
        if before.unit is None:
            continue
        note = "; ".join(n for n in (before.reason, after.spans_text if simulated else None) if n)
        rows.append((before.name, _cell(before), _cell(after) if simulated else "", note))
    return tuple(rows)
