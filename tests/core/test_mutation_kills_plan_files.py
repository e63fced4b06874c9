"""Plan files: tests that kill the survivors of ``bash tools/mutation.sh plan_files`` (issue 15 §7).

What is checked is contract.md §2 and §4 as a reader of the file sees it: every value read back as
written, every refusal naming the file, the field and the bad value exactly as the user typed it,
and the clinical limits the reader enforces (PT −30…60°, clinical.md §4.6)."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.errors import PlanFileError, PlanValidationError
from alignment_planner.files.plan_reader import parse_plan, read_plan
from alignment_planner.files.plan_writer import describe_value, plan_to_dict, write_plan
from tests.core.issue15_plans import FLATBACK_FILE


def _doc() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FLATBACK_FILE.read_text(encoding="utf-8"))
    return document


def _refusal(document: dict[str, Any]) -> PlanValidationError:
    with pytest.raises(PlanValidationError) as caught:
        parse_plan(json.dumps(document, ensure_ascii=False), source="case.json")
    return caught.value


# --- reading and writing back -------------------------------------------------------------------


def test_the_flatback_plan_is_written_back_exactly_as_read() -> None:
    """contract.md §2: nothing a plan holds is lost or reshaped on save: its follow-up film (with
    image, date, facing and landmarks), fusions, compensation and integer age come back as
    written."""
    document = _doc()
    assert document["followups"][0]["label"] == "1 year"  # the premise: a follow-up is there
    assert plan_to_dict(parse_plan(json.dumps(document))) == document


def test_annotations_are_written_back_in_their_own_shapes() -> None:
    """contract.md §4.2: a Cobb holds two lines of two points, a text note an anchor and its text,
    the others their points; labels, texts and unknown keys are kept."""
    drawings = [
        {"type": "cobb", "label": "L1–L5", "lines": [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]},
        {"type": "text", "at": [10.0, 20.0], "text": "graft here"},
        {"type": "distance", "points": [[0.0, 0.0], [30.0, 40.0]], "colour": "red"},
        {"type": "angle", "points": [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]},
        {"type": "arrow", "points": [[5.0, 5.0], [9.0, 9.0]], "text": "cage"},
    ]
    document = {**_doc(), "annotations": drawings}
    assert plan_to_dict(parse_plan(json.dumps(document)))["annotations"] == drawings


def test_a_femoral_head_written_as_an_object_stays_an_object() -> None:
    """contract.md §2 allows a head as ``[x, y]`` or ``{"center": [x, y], "radius": r}``; the form
    written is kept, and only unknown keys go to the head's extra keys."""
    document = _doc()
    document["landmarks"]["femoral_heads"] = [
        {"center": [465.0, 2156.25]},
        {"center": [485.0, 2143.75], "radius": 24.0, "side": "left"},
    ]
    plan = parse_plan(json.dumps(document))
    first, second = plan.landmarks.femoral_heads
    assert first.written_as_object and dict(first.extra) == {}
    assert second.radius == 24.0 and dict(second.extra) == {"side": "left"}
    assert plan_to_dict(plan)["landmarks"]["femoral_heads"] == document["landmarks"]["femoral_heads"]


def test_spacing_written_as_two_equal_numbers_stays_a_pair_and_partial_calibration_is_kept() -> None:
    """``[0.4, 0.4]`` is written back as a pair (not folded to 0.4); a calibration with only a
    source, or only a detail, is kept."""
    for calibration in ({"source": "ruler"}, {"detail": "ball 25 mm"}, {"by": "me"}):
        document = _doc()
        document["image"]["pixel_spacing_mm"] = [0.4, 0.4]
        document["image"]["calibration"] = calibration
        image = plan_to_dict(parse_plan(json.dumps(document)))["image"]
        assert image["pixel_spacing_mm"] == [0.4, 0.4]
        assert image["calibration"] == calibration


def test_a_whole_age_is_written_as_an_integer_and_a_fractional_one_as_is() -> None:
    for age, written in ((67.0, 67), (67.5, 67.5)):
        document = _doc()
        document["patient"]["age"] = age
        value = plan_to_dict(parse_plan(json.dumps(document)))["patient"]["age"]
        assert value == written and type(value) is type(written)


