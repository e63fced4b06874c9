"""Export an anonymised plan (issue 8 §5)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image, PngImagePlugin

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.anonymise import export_anonymised
from alignment_planner.files.plan_reader import read_plan
from tests.conftest import SAMPLE_CASES

FLATBACK = SAMPLE_CASES / "flatback_pso" / "flatback_pso.plan.json"


def test_plan_and_dicom_lose_identifiers_and_keep_the_geometry(tmp_path: Path) -> None:
    plan = read_plan(FLATBACK)
    assert plan.patient is not None and plan.patient.name  # the sample has a name to remove
    original_ds = pydicom.dcmread(FLATBACK.parent / "image.dcm")
    assert str(original_ds.PatientName) not in ("", "ANONYMOUS")
    plan_file, image_file = export_anonymised(plan, FLATBACK.parent / "image.dcm", tmp_path, "case")
    assert image_file is not None
    text = plan_file.read_text()
    assert "Sample^Flatback" not in text and "SAMPLE-002" not in text and '"notes"' not in text
    document = json.loads(text)
    digest = hashlib.sha256(image_file.read_bytes()).hexdigest()
    assert document["image"]["path"] == f"{digest}.dcm" and document["image"]["sha256"] == digest
    assert document["patient"] == {"age": 67.0, "sex": "F"}
    ds = pydicom.dcmread(image_file)
    assert str(ds.PatientName) == "ANONYMOUS" and ds.PatientIdentityRemoved == "YES"
    assert np.array_equal(ds.pixel_array, original_ds.pixel_array)
    again = analyze(read_plan(plan_file))
    reference = analyze(plan)
    for key in ("PI", "LL", "SVA", "TPA"):
        assert again.postop.values[key].value == pytest.approx(reference.postop.values[key].value)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([plan_file.name, image_file.name])


def test_raster_metadata_is_dropped(tmp_path: Path) -> None:
    source = tmp_path / "film.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Patient", "Jane Doe")
    Image.fromarray((np.arange(64 * 32).reshape(64, 32) % 4096).astype(np.uint16)).save(source, pnginfo=info)
    plan = read_plan(FLATBACK)
    out = tmp_path / "out"
    out.mkdir()
    _plan_file, image_file = export_anonymised(plan, source, out, "case")
    assert image_file is not None and image_file.suffix == ".png"
    assert b"Jane Doe" not in image_file.read_bytes()
    assert np.array_equal(np.asarray(Image.open(image_file)), np.asarray(Image.open(source)))


def test_unwritable_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(AlignmentPlannerError, match="cannot write"):
        export_anonymised(read_plan(FLATBACK), FLATBACK.parent / "image.dcm", tmp_path / "missing", "case")


def test_drawn_measurements_keep_their_geometry_without_words(tmp_path: Path) -> None:
    from dataclasses import replace

    from alignment_planner.files.anonymise import anonymised_plan
    from alignment_planner.plan.model import Annotation

    drawn = (
        Annotation("distance", ((1.0, 2.0), (3.0, 4.0)), "Dr Smith's ruler", extra={"by": "Smith"}),
        Annotation("text", ((5.0, 5.0),), text="Jane Doe, bed 4"),
        Annotation("arrow", ((0.0, 0.0), (9.0, 9.0)), text="called Mrs Doe"),
    )
    plan = anonymised_plan(replace(read_plan(FLATBACK), annotations=drawn), "x.dcm", None)
    assert [a.type for a in plan.annotations] == ["distance", "arrow"]
    assert all(a.label is None and a.text is None and not a.extra for a in plan.annotations)
    assert plan.annotations[0].points == drawn[0].points
