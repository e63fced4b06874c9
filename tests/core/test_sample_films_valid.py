"""The sample films are complete DICOM objects a PACS accepts (issue 20 §4): dciodvfy finds no error
and no warning, and each film has its own study, series and instance and a synthetic patient."""

from __future__ import annotations

import pydicom
import pytest

from alignment_planner.teaching.cases import find_cases
from tests.dicom_validator import dciodvfy

CASES = find_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sample_film_passes_dciodvfy_cleanly(case) -> None:  # type: ignore[no-untyped-def]
    errors, warnings = dciodvfy(case.image_path)
    assert errors == [] and warnings == []


def test_sample_films_have_distinct_identities_and_a_synthetic_patient() -> None:
    films = [pydicom.dcmread(case.image_path, stop_before_pixels=True) for case in CASES]
    for uid in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        values = [str(getattr(film, uid)) for film in films]
        assert len(set(values)) == len(values), uid
        assert all(value.startswith("2.25.") for value in values), uid
    for film in films:
        assert str(film.PatientID).startswith("SAMPLE-")
        assert str(film.PatientName).startswith("Sample^")
        assert len(film.StudyDate) == 8 and len(film.PatientBirthDate) == 8
        assert int(film.StudyDate[:4]) - int(film.PatientBirthDate[:4]) == int(film.PatientAge[:3])
        assert film.ConversionType == "SYN"  # synthetic image, not a patient's
