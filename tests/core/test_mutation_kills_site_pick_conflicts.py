"""Tests that kill survivors of ``bash tools/mutation.sh procedures`` (issue 15 §7) in the site
picker, the combination refusals, existing fusions, the applicability check, the landmarks a cut
needs and the procedure registry: which level a click on the film means (hand geometry), which
plans are refused and the exact sentence the surgeon reads (contract.md §4.1,
docs/clinical-additions.md §1–2), on plans written out by hand."""

from __future__ import annotations

import pytest

from alignment_planner.anatomy.landmarks import Landmarks, Vertebra, make_landmarks
from alignment_planner.anatomy.skeleton import NotMeasurable
from alignment_planner.errors import ProcedureError
from alignment_planner.geometry.primitives import Point
from alignment_planner.measurements.registry import BodyCentre, Corner
from alignment_planner.plan.model import Osteotomy, Plan, Procedure
from alignment_planner.procedures.check import check_osteotomy
from alignment_planner.procedures.conflicts import osteotomy_conflict, plan_conflicts
from alignment_planner.procedures.fusion import blocking_fusion, fusion_message
from alignment_planner.procedures.points_needed import requirements_for
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.site_pick import level_at, nearest_site

# Two 40 × 30 px bodies, 10 px of disc between them (image pixels, y down):
#   L3 corners y 100 (superior) and 130 (inferior): centre (100, 115)
#   L4 corners y 140 and 170: centre (100, 155)
#   the L3-L4 disc: mean of L3's inferior and L4's superior corners = (100, 135)


def _body(top: float, *, center: Point | None = None) -> Vertebra:
    return Vertebra(ant_sup=(120.0, top), post_sup=(80.0, top), post_inf=(80.0, top + 30.0),
                    ant_inf=(120.0, top + 30.0), center=center)


L3_L4 = make_landmarks({"L3": _body(100.0), "L4": _body(140.0)})
NOTED_ONLY = Vertebra(extra={"note": "not visible"})
"""A level the file names with a note but no point (the reader keeps it)."""


# --- site_pick: the level a click means ---------------------------------------------------------

def test_a_disc_is_picked_at_the_mean_of_the_four_endplate_corners_facing_it() -> None:
    """Only L3 and L4 are placed (C2 … L2 are not: the scan goes on past them)."""
    assert level_at(L3_L4, (100.0, 135.0), "disc", limit_px=0.5) == "L3-L4"
    assert nearest_site(L3_L4, (100.0, 135.0), ("disc",), limit_px=0.5) == "L3-L4"
    assert level_at(L3_L4, (100.0, 115.0), "vertebra", limit_px=0.5) == "L3"


def test_an_explicit_body_centre_is_where_its_vertebra_is_picked() -> None:
    """contract.md §2: an explicit centre overrides the corners' mean."""
    landmarks = make_landmarks({"L3": _body(100.0, center=(104.0, 112.0)), "L4": _body(140.0)})
    assert level_at(landmarks, (104.0, 112.0), "vertebra", limit_px=0.5) == "L3"
    assert level_at(landmarks, (100.0, 115.0), "vertebra", limit_px=4.0) is None  # 5 px away


def test_a_disc_between_two_bodies_given_only_by_their_centres_is_midway() -> None:
    landmarks = make_landmarks({"L3": Vertebra(center=(100.0, 115.0)), "L4": Vertebra(center=(100.0, 155.0))})
    assert level_at(landmarks, (100.0, 135.0), "disc", limit_px=0.5) == "L3-L4"
    # one body with its inferior corners, the other by its centre: (80,130), (120,130), (100,155)
    mixed = make_landmarks({"L3": _body(100.0), "L4": Vertebra(center=(100.0, 155.0))})
    assert level_at(mixed, (100.0, 415.0 / 3.0), "disc", limit_px=0.01) == "L3-L4"
    mixed_up = make_landmarks({"L3": Vertebra(center=(100.0, 115.0)), "L4": _body(140.0)})
    assert level_at(mixed_up, (100.0, 395.0 / 3.0), "disc", limit_px=0.01) == "L3-L4"


