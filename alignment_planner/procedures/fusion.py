"""Existing fusions (contract.md §4.1): a solid fusion from a previous operation leaves no mobile
disc or facet, so no SPO, ACR, interbody cage or disc replacement can be done at a disc inside it;
a PSO, EPSO or VCR through the fusion mass remains possible."""

from __future__ import annotations

from alignment_planner.anatomy.levels import LEVEL_INDEX, parse_disc
from alignment_planner.plan.model import Osteotomy, Plan, Procedure
from alignment_planner.procedures.catalogue import where_text
from alignment_planner.procedures.registry import PROCEDURE_TYPES


def existing_fusions(plan: Plan) -> tuple[Procedure, ...]:
    return tuple(
        p for p in plan.procedures
        if p.type.lower() == "fusion" and p.existing and p.from_level and p.to_level
    )


def describe_fusion(fusion: Procedure) -> str:
    """"the existing fusion L2–S1", cranial end first however the file gives it."""
    return f"the existing fusion {where_text(fusion)}"


def blocking_fusion(plan: Plan, osteotomy: Osteotomy) -> Procedure | None:
    """The existing fusion that makes ``osteotomy`` impossible (a disc procedure inside it)."""
    kind = PROCEDURE_TYPES.get(osteotomy.type)
    if kind is None or kind.site != "disc":
        return None
    disc = parse_disc(osteotomy.level)
    if disc is None:
        return None
    upper, lower = (LEVEL_INDEX[v] for v in disc)
    for fusion in existing_fusions(plan):
        first, last = sorted(LEVEL_INDEX.get(v or "", -1) for v in (fusion.from_level, fusion.to_level))
        if first >= 0 and first <= upper and lower <= last:
            return fusion
    return None


def fusion_message(osteotomy: Osteotomy, fusion: Procedure) -> str:
    return (
        f"{osteotomy.type} at {osteotomy.level} is inside {describe_fusion(fusion)}: no mobile disc "
        "or facet is left there (contract.md §4.1); a PSO, EPSO or VCR through the fusion mass is "
        "possible"
    )
