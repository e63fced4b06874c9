"""The objects a plan is filed back as (issue 20 §3–4): valid DICOM (dciodvfy: no error), in the
film's study, new series, referencing the film; and what cannot be filed says why."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.hospital.errors import PacsError
from alignment_planner.hospital.filing import DrawnPlan, filing_objects, plan_film, save_objects
from tests.conftest import SAMPLE_CASES
from tests.dicom_validator import dciodvfy
from tests.hospital.helpers import FLATBACK, plan_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # odd length: the writer pads it


def _objects(plan_path: Path, *, planned: bool = True) -> tuple[list[pydicom.Dataset], pydicom.Dataset]:
    plan = read_plan(plan_path)
    _, film = plan_film(plan, plan_path)
    rgb = np.full((int(film.Rows), int(film.Columns), 3), 40, np.uint8)
    drawn = DrawnPlan("Plan title", PDF, rgb, rgb if planned else None)
    return filing_objects(analyze(plan), film, drawn, when=dt.datetime(2026, 1, 2, 3, 4, 5)), film


def test_every_filed_object_validates_and_references_the_film(tmp_path: Path) -> None:
    objects, film = _objects(FLATBACK / "flatback_pso.plan.json")
    paths = save_objects(objects, tmp_path)
    assert [ds.Modality for ds in objects] == ["DOC", "OT", "OT", "SR"]
    for path in paths:
        errors, warnings = dciodvfy(path)
        assert errors == [], (path.name, errors)
        # The only warning allowed: our documented private coding scheme is not a defined term.
        assert all("99ALNPLN" in w or "needed to build DICOMDIR" in w for w in warnings), warnings
    series = {ds.SeriesInstanceUID for ds in objects}
    assert len(series) == 3 and film.SeriesInstanceUID not in series  # PDF, films, SR: three new series
    assert {ds.StudyInstanceUID for ds in objects} == {film.StudyInstanceUID}
    assert len({ds.SOPInstanceUID for ds in objects}) == 4
    pdf = pydicom.dcmread(paths[0])
    assert pdf.EncapsulatedDocument[: len(PDF)] == PDF and len(pdf.EncapsulatedDocument) == len(PDF) + 1
    assert pdf.EncapsulatedDocumentLength == len(PDF)
    assert pdf.ContentDate == "20260102" and pdf.ContentTime == "030405"
    assert pdf.CodingSchemeIdentificationSequence[0].CodingSchemeDesignator == "99ALNPLN"


def test_a_plan_without_osteotomy_files_one_film_and_one_measurement_group(tmp_path: Path) -> None:
    normal = SAMPLE_CASES / "normal_adult" / "normal_adult.plan.json"
    objects, _ = _objects(normal, planned=False)
    assert [ds.Modality for ds in objects] == ["DOC", "OT", "SR"]
    sr = objects[-1]
    groups = next(i for i in sr.ContentSequence if i.ValueType == "CONTAINER").ContentSequence
    assert len(groups) == 1
    for path in save_objects(objects, tmp_path):
        assert dciodvfy(path)[0] == []


def test_an_uncalibrated_plan_leaves_lengths_out_of_the_report(tmp_path: Path) -> None:
    plan = read_plan(FLATBACK / "flatback_pso.plan.json")
    assert plan.image is not None
    uncalibrated = replace(plan, image=replace(plan.image, pixel_spacing=None, path=str(FLATBACK / "image.dcm")))
    path = tmp_path / "uncalibrated.plan.json"
    write_plan(uncalibrated, path)
    objects, _ = _objects(path)
    sr = objects[-1]
    names = {
        item.ConceptNameCodeSequence[0].CodeValue
        for group in next(i for i in sr.ContentSequence if i.ValueType == "CONTAINER").ContentSequence
        for item in group.ContentSequence if item.ValueType == "NUM"
    }
    assert "PI" in names and "SVA" not in names and "cSVA" not in names  # never pixels called mm


def test_what_cannot_be_filed_says_why(tmp_path: Path) -> None:
    png = tmp_path / "film.png"
    Image.fromarray(np.zeros((40, 20), np.uint8)).save(png)
    with pytest.raises(PacsError, match=r"image\.path: film\.png is not a DICOM film"):
        plan_film(read_plan(plan_on(png, tmp_path)), tmp_path / "plan.json")
    film = tmp_path / "film.dcm"
    ds = pydicom.dcmread(FLATBACK / "image.dcm")
    del ds.StudyInstanceUID
    ds.save_as(film)
    with pytest.raises(PacsError, match=r"film\.dcm has no StudyInstanceUID: there is no study"):
        plan_film(read_plan(plan_on(film, tmp_path)), tmp_path / "plan.json")
    changed = plan_on(FLATBACK / "image.dcm", tmp_path)
    plan = read_plan(changed)
    assert plan.image is not None
    write_plan(replace(plan, image=replace(plan.image, sha256="0" * 64)), changed)
    with pytest.raises(PacsError, match=r"image\.sha256: image\.dcm has changed since the plan was saved"):
        plan_film(read_plan(changed), changed)


def test_a_film_without_orientation_or_spacing_still_files_valid_objects(tmp_path: Path) -> None:
    film = tmp_path / "bare.dcm"
    ds = pydicom.dcmread(FLATBACK / "image.dcm")
    del ds.PatientOrientation, ds.PixelSpacing, ds.PixelSpacingCalibrationType
    del ds.PixelSpacingCalibrationDescription
    ds.save_as(film)
    objects, _ = _objects(plan_on(film, tmp_path))
    for ds_out, path in zip(objects, save_objects(objects, tmp_path / "out"), strict=True):
        assert dciodvfy(path)[0] == [], path.name
        if ds_out.Modality == "OT":
            assert ds_out.PatientOrientation is None or ds_out.PatientOrientation == ""
            assert "PixelSpacing" not in ds_out