def test_a_saved_plan_is_utf8_text_indented_by_two_with_its_permissions(tmp_path: Path) -> None:
    """The saved file keeps accents as themselves (a name such as "Müller" stays readable) and is
    indented by two spaces; ``mode`` sets its permissions."""
    document = _doc()
    document["patient"]["name"] = "Müller^Jürgen"
    target = tmp_path / "plan.json"
    write_plan(parse_plan(json.dumps(document)), target, mode=0o600)
    text = target.read_text(encoding="utf-8")
    assert '"name": "Müller^Jürgen"' in text
    assert text.startswith('{\n  "format": "alignment-planner-plan",\n  "version": 1,\n')
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_plan_that_cannot_be_saved_names_its_file(tmp_path: Path) -> None:
    plan = read_plan(FLATBACK_FILE)
    target = tmp_path / "missing-folder" / "plan.json"
    with pytest.raises(PlanFileError) as caught:
        write_plan(plan, target)
    assert caught.value.path == f"'{target}'" or caught.value.path == str(target)
    assert str(caught.value).startswith(f"{caught.value.path}: ")


def test_a_broken_character_that_cannot_be_saved_is_named() -> None:
    plan = replace(read_plan(FLATBACK_FILE), notes="cut here \ud800 please")
    with pytest.raises(PlanFileError) as caught:
        write_plan(plan, "/nonexistent-folder/plan.json")
    assert caught.value.path is not None and "plan.json" in caught.value.path
    assert caught.value.detail == (
        "cannot save: the plan's text holds a broken character (\\ud800, half of a character "
        "pair); edit the text that holds it"
    )


# --- reading: refusals name the file, the field and the value --------------------------------------


def test_a_missing_plan_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.plan.json"
    with pytest.raises(PlanFileError) as caught:
        read_plan(missing)
    assert caught.value.detail == "no such file"
    assert caught.value.path is not None and "nothing.plan.json" in caught.value.path
    assert str(caught.value) == f"{caught.value.path}: no such file"


def test_a_folder_given_as_a_plan_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError) as caught:
        read_plan(tmp_path)
    assert caught.value.path == str(tmp_path)
    assert caught.value.detail == "is a folder, not a plan file: refused"


def test_a_plan_path_under_a_file_cannot_be_read_and_says_why(tmp_path: Path) -> None:
    """A path through a regular file (``a.txt/plan.json``): the system's reason is given."""
    blocker = tmp_path / "a.txt"
    blocker.write_text("x")
    with pytest.raises(PlanFileError) as caught:
        read_plan(blocker / "plan.json")
    assert caught.value.path == str(blocker / "plan.json")
    assert caught.value.detail == "cannot read: Not a directory"
    assert str(caught.value) == f"{blocker / 'plan.json'}: cannot read: Not a directory"


def test_a_bad_landmark_in_a_read_file_names_the_file(tmp_path: Path) -> None:
    document = _doc()
    document["landmarks"]["L3"]["post_inf"] = "abc"
    path = tmp_path / "bad.plan.json"
    path.write_text(json.dumps(document))
    with pytest.raises(PlanValidationError) as caught:
        read_plan(path)
    assert caught.value.path is not None and "bad.plan.json" in caught.value.path
    assert caught.value.field == "landmarks.L3.post_inf"


@pytest.mark.parametrize("name", ["ant_sup", "post_sup", "post_inf", "ant_inf", "center"])
def test_each_vertebral_point_is_named_when_bad(name: str) -> None:
    document = _doc()
    document["landmarks"]["L3"][name] = ["a", 1]
    error = _refusal(document)
    assert error.field == f"landmarks.L3.{name}"
    assert error.detail == 'expected two finite numbers [x, y], got ["a", 1]'


