"""Procedures that exclude each other in one plan (issue 21 §5, docs/clinical-additions.md §1–2).

A disc prosthesis (TDR) needs a mobile segment with intact endplates: it is refused inside a
fusion, planned or existing, at a disc where another osteotomy is planned, and next to a vertebra
whose body is resected. Cement augmentation (kyphoplasty, vertebroplasty) and resection of the same
body (PSO, EPSO, VCR) are refused together. Everything else combines: a decompression inside a
planned fusion is the usual case. Rules are asked of the registries, never of type names.
"""

from __future__ import annotations

from alignment_planner.anatomy.levels import LEVEL_INDEX, parse_disc
from alignment_planner.plan.model import Osteotomy, Plan, Procedure
from alignment_planner.procedures.catalogue import entry_for, where_text
from alignment_planner.procedures.registry import PROCEDURE_TYPES


def plan_conflicts(plan: Plan) -> list[str]:
    """Every refusal that applies to ``plan``, one sentence each naming both procedures."""
    problems = [p for o in plan.osteotomies if (p := osteotomy_conflict(plan, o)) is not None]
    for procedure in plan.procedures:
        entry = entry_for(procedure.type)
        if entry is not None and entry.augments_body and procedure.level is not None:
            resection = _resection_at(plan, procedure.level)
            if resection is not None:
                problems.append(_augment_message(procedure.type, procedure.level, resection))
    return problems


def osteotomy_conflict(plan: Plan, osteotomy: Osteotomy) -> str | None:
    """Why ``osteotomy`` cannot be combined with the rest of ``plan``, or ``None``."""
    kind = PROCEDURE_TYPES.get(osteotomy.type)
    if kind is None:
        return None
    name = f"{osteotomy.type} at {osteotomy.level}"
    if kind.augments_body:
        resection = _resection_at(plan, osteotomy.level)
        if resection is not None:
            return _augment_message(osteotomy.type, osteotomy.level, resection)
    if not kind.motion_preserving:
        return None
    disc = parse_disc(osteotomy.level)
    if disc is None:
        return None
    fusion = _fusion_around(plan, disc)
    if fusion is not None:
        span = where_text(fusion)  # cranial end first, however the file gives it
        if fusion.extra.get("status") == "existing":
            return (
                f"{name} is inside the existing fusion {span}: no mobile disc is left there "
                "(contract.md §4.1)"
            )
        return (
            f"{name} is inside the planned fusion {span}: a disc prosthesis keeps the segment "
            "moving, the fusion stops it; plan an interbody cage, or end the fusion above or below"
        )
    for other in plan.osteotomies:
        other_kind = PROCEDURE_TYPES.get(other.type)
        if other is osteotomy or other_kind is None:
            continue
        if other.level == osteotomy.level:
            return f"{name}: {other.type} is also planned at {other.level}; a prosthesis needs that disc"
        if other_kind.resects_body and other.level in disc:
            return (
                f"{name}: the {other.type} at {other.level} cuts through the endplate the "
                "prosthesis would sit on"
            )
    return None


def _fusion_around(plan: Plan, disc: tuple[str, str]) -> Procedure | None:
    upper, lower = LEVEL_INDEX[disc[0]], LEVEL_INDEX[disc[1]]
    for procedure in plan.procedures:
        entry = entry_for(procedure.type)
        ends = (procedure.from_level, procedure.to_level)
        if entry is None or not entry.fuses or not all(e in LEVEL_INDEX for e in ends):
            continue
        top, bottom = sorted(LEVEL_INDEX[e] for e in ends if e is not None)
        if top <= upper and lower <= bottom:
            return procedure
    return None


def _resection_at(plan: Plan, level: str) -> Osteotomy | None:
    for osteotomy in plan.osteotomies:
        kind = PROCEDURE_TYPES.get(osteotomy.type)
        if kind is not None and kind.resects_body and osteotomy.level == level:
            return osteotomy
    return None


def _augment_message(kind: str, level: str, resection: Osteotomy) -> str:
    return (
        f"{kind} at {level}: a {resection.type} is planned at {level}, which resects that body; "
        "cement augmentation and resection of one vertebra exclude each other"
    )
