"""One entry of a plan's ``procedures`` (contract.md §2, §4.1, §4.8), validated against the
procedure catalogue.

A known type's location and options are checked strictly, each problem naming its field
(``procedures[2].approach``); a type the catalogue does not know is kept as written, with its
levels checked, and warned about by the analysis (``catalogue.unknown_type_warning``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVEL_LIST_TEXT, parse_disc
from alignment_planner.files.plan_writer import describe_value
from alignment_planner.plan.model import Procedure
from alignment_planner.procedures.catalogue import CatalogueEntry, entry_for, outside_span

_LOCATION_KEYS = ("level", "from", "to")


class ProcedureFieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def read_procedure(obj: dict[str, Any], field: str) -> Procedure:
    kind = obj.get("type")
    if not isinstance(kind, str) or not kind.strip():
        raise ProcedureFieldError(f"{field}.type", f"expected a procedure name, got {describe_value(kind)}")
    levels: dict[str, str | None] = {}
    for key in _LOCATION_KEYS:
        name = obj.get(key)
        if name is not None and not isinstance(name, str):
            raise ProcedureFieldError(f"{field}.{key}", f"expected text, got {describe_value(name)}")
        if name is not None and name not in LEVEL_INDEX and parse_disc(name) is None:
            raise ProcedureFieldError(
                f"{field}.{key}",
                f"unknown level {describe_value(name)} (levels are {LEVEL_LIST_TEXT}; discs UPPER-LOWER)",
            )
        levels[key] = name
    entry = entry_for(kind)
    if entry is not None:
        _check_location(entry, levels, field)
        _check_options(entry, obj, levels, field)
    extra = {k: v for k, v in obj.items() if k not in ("type", *_LOCATION_KEYS)}
    return Procedure(
        type=kind, level=levels["level"], from_level=levels["from"], to_level=levels["to"],
        extra=MappingProxyType(extra) if extra else MappingProxyType({}),
    )


def _check_location(entry: CatalogueEntry, levels: dict[str, str | None], field: str) -> None:
    spans = "span" in entry.targets
    if levels["from"] is not None or levels["to"] is not None or entry.targets == ("span",):
        if not spans:
            key = "from" if levels["from"] is not None else "to"
            raise ProcedureFieldError(
                f"{field}.{key}", f'a {entry.key} is done at one level: use "level", not a span'
            )
        if levels["level"] is not None:
            raise ProcedureFieldError(
                f"{field}.level", f'give either "level" or "from" and "to" for a {entry.key}, not both'
            )
        for key in ("from", "to"):
            name = levels[key]
            if name is None:
                raise ProcedureFieldError(
                    f"{field}.{key}", f"missing: a {entry.key} over several levels needs from and to"
                )
            if entry.targets == ("span",) and name not in LEVEL_INDEX:
                raise ProcedureFieldError(
                    f"{field}.{key}", f'a {entry.key} spans vertebrae: "{name}" is a disc, give a vertebra'
                )
        return
    where = levels["level"]
    if where is None:
        raise ProcedureFieldError(
            f"{field}.level", f"missing: where the {entry.key} is done ({_targets(entry)})"
        )
    if not entry.accepts(where):
        raise ProcedureFieldError(
            f"{field}.level", f'a {entry.key} is done at {_targets(entry)}, not at "{where}"'
        )


def _targets(entry: CatalogueEntry) -> str:
    words = {"disc": "a disc (e.g. L4-L5)", "vertebra": "a vertebra (e.g. L4)",
             "spinous_process": "a vertebra's spinous process (e.g. L4)",
             "span": "a span (from, to)"}
    return " or ".join(words[t] for t in entry.targets)


def _check_options(
    entry: CatalogueEntry, obj: dict[str, Any], levels: dict[str, str | None], field: str
) -> None:
    for option in entry.options:
        if option.key not in obj:
            continue
        problem = option.problem(obj[option.key])
        if problem is not None:
            got = describe_value(obj[option.key])
            raise ProcedureFieldError(f"{field}.{option.key}", f"{problem}, got {got}")
        outside = outside_span(option, obj[option.key], levels["from"], levels["to"])
        if outside is not None:
            raise ProcedureFieldError(f"{field}.{option.key}[{outside[0]}]", outside[1])
