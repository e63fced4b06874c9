"""Plan file v1 (contract.md §2): validation messages, round-trip, atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.errors import PlanFileError, PlanValidationError, UnsupportedPlanVersion
from alignment_planner.files.plan_reader import parse_plan, read_plan
from alignment_planner.files.plan_writer import plan_to_dict, write_plan
from tests.core.helpers import plan_doc

FULL: dict[str, Any] = {
    "format": "alignment-planner-plan",
    "version": 1,
    "image": {
        "path": "xray.dcm",
        "sha256": "a" * 64,
        "pixel_spacing_mm": [0.2, 0.25],
        "calibration": {"source": "dicom-pixel-spacing", "detail": "GEOMETRY", "future": 1},
        "window": {"center": 2000},
    },
    "patient": {"id": "P1", "name": "Doe^Jane", "age": 67, "sex": "F", "mrn_issuer": "X"},
    "facing": "right",
    "landmarks": {
        "femoral_heads": [[1210.5, 4388.0], {"center": [1236.0, 4402.5], "radius": 120.0}],
        "S1": {"post_sup": [1010.0, 4120.0], "ant_sup": [1190.0, 4171.0]},
        "L5": {"ant_sup": [1188, 3968], "post_sup": [1010, 3960], "post_inf": [1004, 4100],
               "ant_inf": [1180, 4125], "confidence": 0.9},
        "C7": {"center": [1100.0, 1500.0]},
        "chin": [900.0, 700.0],
    },
    "osteotomies": [
        {"type": "PSO", "level": "L3", "angle_deg": 30.0},
        {"type": "SPO", "level": "T11-T12", "angle_deg": 8.0, "hinge": [1050.0, 2950.0], "note": "x"},
    ],
    "procedures": [
        {"type": "fusion", "from": "T10", "to": "S1", "rod": "CoCr 5.5"},
        {"type": "decompression", "level": "L4-L5"},
    ],
    "compensation": {"model": "pt_target", "pt_deg": 20},
    "notes": "free text",
    "reviewed_by": {"name": "Dr X"},
}


def _roundtrip(tmp_path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(doc))
    target = tmp_path / "out.json"
    write_plan(read_plan(source), target)
    return json.loads(target.read_text())


def test_round_trip_keeps_everything_including_unknown_keys(tmp_path: Path) -> None:
    written = _roundtrip(tmp_path, FULL)
    assert written == json.loads(json.dumps(FULL).replace("[1188, 3968]", "[1188.0, 3968.0]")
                                 .replace("[1010, 3960]", "[1010.0, 3960.0]")
                                 .replace("[1004, 4100]", "[1004.0, 4100.0]")
                                 .replace("[1180, 4125]", "[1180.0, 4125.0]")
                                 .replace('"pt_deg": 20', '"pt_deg": 20.0'))


def test_written_file_is_pretty_printed_and_reads_back_equal(tmp_path: Path) -> None:
    plan = parse_plan(json.dumps(FULL))
    target = tmp_path / "plan.json"
    write_plan(plan, target)
    text = target.read_text()
    assert text.startswith("{\n  ")
    assert read_plan(target) == plan
    assert plan_to_dict(read_plan(target)) == plan_to_dict(plan)


def test_isotropic_spacing_is_written_as_written(tmp_path: Path) -> None:
    doc = plan_doc({}, image={"pixel_spacing_mm": 0.143})
    assert _roundtrip(tmp_path, doc)["image"]["pixel_spacing_mm"] == 0.143


def test_minimal_plan_is_valid() -> None:
    plan = parse_plan('{"format": "alignment-planner-plan", "version": 1, "landmarks": {}}')
    assert plan.image is None and plan.osteotomies == () and plan.calibration.spacing is None


def test_relative_image_path_resolves_against_the_plan_folder(tmp_path: Path) -> None:
    (tmp_path / "case").mkdir()
    path = tmp_path / "case" / "p.json"
    path.write_text(json.dumps(plan_doc({}, image={"path": "../images/x.dcm"})))
    plan = read_plan(path)
    assert plan.image is not None
    assert plan.image.resolve(path.parent) == tmp_path / "case" / "../images/x.dcm"
    absolute = parse_plan(json.dumps(plan_doc({}, image={"path": "/data/x.dcm"})))
    assert absolute.image is not None and absolute.image.resolve(path.parent) == Path("/data/x.dcm")


def test_future_version_is_refused() -> None:
    doc = plan_doc({}, version=2)
    with pytest.raises(UnsupportedPlanVersion) as info:
        parse_plan(json.dumps(doc), source="p.json")
    assert "version 2 is newer" in str(info.value) and "p.json" in str(info.value)


# (document change, field named in the message, words in the message)
BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"format": "something-else"}, "format", 'expected "alignment-planner-plan"'),
    ({"version": "1"}, "version", "whole number"),
    ({"version": 0}, "version", "expected 1"),
    ({"version": True}, "version", "whole number"),
    ({"landmarks": []}, "landmarks", "expected an object"),
    ({"landmarks": {"L3": {"ant_sup": "abc"}}}, "landmarks.L3.ant_sup",
     'expected two finite numbers [x, y], got "abc"'),
    ({"landmarks": {"L3": {"ant_sup": [1, 2, 3]}}}, "landmarks.L3.ant_sup", "two finite numbers"),
    ({"landmarks": {"L3": {"ant_sup": [1, None]}}}, "landmarks.L3.ant_sup", "two finite numbers"),
    ({"landmarks": {"L3": {"ant_sup": [True, 2]}}}, "landmarks.L3.ant_sup", "two finite numbers"),
    ({"landmarks": {"L3": []}}, "landmarks.L3", "expected an object"),
    ({"landmarks": {"L6": {}}}, "landmarks.L6", 'unknown level "L6"'),
    ({"landmarks": {"l5": {}}}, "landmarks.l5", 'unknown level "l5"'),
    ({"landmarks": {"femoral_heads": []}}, "landmarks.femoral_heads", "one or two"),
    ({"landmarks": {"femoral_heads": [[1, 2], [3, 4], [5, 6]]}}, "landmarks.femoral_heads", "one or two"),
    ({"landmarks": {"femoral_heads": [{"radius": 3}]}}, "landmarks.femoral_heads[0]", 'missing "center"'),
    ({"landmarks": {"femoral_heads": [{"center": [1, 2], "radius": -3}]}},
     "landmarks.femoral_heads[0].radius", "greater than 0"),
    ({"image": {"pixel_spacing_mm": 0}}, "image.pixel_spacing_mm", "greater than 0"),
    ({"image": {"pixel_spacing_mm": -0.2}}, "image.pixel_spacing_mm", "greater than 0"),
    ({"image": {"pixel_spacing_mm": "0.2"}}, "image.pixel_spacing_mm", "finite number"),
    ({"image": {"pixel_spacing_mm": [0.2]}}, "image.pixel_spacing_mm", "[row, column]"),
    ({"image": {"pixel_spacing_mm": [0.2, 0]}}, "image.pixel_spacing_mm[1]", "greater than 0"),
    # Found by tools/fuzz_inputs.py: 1e308 mm/px overflowed the geometry to NaN.
    ({"image": {"pixel_spacing_mm": 1e308}}, "image.pixel_spacing_mm", "between 0.001 and 10 mm"),
    ({"image": {"pixel_spacing_mm": [0.2, 1e-9]}}, "image.pixel_spacing_mm[1]", "between 0.001 and 10 mm"),
    ({"image": {"sha256": "xyz"}}, "image.sha256", "64 hexadecimal"),
    ({"image": {"path": 5}}, "image.path", "expected text"),
    ({"image": {"path": "  "}}, "image.path", "file path"),
    ({"image": {"calibration": "dicom"}}, "image.calibration", "expected an object"),
    ({"image": []}, "image", "expected an object"),
    ({"patient": {"age": "old"}}, "patient.age", "finite number"),
    ({"patient": {"age": 200}}, "patient.age", "0–130"),
    ({"patient": {"name": 3}}, "patient.name", "expected text"),
    ({"facing": "up"}, "facing", '"left" or "right"'),
    ({"notes": 3}, "notes", "expected text"),
    ({"osteotomies": {}}, "osteotomies", "expected a list"),
    ({"osteotomies": [{"type": "XYZ", "level": "L3", "angle_deg": 1}]}, "osteotomies[0].type",
     "unknown osteotomy type"),
    ({"osteotomies": [{"type": "PSO", "level": "L6", "angle_deg": 1}]}, "osteotomies[0].level",
     'unknown level "L6"'),
    ({"osteotomies": [{"type": "PSO", "level": "L3-L4", "angle_deg": 1}]}, "osteotomies[0].level",
     "done at a vertebra"),
    ({"osteotomies": [{"type": "SPO", "level": "L3", "angle_deg": 1}]}, "osteotomies[0].level",
     "UPPER-LOWER"),
    ({"osteotomies": [{"type": "SPO", "level": "L2-L4", "angle_deg": 1}]}, "osteotomies[0].level",
     "not adjacent"),
    ({"osteotomies": [{"type": "SPO", "level": "L4-L3", "angle_deg": 1}]}, "osteotomies[0].level",
     "not adjacent"),
    ({"osteotomies": [{"type": "SPO", "level": "L4-L9", "angle_deg": 1}]}, "osteotomies[0].level",
     'unknown level "L9"'),
    ({"osteotomies": [{"type": "PSO", "level": "L3"}]}, "osteotomies[0].angle_deg", "missing"),
    ({"osteotomies": [{"type": "PSO", "level": "L3", "angle_deg": "30"}]},
     "osteotomies[0].angle_deg", "finite number"),
    ({"osteotomies": [{"type": "PSO", "level": "L3", "angle_deg": 120}]},
     "osteotomies[0].angle_deg", "between −90 and 90"),
    ({"osteotomies": [{"type": "PSO", "level": "L3", "angle_deg": 30, "hinge": [1]}]},
     "osteotomies[0].hinge", "two finite numbers"),
    ({"osteotomies": ["PSO"]}, "osteotomies[0]", "expected an object"),
    ({"procedures": [{"level": "L4-L5"}]}, "procedures[0].type", "procedure name"),
    ({"procedures": [{"type": "fusion", "from": "T13"}]}, "procedures[0].from", "unknown level"),
    ({"procedures": "fusion"}, "procedures", "expected a list"),
    ({"compensation": {"model": "magic"}}, "compensation.model", "unknown model"),
    ({"compensation": {"model": "pt_target"}}, "compensation.pt_deg", "needs the target PT"),
    ({"compensation": {"model": "pt_target", "pt_deg": "20"}}, "compensation.pt_deg", "finite number"),
    ({"compensation": 5}, "compensation", "expected an object"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_invalid_plans_name_the_field(change: dict[str, Any], field: str, words: str) -> None:
    doc = {**plan_doc({}), **change}
    with pytest.raises(PlanValidationError) as info:
        parse_plan(json.dumps(doc), source="case.json")
    message = str(info.value)
    assert message.startswith(f"case.json: {field}: "), message
    assert words in message, message


@pytest.mark.parametrize("key", ["format", "version", "landmarks"])
def test_required_keys(key: str) -> None:
    doc = plan_doc({})
    del doc[key]
    with pytest.raises(PlanValidationError, match=f"case.json: {key}: missing"):
        parse_plan(json.dumps(doc), source="case.json")


HEAD = b'{"format": "alignment-planner-plan", "version": 1, '


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"format": "alignment-planner-plan", "version": 1, "landmarks": {}, "version": 1}',
         'duplicate key "version"'),
        (HEAD + b'"landmarks": {"L3": {"ant_sup": [NaN, 1]}}}', "got [NaN, 1]"),
        (HEAD + b'"landmarks": {"L3": {"ant_sup": [Infinity, 1]}}}', "two finite numbers"),
        (b"[" * 100000, "not valid JSON"),
    ],
)
def test_unreadable_documents(raw: bytes, words: str) -> None:
    with pytest.raises(PlanFileError) as info:
        parse_plan(raw, source="x.json")
    assert str(info.value).startswith("x.json: ") and words in str(info.value)


def test_utf8_bom_is_accepted() -> None:
    raw = "\ufeff" + json.dumps(plan_doc({}, notes="café"))
    assert parse_plan(raw.encode("utf-8")).notes == "café"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no such file"):
        read_plan(tmp_path / "nope.json")
    with pytest.raises(PlanFileError, match="is a folder"):
        read_plan(tmp_path)


def test_write_is_atomic_and_leaves_no_debris_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    plan = parse_plan(json.dumps(FULL))
    write_plan(plan, target)
    before = target.read_bytes()
    with pytest.raises(PlanFileError, match="cannot write"):
        write_plan(plan, tmp_path / "missing-folder" / "plan.json")
    if os.geteuid() != 0:  # root ignores folder permissions
        tmp_path.chmod(0o500)
        try:
            with pytest.raises(PlanFileError):
                write_plan(parse_plan(json.dumps(plan_doc({}))), target)
        finally:
            tmp_path.chmod(0o700)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_unknown_vertebra_keys_are_kept() -> None:
    plan = parse_plan(json.dumps(plan_doc({"L3": {"ant-sup": [1, 2]}})))
    assert plan.landmarks.vertebrae["L3"].extra == {"ant-sup": [1, 2]}
    assert plan.landmarks.vertebrae["L3"].ant_sup is None


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    plan = parse_plan(json.dumps(plan_doc({})))
    fresh = tmp_path / "fresh.json"
    write_plan(plan, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    kept.chmod(0o640)
    write_plan(plan, kept)
    assert kept.stat().st_mode & 0o777 == 0o640