@pytest.mark.parametrize("which", ["L3", "L4"])
def test_no_disc_is_offered_beside_a_level_with_no_point(which: str) -> None:
    vertebrae = {"L3": _body(100.0), "L4": _body(140.0)} | {which: NOTED_ONLY}
    landmarks = make_landmarks(vertebrae)
    assert level_at(landmarks, (100.0, 135.0), "disc") is None
    assert nearest_site(landmarks, (100.0, 135.0), ("disc", "vertebra")) == ({"L3", "L4"} - {which}).pop()


def test_a_click_exactly_midway_between_two_bodies_picks_the_cranial_one_in_both_pickers() -> None:
    """(100, 135) is 20 px from both centres: the osteotomy tool and the procedure tool agree."""
    assert level_at(L3_L4, (100.0, 135.0), "vertebra") == "L3"
    assert nearest_site(L3_L4, (100.0, 135.0), ("vertebra",)) == "L3"


def test_a_click_exactly_at_the_pick_radius_still_picks() -> None:
    """(100, 145) is 10 px from L4's centre (100, 155)."""
    assert level_at(L3_L4, (100.0, 145.0), "vertebra", limit_px=10.0) == "L4"
    assert level_at(L3_L4, (100.0, 145.0), "vertebra", limit_px=9.99) is None
    assert nearest_site(L3_L4, (100.0, 145.0), ("vertebra",), limit_px=10.0) == "L4"
    assert nearest_site(L3_L4, (100.0, 145.0), ("vertebra",), limit_px=9.99) is None


def test_the_procedure_picker_offers_only_the_kinds_of_site_asked_for() -> None:
    """A decompression may be at a disc or a vertebra; a discectomy only at a disc."""
    # (100, 150): L4's centre 5 px away, the disc 15, L3's centre 35
    assert nearest_site(L3_L4, (100.0, 150.0), ("vertebra",)) == "L4"
    assert nearest_site(L3_L4, (100.0, 150.0), ("vertebra", "disc")) == "L4"
    assert nearest_site(L3_L4, (100.0, 150.0), ("disc",)) == "L3-L4"
    # (100, 137): the disc 2 px away, L4 18, L3 22
    assert nearest_site(L3_L4, (100.0, 137.0), ("disc", "vertebra")) == "L3-L4"
    assert nearest_site(L3_L4, (100.0, 150.0), ()) is None
    assert nearest_site(Landmarks(), (100.0, 150.0), ("disc", "vertebra")) is None


# --- conflicts: what cannot be combined, and the sentence that says so ---------------------------

TDR_L4_L5 = Osteotomy("TDR", "L4-L5", 5.0)


def _plan(*cuts: Osteotomy, procedures: tuple[Procedure, ...] = ()) -> Plan:
    return Plan(osteotomies=cuts, procedures=procedures)


def test_a_prosthesis_inside_an_existing_fusion_is_refused() -> None:
    existing = Procedure("fusion", from_level="L2", to_level="S1", extra={"status": "existing"})
    assert osteotomy_conflict(_plan(TDR_L4_L5, procedures=(existing,)), TDR_L4_L5) == (
        "TDR at L4-L5 is inside the existing fusion L2–S1: no mobile disc is left there (contract.md §4.1)"
    )


def test_a_prosthesis_inside_a_planned_fusion_is_refused_even_after_other_procedures() -> None:
    """The fusion is found whatever comes before it in the list (here a decompression)."""
    procedures = (Procedure("decompression", level="L4-L5"), Procedure("fusion", from_level="S1", to_level="L3"))
    assert plan_conflicts(_plan(TDR_L4_L5, procedures=procedures)) == [
        "TDR at L4-L5 is inside the planned fusion L3–S1: a disc prosthesis keeps the segment moving, "
        "the fusion stops it; plan an interbody cage, or end the fusion above or below"
    ]


@pytest.mark.parametrize("other", [
    Procedure("decompression", from_level="L3", to_level="L5"),  # a span, but it does not fuse
    Procedure("PLIF", from_level="L3", to_level="L5"),  # outside the catalogue: not known to fuse
    Procedure("fusion", from_level="L5", to_level="S1"),  # below the disc
])
def test_only_a_fusion_around_the_disc_stops_a_prosthesis(other: Procedure) -> None:
    assert osteotomy_conflict(_plan(TDR_L4_L5, procedures=(other,)), TDR_L4_L5) is None