def test_coordinates_up_to_ten_million_pixels_are_read_and_beyond_refused() -> None:
    """contract.md §2 bounds coordinates at ±1e7 px, inclusive."""
    document = _doc()
    document["landmarks"]["L3"]["ant_sup"] = [10_000_000.0, -10_000_000.0]
    document["landmarks"]["L3"]["post_sup"] = [-10_000_000.0, 10_000_000.0]
    lm = parse_plan(json.dumps(document)).landmarks
    assert lm.point("L3", "ant_sup") == (1e7, -1e7) and lm.point("L3", "post_sup") == (-1e7, 1e7)
    document["landmarks"]["L3"]["ant_sup"] = [20_000_000.0, 5.0]
    error = _refusal(document)
    assert error.field == "landmarks.L3.ant_sup"
    assert error.detail == "coordinates are pixels between -1e+07 and 1e+07, got [20000000.0, 5.0]"


@pytest.mark.parametrize(
    ("where", "value", "field", "detail"),
    [
        (("patient", "id"), 5, "patient.id", "expected text, got 5"),
        (("landmarks", "L3"), 5, "landmarks.L3", "expected an object, got 5"),
        (("landmarks", "femoral_heads"), [], "landmarks.femoral_heads",
         "expected one or two femoral head centres, got []"),
        (("landmarks", "femoral_heads"), [{"radius": 3}], "landmarks.femoral_heads[0]",
         'missing "center" ([x, y] of the femoral head)'),
        (("landmarks", "femoral_heads"), [{"center": [1, "x"]}], "landmarks.femoral_heads[0].center",
         'expected two finite numbers [x, y], got [1, "x"]'),
        (("landmarks", "femoral_heads"), [[1.0, 2.0], "x"], "landmarks.femoral_heads[1]",
         'expected two finite numbers [x, y], got "x"'),
        (("image", "pixel_spacing_mm"), [0.4, 0.4, 0.4], "image.pixel_spacing_mm",
         "expected one number or [row, column], got [0.4, 0.4, 0.4]"),
        (("image", "pixel_spacing_mm"), ["a", 0.4], "image.pixel_spacing_mm[0]",
         'expected a finite number, got "a"'),
        (("procedures",), 5, "procedures", "expected a list, got 5"),
        (("procedures",), [5], "procedures[0]", "expected an object, got 5"),
    ],
)
def test_a_refusal_names_the_field_and_the_value_as_written(
    where: tuple[str, ...], value: Any, field: str, detail: str
) -> None:
    document = _doc()
    holder = document
    for key in where[:-1]:
        holder = holder[key]
    holder[where[-1]] = value
    error = _refusal(document)
    assert (error.field, error.detail) == (field, detail)
    assert str(error) == f"case.json: {field}: {detail}"


# --- compensation (contract.md §2, clinical.md §4.5–4.6) --------------------------------------------


def _compensation(value: dict[str, Any]) -> dict[str, Any]:
    return {**_doc(), "compensation": value}


def test_a_compensation_without_a_model_keeps_the_pelvis_fixed() -> None:
    """contract.md §2: ``"none"`` (pelvis fixed) is the default model."""
    compensation = parse_plan(json.dumps(_compensation({}))).compensation
    assert compensation is not None and compensation.model == "none" and compensation.pt_deg is None


def test_an_unknown_compensation_model_lists_the_known_ones() -> None:
    error = _refusal(_compensation({"model": "magic"}))
    assert error.field == "compensation.model"
    assert error.detail == 'unknown model "magic" (known: none, pt_target, pt_ideal, yamato2016, personal)'


def test_the_ideal_pt_formula_is_checked_for_pt_ideal_only() -> None:
    """clinical.md §2.5: the ideal-PT model names one of the linear formulas; a misspelt one is
    refused. The same key beside another model is an unknown key, kept as written."""
    error = _refusal(_compensation({"model": "pt_ideal", "formula": "lehuec"}))
    assert error.field == "compensation.formula"
    assert error.detail == 'unknown formula "lehuec" (known: yamato2016, le_huec2016, gap)'
    for formula in ("yamato2016", "le_huec2016", "gap"):
        chosen = parse_plan(json.dumps(_compensation({"model": "pt_ideal", "formula": formula})))
        assert chosen.compensation is not None and chosen.compensation.extra["formula"] == formula
    assert parse_plan(json.dumps(_compensation({"model": "pt_ideal"}))).compensation.model == "pt_ideal"  # type: ignore[union-attr]
    kept = parse_plan(json.dumps(_compensation({"model": "none", "formula": "lehuec"}))).compensation
    assert kept is not None and dict(kept.extra) == {"formula": "lehuec"}


