"""Tests that kill survivors of ``bash tools/mutation.sh procedures`` in the procedure catalogue
(issue 15 §7; contract.md §4.8): the lines a surgeon reads in the table, the PDF and the GUI list
(``describe``), the warnings about types outside the catalogue, the option checks of the plan
reader, and the cranial-to-caudal reading order. Every expected text and position is written out
by hand from the catalogue's definitions (levels C2 = 0 … L4 = 21 … S1 = 23, contract.md §2)."""

from __future__ import annotations

import pytest

from alignment_planner.plan.model import Osteotomy, Procedure
from alignment_planner.procedures.catalogue import (
    CATALOGUE,
    closest_key,
    describe,
    entry_for,
    osteotomy_reading_order,
    outside_span,
    reading_order,
    reading_position,
    unknown_type_warning,
    where_text,
)

HEIGHT = CATALOGUE["spinoplasty"].options[1]
INSTRUMENTED = CATALOGUE["fusion"].options[1]
INTERBODY = CATALOGUE["fusion"].options[2]


# --- Option.problem: what the plan reader refuses, in the words it prints -----------------------

@pytest.mark.parametrize("height", [0, 0.0, -3, 50.01, 51, True, "8"])
def test_a_spinoplasty_height_lies_in_the_half_open_interval_0_to_50_mm(height: object) -> None:
    """docs/clinical-additions.md §3: a height removed is more than nothing and at most 50 mm."""
    assert HEIGHT.problem(height) == "expected a number of mm greater than 0 and at most 50"


@pytest.mark.parametrize("height", [50, 50.0, 0.5, 8])
def test_a_spinoplasty_height_of_exactly_50_mm_is_allowed(height: object) -> None:
    assert HEIGHT.problem(height) is None


def test_a_fusion_status_is_planned_or_existing() -> None:
    """contract.md §4.1: "status" is "planned" (part of this plan) or "existing"."""
    status = CATALOGUE["fusion"].options[0]
    assert status.problem("old") == "expected one of planned, existing"
    assert status.problem("existing") is None


def test_instrumented_levels_must_be_a_list_of_vertebrae() -> None:
    assert INSTRUMENTED.problem("L3") == "expected a list of vertebrae"
    assert INSTRUMENTED.problem(["L3", 4]) == "expected a list of vertebrae"
    assert INSTRUMENTED.problem(["L3", "L6"]) == '"L6" is not a vertebra (C2…S1)'
    assert INSTRUMENTED.problem(["L4-L5"]) == '"L4-L5" is not a vertebra (C2…S1)'
    assert INSTRUMENTED.problem(["L3", "L4", "S1"]) is None


def test_interbody_discs_must_be_a_list_of_adjacent_level_pairs() -> None:
    assert INTERBODY.problem("L4-L5") == "expected a list of discs"
    assert INTERBODY.problem(["L4"]) == '"L4" is not a disc (UPPER-LOWER of adjacent levels, e.g. L4-L5)'
    assert INTERBODY.problem(["L3-L5"]) == '"L3-L5" is not a disc (UPPER-LOWER of adjacent levels, e.g. L4-L5)'
    assert INTERBODY.problem(["L4-L5", "L5-S1"]) is None


def test_an_entry_finds_its_option_by_key() -> None:
    spinoplasty = CATALOGUE["spinoplasty"]
    height = spinoplasty.option("height_mm")
    assert height is not None and (height.key, height.unit, height.limits) == ("height_mm", "mm", (0.0, 50.0))
    action = spinoplasty.option("action")
    assert action is not None and action.choices == ("reshape", "partial_resection")
    assert spinoplasty.option("side") is None  # a spinoplasty has no side


# --- outside_span: a fusion's instrumented levels and interbody discs lie inside it ---------------