def test_a_prosthesis_needs_its_disc_and_both_endplates() -> None:
    """docs/clinical-additions.md §1: intact endplates of a mobile disc."""
    spo = Osteotomy("SPO", "L4-L5", 10.0)
    assert osteotomy_conflict(_plan(TDR_L4_L5, spo), TDR_L4_L5) == (
        "TDR at L4-L5: SPO is also planned at L4-L5; a prosthesis needs that disc"
    )
    pso = Osteotomy("PSO", "L5", 30.0)
    assert osteotomy_conflict(_plan(pso, TDR_L4_L5), TDR_L4_L5) == (
        "TDR at L4-L5: the PSO at L5 cuts through the endplate the prosthesis would sit on"
    )


def test_a_resection_away_from_the_prosthesis_combines() -> None:
    """A PSO at L2 leaves the L4-L5 endplates intact."""
    plan = _plan(Osteotomy("PSO", "L2", 30.0), TDR_L4_L5)
    assert plan_conflicts(plan) == []


def test_cement_and_resection_of_one_body_exclude_each_other() -> None:
    """docs/clinical-additions.md §2: a PSO or VCR removes the body cement would fill."""
    kyphoplasty = Osteotomy("KYPHOPLASTY", "L1", 8.0)
    plan = _plan(kyphoplasty, Osteotomy("PSO", "L1", 30.0), Osteotomy("VCR", "L3", 40.0),
                 procedures=(Procedure("vertebroplasty", level="L3"),))
    assert plan_conflicts(plan) == [
        "KYPHOPLASTY at L1: a PSO is planned at L1, which resects that body; cement augmentation "
        "and resection of one vertebra exclude each other",
        "vertebroplasty at L3: a VCR is planned at L3, which resects that body; cement augmentation "
        "and resection of one vertebra exclude each other",
    ]


def test_a_lone_augmentation_and_a_decompression_at_a_resected_level_combine() -> None:
    """A laminectomy at the PSO's level is part of the usual PSO; a kyphoplasty alone conflicts
    with nothing (it is not a resection of its own body)."""
    assert plan_conflicts(_plan(Osteotomy("KYPHOPLASTY", "L1", 8.0))) == []
    plan = _plan(Osteotomy("PSO", "L3", 30.0),
                 procedures=(Procedure("laminectomy", level="L3"), Procedure("PLIF", level="L3")))
    assert plan_conflicts(plan) == []


# --- fusion: an existing fusion blocks disc cuts inside it (contract.md §4.1) --------------------

def test_an_existing_fusion_from_c2_blocks_the_c2_c3_disc() -> None:
    """C2 is level 0: a fusion starting there is a fusion, not a missing end."""
    fusion = Procedure("fusion", from_level="C2", to_level="C5", extra={"status": "existing"})
    spo = Osteotomy("SPO", "C2-C3", 10.0)
    assert blocking_fusion(_plan(spo, procedures=(fusion,)), spo) is fusion
    assert fusion_message(spo, fusion) == (
        "SPO at C2-C3 is inside the existing fusion C2–C5: no mobile disc or facet is left there "
        "(contract.md §4.1); a PSO, EPSO or VCR through the fusion mass is possible"
    )


def test_an_existing_fusion_written_caudal_end_first_is_named_cranial_end_first() -> None:
    """The reader and the GUI accept "from": "S1", "to": "L2"; every message says L2–S1."""
    fusion = Procedure("fusion", from_level="S1", to_level="L2", extra={"status": "existing"})
    spo = Osteotomy("SPO", "L4-L5", 10.0)
    assert blocking_fusion(_plan(spo, procedures=(fusion,)), spo) is fusion
    assert "inside the existing fusion L2–S1: no mobile disc or facet" in fusion_message(spo, fusion)
    assert osteotomy_conflict(_plan(TDR_L4_L5, procedures=(fusion,)), TDR_L4_L5) == (
        "TDR at L4-L5 is inside the existing fusion L2–S1: no mobile disc is left there (contract.md §4.1)"
    )


