"""The procedure catalogue (contract.md §4.8): strict options with field-naming messages for known
types, unknown types kept and warned about naming the closest key, reading order everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.errors import PlanValidationError
from alignment_planner.files.plan_reader import parse_plan, read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.output.table import format_analysis
from alignment_planner.procedures.catalogue import CATALOGUE, closest_key, describe
from tests.core.helpers import analyze_doc, plan_doc
from tests.core.test_tdr import LANDMARKS

EVERY_ENTRY: list[dict[str, Any]] = [
    {"type": "fusion", "from": "L3", "to": "S1", "status": "planned",
     "instrumented": ["L3", "L4", "L5", "S1"], "interbody": ["L4-L5", "L5-S1"]},
    {"type": "decompression", "from": "L3", "to": "L5", "approach": "open", "side": "bilateral"},
    {"type": "laminectomy", "level": "L4", "approach": "microscopic"},
    {"type": "microdiscectomy", "level": "L4-L5", "approach": "microscopic", "side": "left"},
    {"type": "discectomy", "level": "L5-S1", "approach": "endoscopic", "side": "right"},
    {"type": "foraminotomy", "level": "L3-L4", "approach": "percutaneous", "side": "bilateral"},
    {"type": "vertebroplasty", "level": "L3"},
    {"type": "spinoplasty", "level": "L4", "action": "partial_resection", "height_mm": 8.5},
]


def _doc(*procedures: dict[str, Any]) -> dict[str, Any]:
    return plan_doc(LANDMARKS, facing="right", image={"pixel_spacing_mm": 1.0},
                    procedures=list(procedures))


def test_every_entry_declares_what_the_contract_asks() -> None:
    assert set(CATALOGUE) == {"fusion", "decompression", "laminectomy", "microdiscectomy",
                              "discectomy", "foraminotomy", "vertebroplasty", "spinoplasty"}
    for entry in CATALOGUE.values():
        assert entry.targets and entry.reference and entry.glyph and entry.name
        assert entry.changes_alignment is False
    assert CATALOGUE["spinoplasty"].targets == ("spinous_process",)
    assert {o.key for o in CATALOGUE["fusion"].options} == {"status", "instrumented", "interbody"}
    assert [o.choices for o in CATALOGUE["foraminotomy"].options] == [
        ("open", "microscopic", "endoscopic", "percutaneous"), ("left", "right", "bilateral")]


def test_every_entry_round_trips_with_its_options(tmp_path: Path) -> None:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(_doc(*EVERY_ENTRY)))
    write_plan(read_plan(source), tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text())["procedures"] == EVERY_ENTRY
    assert not [w for w in analyze_doc(_doc(*EVERY_ENTRY)).warnings if "procedures" in w]


@pytest.mark.parametrize(
    ("procedure", "field", "words"),
    [
        ({"type": "decompression", "level": "L4-L5", "approach": "laser"}, "approach", "open, microscopic"),
        ({"type": "foraminotomy", "level": "L4-L5", "side": "both"}, "side", "left, right, bilateral"),
        ({"type": "spinoplasty", "level": "L4", "action": "remove"}, "action", "reshape, partial_resection"),
        ({"type": "spinoplasty", "level": "L4", "height_mm": -3}, "height_mm", "greater than 0"),
        ({"type": "spinoplasty", "level": "L4", "height_mm": "8"}, "height_mm", "number of mm"),
        ({"type": "spinoplasty", "level": "L4-L5"}, "level", "spinous process"),
        ({"type": "microdiscectomy", "level": "L4"}, "level", "a disc"),
        ({"type": "vertebroplasty"}, "level", "missing"),
        ({"type": "vertebroplasty", "from": "L2", "to": "L3"}, "from", "one level"),
        ({"type": "fusion", "from": "L3"}, "to", "missing"),
        ({"type": "fusion", "from": "L3-L4", "to": "S1"}, "from", "is a disc"),
        ({"type": "fusion", "from": "L3", "to": "S1", "status": "old"}, "status", "planned, existing"),
        ({"type": "fusion", "from": "L3", "to": "L5", "instrumented": ["L3", "S1"]},
         "instrumented[1]", "outside the fusion L3–L5"),
        ({"type": "fusion", "from": "L3", "to": "L5", "instrumented": "L3"}, "instrumented", "list"),
        ({"type": "fusion", "from": "L3", "to": "L5", "interbody": ["L5-S1"]},
         "interbody[0]", "outside the fusion"),
        ({"type": "fusion", "from": "L3", "to": "L5", "interbody": ["L4"]}, "interbody", "not a disc"),
    ],
)
def test_known_types_are_validated_naming_the_field(procedure: dict[str, Any], field: str, words: str) -> None:
    doc = _doc({"type": "fusion", "from": "T10", "to": "S1"}, procedure)
    with pytest.raises(PlanValidationError) as caught:
        parse_plan(json.dumps(doc), source="p.json")
    message = str(caught.value)
    assert f"procedures[1].{field}" in message and words in message and "p.json" in message


@pytest.mark.parametrize(
    ("written", "closest"),
    [("decompresion", "decompression"), ("Microdiscetomy", "microdiscectomy"),
     ("laminotomy", "laminectomy"), ("spinoplasy", "spinoplasty"), ("kyphoplasty", "KYPHOPLASTY")],
)
def test_unknown_types_are_kept_and_warned_naming_the_closest(written: str, closest: str, tmp_path: Path) -> None:
    doc = _doc({"type": written, "level": "L4-L5", "surgeon_note": "as dictated"})
    source = tmp_path / "p.json"
    source.write_text(json.dumps(doc))
    write_plan(read_plan(source), tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text())["procedures"] == doc["procedures"]
    warning = next(w for w in analyze_doc(doc).warnings if w.startswith("procedures[0]"))
    assert f'unknown procedure type "{written}"' in warning and f'"{closest}"' in warning
    assert closest_key(written) == closest


def test_old_free_text_plans_still_open() -> None:
    doc = _doc({"type": "Posterior instrumented fusion + TLIF", "from": "L4", "to": "L5"},
               {"type": "Decompression", "level": "L4-L5"}, {"type": "PLIF"})
    plan = parse_plan(json.dumps(doc))
    assert [p.type for p in plan.procedures] == ["Posterior instrumented fusion + TLIF",
                                                  "Decompression", "PLIF"]
    warnings = analyze_doc(doc).warnings
    assert any('"Decompression" read as "decompression"' in w for w in warnings)


def test_procedures_are_listed_cranial_to_caudal_in_the_table() -> None:
    doc = _doc({"type": "discectomy", "level": "L5-S1"}, {"type": "fusion", "from": "L4", "to": "S1"},
               {"type": "spinoplasty", "level": "L3", "action": "reshape"},
               {"type": "laminectomy", "level": "L4"})
    from alignment_planner.files.plan_reader import plan_from_dict

    text = format_analysis("p", analyze_doc(doc), plan_from_dict(doc))
    lines = [line for line in text.splitlines() if line.startswith("procedure:")]
    assert lines == [
        "procedure: spinoplasty L3 (reshape, no alignment effect)",
        "procedure: fusion L4–S1",
        "procedure: laminectomy L4",
        "procedure: discectomy L5-S1",
    ]


def test_spinoplasty_height_says_when_the_film_is_uncalibrated() -> None:
    from alignment_planner.plan.model import Procedure

    spinoplasty = Procedure("spinoplasty", "L4", extra={"action": "partial_resection", "height_mm": 6})
    assert describe(spinoplasty) == (
        "spinoplasty L4 (partial resection, height removed ≈ 6 mm, no alignment effect)")
    assert "(uncalibrated film)" in describe(spinoplasty, calibrated=False)


def test_anonymising_keeps_catalogue_options_and_drops_free_text_types() -> None:
    from alignment_planner.files.anonymise import anonymised_plan
    from alignment_planner.files.plan_reader import plan_from_dict

    doc = _doc(EVERY_ENTRY[3] | {"remark": "Dr Who's list"}, {"type": "fusion per Dr Smith", "level": "L4"},
               {"type": "PLIF", "level": "L4-L5"})
    plan = anonymised_plan(plan_from_dict(doc), None, None)
    assert plan.procedures[0].extra == {"approach": "microscopic", "side": "left"}
    assert [p.type for p in plan.procedures] == ["microdiscectomy", "other", "PLIF"]
