"""De-identification by the PS3.15 Basic Profile (issue 16, contract.md §4.7): DICOM identifiers at
any depth, private tags, free text, the preamble, UIDs and age; the anonymised plan's free text at
any depth; the ``anonymise`` command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from alignment_planner.files.anonymise import export_anonymised
from alignment_planner.files.plan_reader import read_plan
from alignment_planner_launcher import main
from tests.imaging.dicom_factory import write_dicom

ROOT = Path(__file__).resolve().parents[2]
FLATBACK = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"
SECRETS = ("Doe^Jane", "MRN-4711", "Smith^Maiden", "Plumber", "fell from a ladder", "Ward 7 comment",
           "Spine protocol Jane", "Dr Who", "St Elsewhere", "HOSP-CODE", "PRIVATE-NAME", "Jane")


def identified_dicom(path: Path) -> Path:
    write_dicom(
        path, (np.arange(64 * 32) % 4096).reshape(64, 32).astype(np.uint16),
        PatientName="Doe^Jane", PatientID="MRN-4711", PatientBirthDate="19310101", PatientAge="095Y",
        PatientSex="F", PatientBirthName="Smith^Maiden", Occupation="Plumber",
        AdditionalPatientHistory="fell from a ladder", ImageComments="Ward 7 comment",
        ProtocolName="Spine protocol Jane", StudyDescription="Jane's spine", SeriesDescription="Jane",
        PerformedProcedureStepDescription="Jane standing", ReferringPhysicianName="Dr Who",
        InstitutionName="St Elsewhere", StudyDate="20240102", StudyInstanceUID="1.2.3.4.5",
        SeriesInstanceUID="1.2.3.4.6", SOPInstanceUID="1.2.3.4.7", PixelSpacing=[0.2, 0.2],
    )
    ds = pydicom.dcmread(path)
    ds.preamble = b"II*\x00" + b"Jane Doe preamble".ljust(124, b" ")
    inner = Dataset()
    inner.PatientName = "Doe^Jane"
    inner.PatientID = "MRN-4711"
    inner.ReferencedSOPInstanceUID = "1.2.3.4.7"
    institution = Dataset()
    institution.CodeValue = "HOSP-CODE"
    institution.CodingSchemeDesignator = "L"
    institution.CodeMeaning = "St Elsewhere"
    ds.InstitutionCodeSequence = Sequence([institution])
    outer = Dataset()
    outer.ReferencedStudySequence = Sequence([inner])
    ds.ReferencedImageSequence = Sequence([outer])  # the name two levels down
    block = ds.private_block(0x0029, "ACME 1.0", create=True)
    block.add_new(0x10, "LO", "PRIVATE-NAME Jane")
    ds.save_as(path, enforce_file_format=True)
    return path


def test_dicom_identifiers_go_at_any_depth(tmp_path: Path) -> None:
    source = identified_dicom(tmp_path / "film.dcm")
    original = pydicom.dcmread(source)
    out = tmp_path / "out"
    out.mkdir()
    from alignment_planner.files.anonymise import write_deidentified_image

    copy, _digest = write_deidentified_image(source, out)
    raw = copy.read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    ds = pydicom.dcmread(copy)
    assert ds.preamble == b"\0" * 128
    assert str(ds.PatientName) == "ANONYMOUS" and ds.PatientID != "MRN-4711"
    assert ds.PatientBirthDate == "" and ds.PatientAge == "090Y"  # capped as the plan caps
    assert ds.StudyDate != "20240102"
    assert ds.PatientIdentityRemoved == "YES"
    codes = {item.CodeValue for item in ds.DeidentificationMethodCodeSequence}
    assert "113100" in codes  # Basic Application Confidentiality Profile
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        assert getattr(ds, keyword) != getattr(original, keyword)
    assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
    nested = ds.ReferencedImageSequence[0].ReferencedStudySequence[0]
    assert nested.ReferencedSOPInstanceUID == ds.SOPInstanceUID  # the same original, the same new UID
    assert not any(element.tag.is_private for element in ds.iterall())
    assert np.array_equal(ds.pixel_array, original.pixel_array)


def test_anonymised_plan_drops_free_text_at_any_depth(tmp_path: Path) -> None:
    doc = json.loads(FLATBACK.read_text())
    doc["image"]["calibration"]["detail"] = "ruler held by Dr Who"
    doc["image"]["hospital_note"] = "Jane Doe's film"
    doc["patient"]["birth_date"] = "1931-01-01"
    doc["landmarks"]["L3"]["comment"] = "Jane's L3"
    doc["landmarks"]["scanner"] = {"operator": "Dr Who"}
    doc["osteotomies"][0]["surgeon"] = "Dr Who"
    # The planned T10–S1 fusion (the sample also records its existing L2–S1 fusion).
    planned = next(i for i, p in enumerate(doc["procedures"]) if p.get("from") == "T10")
    doc["procedures"][planned]["instrumented"] = ["T10", "T11", "L1"]
    doc["procedures"][planned]["remark"] = "Jane asked"
    doc["study"] = {"deep": {"deeper": ["Jane Doe"]}}
    path = tmp_path / "Doe_Jane.plan.json"
    path.write_text(json.dumps(doc))
    plan_file, _image = export_anonymised(read_plan(path), FLATBACK.parent / "image.dcm", tmp_path, "x")
    text = plan_file.read_text()
    for secret in ("Dr Who", "Jane", "1931", "Sample^Flatback", "SAMPLE-002", "Iatrogenic"):
        assert secret not in text, secret
    written = json.loads(text)
    assert written["procedures"][planned]["instrumented"] == ["T10", "T11", "L1"]  # clinical content kept
    assert "detail" not in written["image"].get("calibration", {})
    assert written["patient"] == {"age": 67, "sex": "F"}


def test_the_anonymise_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = identified_dicom(tmp_path / "Doe_Jane.dcm")
    doc = json.loads(FLATBACK.read_text())
    doc["image"]["path"] = source.name
    doc["notes"] = "Jane Doe"
    plan = tmp_path / "Doe_Jane.plan.json"
    plan.write_text(json.dumps(doc))
    out = tmp_path / "export"
    assert main(["anonymise", str(plan), "-o", str(out)]) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out.split()
    written = sorted(out.iterdir())
    assert sorted(printed) == sorted(str(p) for p in written) and len(written) == 2
    assert all("Doe" not in p.name and "Jane" not in p.name for p in written)
    for path in written:
        assert b"Jane" not in path.read_bytes() and b"Doe" not in path.read_bytes()
    plan_out = next(p for p in written if p.suffix == ".json")
    again = read_plan(plan_out)
    assert again.image is not None and again.image.path is not None
    assert (out / again.image.path).exists()
    assert main(["anonymise", str(plan), "-o", str(plan)]) == 2  # a file, not a folder
    assert "not a folder" in capsys.readouterr().err