def test_an_instrumented_level_outside_the_fusion_is_named_with_its_index() -> None:
    assert outside_span(INSTRUMENTED, ["L3", "L4", "S1"], "L3", "L5") == (2, "S1 is outside the fusion L3–L5")
    assert outside_span(INSTRUMENTED, ["L3", "L4", "L5"], "L5", "L3") is None  # ends in either order
    # a disc lies inside when both its vertebrae do: L5-S1 reaches below L5
    assert outside_span(INTERBODY, ["L4-L5", "L5-S1"], "L3", "L5") == (1, "L5-S1 is outside the fusion L3–L5")


@pytest.mark.parametrize(("first", "last"), [("L3", None), (None, "L5"), ("L3", "sacrum")])
def test_a_span_without_two_known_ends_bounds_nothing(first: str | None, last: str | None) -> None:
    assert outside_span(INSTRUMENTED, ["L3", "S1"], first, last) is None


# --- entry_for, closest_key, unknown_type_warning ----------------------------------------------

def test_a_hand_written_capitalised_type_finds_its_entry() -> None:
    assert entry_for("fusion") is CATALOGUE["fusion"]
    assert entry_for(" Fusion ") is CATALOGUE["fusion"]
    assert entry_for("PLIF") is None


def test_a_name_far_from_every_key_still_gets_the_nearest_one() -> None:
    """"posterior fusion" holds all six letters of "fusion" and no long run of any other key:
    similarity 2·6/(16 + 6) = 0.55, below difflib's default cutoff 0.6, yet the nearest key."""
    assert closest_key("posterior fusion") == "fusion"
    assert unknown_type_warning(2, Procedure("posterior fusion", from_level="L4", to_level="S1")) == (
        'procedures[2]: unknown procedure type "posterior fusion": kept as written but not checked '
        'or drawn; did you mean "fusion"?'
    )


def test_the_warning_texts_for_types_outside_the_catalogue() -> None:
    assert unknown_type_warning(0, Procedure("fusion", from_level="L2", to_level="S1")) is None
    assert unknown_type_warning(3, Procedure("Fusion", from_level="L2", to_level="S1")) == (
        'procedures[3]: "Fusion" read as "fusion" (catalogue keys are lower-case)'
    )
    assert unknown_type_warning(1, Procedure("decompresion", level="L4-L5")) == (
        'procedures[1]: unknown procedure type "decompresion": kept as written but not checked or '
        'drawn; did you mean "decompression"?'
    )


def test_a_geometric_type_written_as_a_procedure_is_sent_to_the_osteotomies() -> None:
    """KYPHOPLASTY changes alignment: it is an osteotomy with an angle (contract.md §2)."""
    assert unknown_type_warning(0, Procedure("kyphoplasty", level="L1")) == (
        'procedures[0]: unknown procedure type "kyphoplasty": kept as written but not checked or '
        'drawn; the closest known procedure is "KYPHOPLASTY", a geometric one that belongs in '
        '"osteotomies" with an angle_deg'
    )


# --- where_text and describe: the line a surgeon reads ------------------------------------------

@pytest.mark.parametrize(("first", "last"), [("L5", "T12"), ("T12", "L5")])
def test_a_span_is_written_cranial_end_first(first: str, last: str) -> None:
    """T12 is cranial to L5 (T12 = 17, L5 = 22), not after it as the alphabet would have it."""
    assert describe(Procedure("fusion", from_level=first, to_level=last)) == "fusion T12–L5"


@pytest.mark.parametrize(("first", "last", "span"), [
    ("L3-L4", "L5", "L3-L4–L5"), ("L5", "L3-L4", "L3-L4–L5"), ("L5-S1", "L3-L4", "L3-L4–L5-S1"),
])
def test_a_span_with_a_disc_end_is_written_cranial_end_first(first: str, last: str, span: str) -> None:
    """A decompression may run from a disc (the reader accepts "from": "L3-L4"); the L3-L4 disc
    lies between L3 and L4, so cranial to L5 (this was printed "L5–L3-L4")."""
    decompression = Procedure("decompression", from_level=first, to_level=last, extra={"approach": "open"})
    assert where_text(decompression) == span
    assert describe(decompression) == f"decompression {span} (open)"


