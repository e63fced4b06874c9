"""The procedure catalogue: every non-geometric procedure a plan can hold (contract.md §4.8),
defined once, beside the geometric registry (``registry.PROCEDURE_TYPES``).

Each entry says what it is done at (a disc, a vertebra, a span of vertebrae, a spinous process),
which options it takes and their allowed values, whether it changes alignment, and where it is
defined. The plan reader validates known types against it, the GUI builds its form from it, and the
film, the table and the PDF draw and list from it. A type that is not in the catalogue is kept as
written (plans from before the catalogue, other tools' names) and warned about, naming the closest
known key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from alignment_planner.anatomy.levels import LEVEL_INDEX, parse_disc
from alignment_planner.plan.model import Osteotomy, Procedure
from alignment_planner.procedures.registry import PROCEDURE_TYPES

Target = Literal["disc", "vertebra", "span", "spinous_process"]
"""What a procedure is done at; a spinous process is named by its vertebra."""
OptionKind = Literal["choice", "number", "vertebrae", "discs"]

APPROACHES = ("open", "microscopic", "endoscopic", "percutaneous")
SIDES = ("left", "right", "bilateral")


@dataclass(frozen=True, slots=True)
class Option:
    """One optional key of a procedure in the plan file, with what it may hold."""

    key: str
    label: str
    kind: OptionKind
    choices: tuple[str, ...] = ()
    unit: str = ""
    limits: tuple[float, float] = (0.0, 0.0)
    """For numbers: exclusive lower, inclusive upper bound."""

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not allowed here, or ``None`` when it is."""
        if self.kind == "choice":
            if value in self.choices:
                return None
            return f"expected one of {', '.join(self.choices)}"
        if self.kind == "number":
            low, high = self.limits
            if type(value) not in (int, float) or not low < float(value) <= high:
                return f"expected a number of {self.unit} greater than {low:g} and at most {high:g}"
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"expected a list of {'vertebrae' if self.kind == 'vertebrae' else 'discs'}"
        for item in value:
            if self.kind == "vertebrae" and item not in LEVEL_INDEX:
                return f'"{item}" is not a vertebra (C2…S1)'
            if self.kind == "discs" and parse_disc(item) is None:
                return f'"{item}" is not a disc (UPPER-LOWER of adjacent levels, e.g. L4-L5)'
        return None


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    key: str
    name: str
    targets: tuple[Target, ...]
    """What it may be done at; the first is what the GUI offers."""
    options: tuple[Option, ...]
    changes_alignment: bool
    glyph: str
    """The short tag drawn on the film and used in compact lists."""
    reference: str
    note: str = ""
    """Said wherever it is listed (spinoplasty: that it has no alignment effect)."""
    augments_body: bool = False
    """Fills the vertebral body with cement: excludes resecting that body."""
    fuses: bool = False
    """Removes the motion of every disc in its span."""

    def accepts(self, where: str) -> bool:
        """Whether a ``level`` value (a vertebra or a disc name) suits this procedure."""
        if parse_disc(where) is not None:
            return "disc" in self.targets
        return where in LEVEL_INDEX and bool({"vertebra", "spinous_process"} & set(self.targets))

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)


_APPROACH = Option("approach", "Approach", "choice", APPROACHES)
_SIDE = Option("side", "Side", "choice", SIDES)
_ALONG_THE_CANAL = (_APPROACH, _SIDE)
_NEURAL = "no effect on sagittal alignment: no column is cut or moved"

CATALOGUE: dict[str, CatalogueEntry] = {
    e.key: e
    for e in (
        CatalogueEntry(
            "fusion", "Fusion (instrumented arthrodesis)", ("span",),
            (
                Option("status", "Status", "choice", ("planned", "existing")),
                Option("instrumented", "Instrumented levels", "vertebrae"),
                Option("interbody", "Interbody discs", "discs"),
            ),
            False, "FUS",
            "contract.md §4.1, §4.8; holds the correction made by the osteotomies (clinical.md §3)",
            fuses=True,
        ),
        CatalogueEntry(
            "decompression", "Decompression", ("disc", "vertebra", "span"), _ALONG_THE_CANAL, False,
            "DEC",
            f"contract.md §4.8; {_NEURAL}",
        ),
        CatalogueEntry(
            "laminectomy", "Laminectomy", ("vertebra", "disc", "span"), _ALONG_THE_CANAL, False,
            "LAM",
            f"contract.md §4.8; {_NEURAL} (a wide multilevel laminectomy without fusion may "
            "destabilise: not modelled)",
        ),
        CatalogueEntry(
            "microdiscectomy", "Microdiscectomy", ("disc",), _ALONG_THE_CANAL, False, "µD",
            f"contract.md §4.8; {_NEURAL}",
        ),
        CatalogueEntry(
            "discectomy", "Discectomy", ("disc",), _ALONG_THE_CANAL, False, "DIS",
            f"contract.md §4.8; {_NEURAL}",
        ),
        CatalogueEntry(
            "foraminotomy", "Foraminotomy", ("disc", "vertebra", "span"), _ALONG_THE_CANAL, False,
            "FOR",
            f"contract.md §4.8; {_NEURAL}",
        ),
        CatalogueEntry(
            "vertebroplasty", "Vertebroplasty (cement augmentation)", ("vertebra",), (), False,
            "VP", "contract.md §4.8; fills the body without restoring height (height restoration "
            "is KYPHOPLASTY, a geometric procedure); docs/clinical-additions.md §2",
            augments_body=True,
        ),
        CatalogueEntry(
            "spinoplasty", "Spinoplasty (spinous process)", ("spinous_process",),
            (
                Option("action", "Action", "choice", ("reshape", "partial_resection")),
                Option("height_mm", "Height removed", "number", unit="mm", limits=(0.0, 50.0)),
            ),
            False, "SP",
            "contract.md §4.8; docs/clinical-additions.md §3: posterior elements only, no effect "
            "on sagittal alignment",
            note="no alignment effect",
        ),
    )
}

