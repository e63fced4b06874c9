"""An anonymised copy of a film is still a valid DICOM object (issue 20 §4): dciodvfy finds no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_planner.files.anonymise import export_anonymised
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.teaching.cases import find_cases
from tests.dicom_validator import assert_valid_dicom

CASES = find_cases()


@pytest.mark.parametrize("case", CASES[:3], ids=[c.id for c in CASES[:3]])
def test_anonymised_film_copy_validates(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(case.plan_path)
    _plan_file, image = export_anonymised(plan, case.image_path, tmp_path, "anonymised")
    assert image is not None and image.suffix == ".dcm"
    assert_valid_dicom(image)