def test_a_personal_model_without_its_fit_is_refused_by_field() -> None:
    """A personal compensation carries its fit (slope, se, n): a missing one is named."""
    error = _refusal(_compensation({"model": "personal", "slope": -0.5, "n": 12}))
    assert error.field == "compensation.se"
    assert error.detail == (
        'missing: a personal model carries its fit ("slope", "se", "n"), as written by outcomes --personal'
    )
    fitted = {"model": "personal", "slope": -0.5, "se": 0.1, "n": 12}
    assert parse_plan(json.dumps(_compensation(fitted))).compensation.model == "personal"  # type: ignore[union-attr]


def test_a_pt_target_without_its_pt_is_refused() -> None:
    error = _refusal(_compensation({"model": "pt_target"}))
    assert (error.field, error.detail) == (
        "compensation.pt_deg", 'missing: "pt_target" needs the target PT in degrees'
    )


def test_a_target_pt_of_minus_30_to_60_degrees_is_read_and_200_refused() -> None:
    """clinical.md §4.6: pt_deg outside −30…60° is refused (200 typed for 20 is not a pelvis)."""
    for pt in (-30.0, 60.0):
        compensation = parse_plan(json.dumps(_compensation({"model": "pt_target", "pt_deg": pt}))).compensation
        assert compensation is not None and compensation.pt_deg == pt
    error = _refusal(_compensation({"model": "pt_target", "pt_deg": 200}))
    assert error.field == "compensation.pt_deg"
    assert error.detail == "200° is not a plausible pelvic tilt: give -30…60° (clinical.md §4.6)"


def test_absolute_is_true_or_false_and_is_kept() -> None:
    error = _refusal(_compensation({"model": "pt_target", "pt_deg": 20, "absolute": "yes"}))
    assert (error.field, error.detail) == ("compensation.absolute", 'expected true or false, got "yes"')
    compensation = parse_plan(
        json.dumps(_compensation({"model": "pt_target", "pt_deg": 20, "absolute": True}))
    ).compensation
    assert compensation is not None and dict(compensation.extra) == {"absolute": True}


# --- broken characters (lone UTF-16 surrogates) -------------------------------------------------------


def test_lone_surrogates_anywhere_are_replaced_and_counted() -> None:
    """A tool that cut an emoji in half leaves a lone surrogate, which no UTF-8 file can hold:
    each one, in text, in a list or in a key, becomes U+FFFD and the reader says how many."""
    document = _doc()
    document["notes"] = "cut \\ud83d here"
    document["x_tool"] = ["ok", "\\udc00", {"k\\ud800": "\\udfff", "n": 3}, 7]
    text = json.dumps(document).replace("\\\\u", "\\u")
    plan = parse_plan(text)
    assert plan.notes == "cut \ufffd here"
    assert plan.extra["x_tool"] == ["ok", "\ufffd", {"k\ufffd": "\ufffd", "n": 3}, 7]
    assert plan.read_notes == (
        "4 broken character(s) in the plan's text (half of a character pair, as left by a tool that "
        "cut an emoji) were replaced by \ufffd so that the plan can be saved",
    )


# --- how a bad value is shown ----------------------------------------------------------------------


def test_a_bad_value_is_shown_as_json_and_cut_at_forty_characters() -> None:
    assert describe_value(float("nan")) == "NaN"
    assert describe_value(1.5) == "1.5"
    assert describe_value("Müller") == '"Müller"'
    assert describe_value({1, 2}) == "{1, 2}"
    forty = "x" * 38  # 40 characters once quoted
    assert describe_value(forty) == f'"{forty}"'
    assert describe_value(forty + "y") == '"' + "x" * 38 + "…"
    assert len(describe_value("z" * 100)) == 40
