"""One policy for a plan's film that changed since the plan was saved (issue 13 §4,
files/plan_image.py): outputs refuse, the GUI warns."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from alignment_planner.files.plan_image import (
    ImageChangedError,
    PlanImage,
    file_sha256,
    load_image_for_output,
    plan_image,
)
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.teaching.cases import find_cases

CASE = next(c for c in find_cases() if c.id == "normal_adult")


def test_the_sample_films_are_the_ones_their_plans_were_saved_with() -> None:
    plan = read_plan(CASE.plan_path)
    image = plan_image(plan, CASE.plan_path.parent)
    assert image.path is not None and image.path.resolve() == CASE.image_path.resolve()
    digest = file_sha256(image.path)
    assert digest == hashlib.sha256(image.path.read_bytes()).hexdigest()
    assert image.judge(digest, "output") is None and image.judge(digest, "view") is None
    assert load_image_for_output(plan, CASE.plan_path, action="rendering") is not None


def test_a_changed_film_is_refused_for_outputs_and_warned_about_in_the_gui(tmp_path: Path) -> None:
    image = PlanImage(tmp_path / "film.dcm", "0" * 64)
    warning = image.judge("1" * 64, "view")
    assert warning == "film.dcm has changed since this plan was saved (sha256 differs): check the landmarks"
    with pytest.raises(ImageChangedError, match=r"^p\.plan\.json: image\.sha256: film\.dcm has changed.*rendering$"):
        image.judge("1" * 64, "output", plan_label="p.plan.json", action="rendering")


def test_hex_case_does_not_matter_and_an_unrecorded_hash_is_accepted(tmp_path: Path) -> None:
    assert PlanImage(tmp_path / "f", "ABCDEF" + "0" * 58).judge("abcdef" + "0" * 58, "output") is None
    assert PlanImage(tmp_path / "f", None).judge("1" * 64, "output") is None
    assert PlanImage(None, "0" * 64).judge("1" * 64, "output") is None  # the plan names no film


def test_loading_for_an_output_names_the_plan_and_the_field(tmp_path: Path) -> None:
    plan = read_plan(CASE.plan_path)
    assert plan.image is not None
    moved = replace(plan, image=replace(plan.image, path=str(CASE.image_path.resolve()), sha256="0" * 64))
    with pytest.raises(ImageChangedError, match=r"image\.sha256"):
        load_image_for_output(moved, tmp_path / "x.plan.json", action="reporting")
    without = replace(plan, image=None)
    assert load_image_for_output(without, tmp_path / "x.plan.json", action="reporting") is None