ALL_KEYS: tuple[str, ...] = (*CATALOGUE, *PROCEDURE_TYPES)
"""Every known procedure key: the catalogue's (in ``procedures``) and the geometric registry's
(in ``osteotomies``)."""


def outside_span(option: Option, value: Any, first: str | None, last: str | None) -> tuple[int, str] | None:
    """For a fusion's ``instrumented`` levels and ``interbody`` discs: the first item outside the
    fused span ``first``–``last`` (its index and why), or ``None``."""
    if option.kind not in ("vertebrae", "discs") or first not in LEVEL_INDEX or last not in LEVEL_INDEX:
        return None
    top, bottom = sorted((LEVEL_INDEX[first], LEVEL_INDEX[last]))
    for i, item in enumerate(value):
        upper, lower = parse_disc(item) or (item, item)
        if not (top <= LEVEL_INDEX[upper] and LEVEL_INDEX[lower] <= bottom):
            return i, f"{item} is outside the fusion {first}–{last}"
    return None


def entry_for(kind: str) -> CatalogueEntry | None:
    """The catalogue entry of a procedure type; keys are lower-case, and a plan written by hand
    as "Fusion" means the same (it is warned about, and kept as written)."""
    return CATALOGUE.get(kind) or CATALOGUE.get(kind.strip().lower())


def closest_key(kind: str) -> str | None:
    """The known key nearest to ``kind`` (case-insensitive), for "did you mean" messages."""
    lowered = {key.lower(): key for key in ALL_KEYS}
    match = difflib.get_close_matches(kind.strip().lower(), list(lowered), n=1, cutoff=0.0)
    return lowered[match[0]] if match else None


def unknown_type_warning(index: int, procedure: Procedure) -> str | None:
    """The warning for a type outside the catalogue, or ``None`` for a known one."""
    if procedure.type in CATALOGUE:
        return None
    where = f"procedures[{index}]: "
    entry = entry_for(procedure.type)
    if entry is not None:
        return f'{where}"{procedure.type}" read as "{entry.key}" (catalogue keys are lower-case)'

    nearest = closest_key(procedure.type)
    if nearest in PROCEDURE_TYPES:
        hint = f'; the closest known procedure is "{nearest}", a geometric one that belongs in ' \
               '"osteotomies" with an angle_deg'
    elif nearest is not None:
        hint = f'; did you mean "{nearest}"?'
    else:
        hint = ""
    return (
        f'{where}unknown procedure type "{procedure.type}": kept as written but not checked or '
        f"drawn{hint}"
    )


def where_text(procedure: Procedure) -> str:
    """Where a procedure is done, for lists: ``L4-L5``, ``T10–S1``, or empty. A span is written
    cranial end first whichever way the file gives it, a disc end included (``L3-L4–L5``)."""
    if procedure.from_level and procedure.to_level:
        ends = sorted((procedure.from_level, procedure.to_level), key=reading_position)
        return f"{ends[0]}–{ends[1]}"
    return procedure.level or ""


def describe(procedure: Procedure, *, calibrated: bool = True) -> str:
    """One line for the table, the PDF and the GUI list, e.g. ``microdiscectomy L4-L5
    (endoscopic, left)``; spinoplasty says it does not change alignment."""
    entry = entry_for(procedure.type)
    head = f"{procedure.type} {where_text(procedure)}".strip()
    if entry is None:
        return f"{head} (not in the catalogue)"
    details = []
    for option in entry.options:
        value = procedure.extra.get(option.key)
        if value is None or value == []:
            continue
        if option.kind == "number":
            shown = f"{float(value):g} {option.unit}" + ("" if calibrated else " (uncalibrated film)")
            details.append(f"{option.label.lower()} ≈ {shown}")
        elif option.kind == "choice":
            details.append(str(value).replace("_", " "))
        else:
            details.append(f"{option.label.lower()} {', '.join(value)}")
    if entry.note:
        details.append(entry.note)
    return head + (f" ({', '.join(details)})" if details else "")


def reading_position(level: str | None) -> float:
    """Cranio-caudal position of a level or disc name (larger = more caudal); unknown last."""
    if level is None:
        return float(len(LEVEL_INDEX) + 1)
    disc = parse_disc(level)
    if disc is not None:
        return LEVEL_INDEX[disc[0]] + 0.5
    return float(LEVEL_INDEX.get(level, len(LEVEL_INDEX) + 1))


def procedure_position(procedure: Procedure) -> float:
    """Where a procedure starts, cranially: the top of a span, else its level."""
    ends = [v for v in (procedure.from_level, procedure.to_level) if v]
    if ends:
        return min(reading_position(v) for v in ends)
    return reading_position(procedure.level)


def reading_order(procedures: tuple[Procedure, ...]) -> list[int]:
    """Indices of ``procedures`` from cranial to caudal (file order among equals)."""
    return sorted(range(len(procedures)), key=lambda i: procedure_position(procedures[i]))


def osteotomy_reading_order(osteotomies: tuple[Osteotomy, ...]) -> list[int]:
    """Indices of ``osteotomies`` from cranial to caudal (they are applied the other way)."""
    return sorted(range(len(osteotomies)), key=lambda i: reading_position(osteotomies[i].level))