@pytest.mark.parametrize("disc", ["T4-T5", "L4-L5", "C2-C3"])
def test_a_fusion_with_an_end_that_names_no_vertebra_blocks_nothing(disc: str) -> None:
    """A plan built in code may hold an end the reader would refuse: it bounds no disc."""
    fusion = Procedure("fusion", from_level="L2", to_level="sacrum", extra={"status": "existing"})
    spo = Osteotomy("SPO", disc, 10.0)
    assert blocking_fusion(_plan(spo, procedures=(fusion,)), spo) is None


def test_a_type_outside_the_registry_is_not_blocked() -> None:
    fusion = Procedure("fusion", from_level="L2", to_level="S1", extra={"status": "existing"})
    cut = Osteotomy("XYZ", "L4-L5", 10.0)
    assert blocking_fusion(_plan(cut, procedures=(fusion,)), cut) is None


# --- check_osteotomy: the refusal texts ---------------------------------------------------------

def _refusal(plan: Plan, osteotomy: Osteotomy) -> str:
    with pytest.raises(ProcedureError) as error:
        check_osteotomy(plan, osteotomy)
    return str(error.value)


def test_a_disc_procedure_at_a_vertebra_or_a_bad_disc_is_refused_saying_how_to_write_a_disc() -> None:
    plan = Plan(landmarks=L3_L4)
    assert _refusal(plan, Osteotomy("SPO", "L4", 10.0)) == (
        'SPO is done at a disc: "L4" is not a disc level; write it as UPPER-LOWER, e.g. "L4-L5"'
    )
    assert _refusal(plan, Osteotomy("SPO", "L4-L6", 10.0)) == (
        'SPO is done at a disc: "L4-L6": unknown level "L6" (levels are C2…C7, T1…T12, L1…L5, S1 '
        "(case-sensitive))"
    )


def test_a_vertebra_procedure_at_a_disc_is_refused_listing_the_levels() -> None:
    assert _refusal(Plan(landmarks=L3_L4), Osteotomy("PSO", "L3-L4", 30.0)) == (
        "PSO is done at a vertebra: unknown level 'L3-L4' (levels are C2…C7, T1…T12, L1…L5, S1 "
        "(case-sensitive))"
    )


def test_a_cut_with_nothing_placed_above_it_is_refused() -> None:
    """A PSO at L3 moves C2 … L2; only L3 and L4 are placed, so nothing would move."""
    assert _refusal(Plan(landmarks=L3_L4), Osteotomy("PSO", "L3", 30.0)) == (
        "PSO at L3: nothing is placed cranial to the cut, so nothing would move"
    )
    check_osteotomy(Plan(landmarks=L3_L4), Osteotomy("PSO", "L4", 30.0))  # L3 moves


# --- points_needed and the registry ------------------------------------------------------------

def test_a_cut_through_a_vertebra_needs_its_four_corners() -> None:
    """The wedge depth is read from the posterior wall, the hinge from the anterior wall."""
    needed = requirements_for("PSO", "L3")
    assert set(needed) == {Corner("L3", c) for c in ("ant_sup", "post_sup", "post_inf", "ant_inf")}
    assert len(needed) == 4


def test_a_cut_at_a_disc_needs_the_endplates_facing_it_and_the_body_above() -> None:
    needed = requirements_for("TDR", "L4-L5")
    assert set(needed) == {Corner("L4", "post_inf"), Corner("L4", "ant_inf"), Corner("L5", "post_sup"),
                           Corner("L5", "ant_sup"), BodyCentre("L4")}
    assert len(needed) == 5


def test_a_disc_type_at_a_vertebra_is_a_programming_error_naming_the_level() -> None:
    with pytest.raises(NotMeasurable) as error:
        requirements_for("SPO", "L4")
    assert str(error.value) == '"L4" is not a disc level'


@pytest.mark.parametrize(("kind", "where", "position"), [
    ("SPO", "L3-L4", 20.5), ("TDR", "L5-S1", 22.5), ("PSO", "L3", 20.0), ("PSO", "L4", 21.0),
])
def test_a_disc_cut_lies_between_its_two_vertebrae(kind: str, where: str, position: float) -> None:
    """Cuts are applied caudal first: an SPO at L3-L4 (20.5) after a PSO at L4 (21), before a
    PSO at L3 (20)."""
    assert PROCEDURE_TYPES[kind].cut_position(where) == position