def test_a_procedure_with_no_place_or_half_a_span_names_none() -> None:
    """A type outside the catalogue may come with no level or with only "from": the line names
    the type and never prints "None"."""
    assert describe(Procedure("PLIF")) == "PLIF (not in the catalogue)"
    assert describe(Procedure("PLIF", from_level="L4")) == "PLIF (not in the catalogue)"
    assert where_text(Procedure("PLIF", to_level="L4")) == ""


def test_every_option_given_is_listed_in_the_catalogue_order() -> None:
    fusion = Procedure("fusion", from_level="S1", to_level="L3", extra={
        "status": "planned", "instrumented": ["L3", "L4", "L5", "S1"], "interbody": ["L4-L5", "L5-S1"]})
    assert describe(fusion) == (
        "fusion L3–S1 (planned, instrumented levels L3, L4, L5, S1, interbody discs L4-L5, L5-S1)"
    )
    existing = Procedure("fusion", from_level="L2", to_level="S1", extra={"status": "existing", "interbody": []})
    assert describe(existing) == "fusion L2–S1 (existing)"
    microdiscectomy = Procedure("microdiscectomy", level="L4-L5", extra={"approach": "endoscopic", "side": "left"})
    assert describe(microdiscectomy) == "microdiscectomy L4-L5 (endoscopic, left)"


def test_a_spinoplasty_height_is_listed_without_an_action_and_flagged_on_an_uncalibrated_film() -> None:
    """A height in mm on a film without pixel spacing is only as good as the assumed scale."""
    height_only = Procedure("spinoplasty", level="L4", extra={"height_mm": 6})
    assert describe(height_only) == "spinoplasty L4 (height removed ≈ 6 mm, no alignment effect)"
    both = Procedure("spinoplasty", level="L4", extra={"action": "partial_resection", "height_mm": 6.5})
    assert describe(both, calibrated=False) == (
        "spinoplasty L4 (partial resection, height removed ≈ 6.5 mm (uncalibrated film), no alignment effect)"
    )


# --- reading order: cranial to caudal, unknown places last ---------------------------------------

@pytest.mark.parametrize(("where", "position"), [
    ("C2", 0.0), ("L4", 21.0), ("S1", 23.0), ("L4-L5", 21.5), ("L5-S1", 22.5), ("C2-C3", 0.5),
])
def test_a_disc_reads_halfway_between_its_two_vertebrae(where: str, position: float) -> None:
    assert reading_position(where) == position


def test_places_outside_the_spine_read_after_s1_in_file_order() -> None:
    """No level (a free-text procedure) and a name that is not a level are both unknown: listed
    after S1 (23), in the order the file gives them."""
    at_s1 = Procedure("laminectomy", level="S1")
    nowhere = Procedure("PLIF")
    unreadable = Procedure("TLIF", level="sacrum")
    assert reading_position(None) > reading_position("S1") < reading_position("sacrum")
    assert reading_order((nowhere, unreadable, at_s1)) == [2, 0, 1]
    assert reading_order((unreadable, nowhere, at_s1)) == [2, 0, 1]
    assert reading_order((unreadable, at_s1)) == [1, 0]


def test_osteotomies_are_listed_cranial_to_caudal() -> None:
    """SPO L1-L2 (18.5), PSO L3 (20), PSO L4 (21), SPO L4-L5 (21.5): the table and PDF list them
    from the top, though they are applied from the bottom."""
    cuts = (Osteotomy("PSO", "L3", 30.0), Osteotomy("SPO", "L4-L5", 10.0),
            Osteotomy("SPO", "L1-L2", 10.0), Osteotomy("PSO", "L4", 30.0))
    assert osteotomy_reading_order(cuts) == [2, 0, 3, 1]
    assert osteotomy_reading_order(()) == []
