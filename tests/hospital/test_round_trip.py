"""The hospital round trip (issue 20 §5): store a film in the PACS, find it, get it, plan on it,
``pacs send`` the plan, and read back through Orthanc's REST API that the PDF, the annotated films
and the SR are in the film's own study, each in a new series, each referencing the film."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pydicom
import pytest
from pypdf import PdfReader

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.hospital.node import PacsNode
from tests.hospital.helpers import FLATBACK, cli, plan_on
from tests.hospital.orthanc import OUR_AET, PACS_AET, Orthanc


def _node_options(pacs: Orthanc) -> list[str]:
    return ["--host", "127.0.0.1", "--port", str(pacs.dicom_port), "--called-aet", PACS_AET, "--aet", OUR_AET,
            "--timeout", "20"]


def _content_values(sr: pydicom.Dataset) -> dict[tuple[str, str], float]:
    """(group, parameter key) → value, walking the TID 1500 tree."""
    values: dict[tuple[str, str], float] = {}
    (measurements,) = [item for item in sr.ContentSequence if item.ValueType == "CONTAINER"]
    assert measurements.ConceptNameCodeSequence[0].CodeMeaning == "Imaging Measurements"
    for group in measurements.ContentSequence:  # one Measurement Group per stage
        items = list(getattr(group, "ContentSequence", []))
        finding = next(  # the group's Finding (DCM 121071): our PREOP / PLANNED local code
            item.ConceptCodeSequence[0].CodeValue for item in items
            if item.ValueType == "CODE" and item.ConceptNameCodeSequence[0].CodeValue == "121071"
        )
        for item in items:
            if item.ValueType == "NUM":
                name = item.ConceptNameCodeSequence[0]
                assert name.CodingSchemeDesignator == "99ALNPLN"
                measured = item.MeasuredValueSequence[0]
                assert measured.MeasurementUnitsCodeSequence[0].CodingSchemeDesignator == "UCUM"
                values[(finding, name.CodeValue)] = float(measured.NumericValue)
    return values


def test_store_find_get_plan_send_and_read_back(pacs: Orthanc, node: PacsNode, tmp_path: Path) -> None:
    options = _node_options(pacs)
    stored = cli("pacs", "send", "--help")  # the command exists and documents itself
    assert stored.returncode == 0 and "Encapsulated PDF" in stored.stdout
    pacs_film = pydicom.dcmread(FLATBACK / "image.dcm")
    from alignment_planner.hospital.store import store

    store(node, [pacs_film])
    assert cli("pacs", "echo", *options).returncode == 0

    found = cli("pacs", "find", *options, "--patient-id", "SAMPLE-002", "--json")
    assert found.returncode == 0, found.stderr
    studies = json.loads(found.stdout)
    assert [s["study_uid"] for s in studies] == [pacs_film.StudyInstanceUID]
    assert studies[0]["series"][0]["series_uid"] == pacs_film.SeriesInstanceUID

    got = cli("pacs", "get", *options, "--study", pacs_film.StudyInstanceUID, "-o", str(tmp_path / "cache"))
    assert got.returncode == 0, got.stderr
    assert "1 object(s) retrieved" in got.stdout and "retrieved 1/1 object(s)" in got.stderr
    film = tmp_path / "cache" / pacs_film.SeriesInstanceUID / f"{pacs_film.SOPInstanceUID}.dcm"
    plan_path = plan_on(film, tmp_path)

    sent = cli("pacs", "send", str(plan_path), *options)
    assert sent.returncode == 0, sent.stderr
    assert f"4 object(s) stored into study {pacs_film.StudyInstanceUID}" in sent.stdout

    study = pacs.study_id(pacs_film.StudyInstanceUID)
    series = pacs.rest(f"/studies/{study}/series?expand")
    by_modality = {s["MainDicomTags"]["Modality"]: s for s in series}
    assert set(by_modality) == {"DX", "DOC", "OT", "SR"}  # the film's series and three new ones
    assert len({s["ID"] for s in series}) == 4
    instances = {
        modality: [pydicom.dcmread(io.BytesIO(pacs.rest(f"/instances/{i}/file"))) for i in s["Instances"]]
        for modality, s in by_modality.items()
    }
    reference = (pacs_film.SOPClassUID, pacs_film.SOPInstanceUID)
    for modality in ("DOC", "OT", "SR"):
        for ds in instances[modality]:
            assert ds.StudyInstanceUID == pacs_film.StudyInstanceUID
            assert ds.SeriesInstanceUID != pacs_film.SeriesInstanceUID
            assert (ds.PatientID, str(ds.PatientName), ds.AccessionNumber) == ("SAMPLE-002", "Sample^Flatback", "SAMPLEACC002")

    (pdf,) = instances["DOC"]
    assert pdf.SOPClassUID == "1.2.840.10008.5.1.4.1.1.104.1" and pdf.MIMETypeOfEncapsulatedDocument == "application/pdf"
    assert [(r.ReferencedSOPClassUID, r.ReferencedSOPInstanceUID) for r in pdf.SourceInstanceSequence] == [reference]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.EncapsulatedDocument)).pages)
    assert "Sample^Flatback" in text or "Flatback" in text  # a chart document names its patient
    assert "PSO" in text and "L3" in text

    films = sorted(instances["OT"], key=lambda ds: int(ds.InstanceNumber))
    assert [ds.ImageComments for ds in films] == ["Pre-operative film", "Planned alignment (simulated)"]
    # The pre-op capture is the film; the planned one the film with every moved part of it (the
    # trunk turned back by the PSO leaves the pre-op frame), at the film's own pixel size.
    assert (films[0].Rows, films[0].Columns) == (pacs_film.Rows, pacs_film.Columns)
    assert films[1].Rows >= pacs_film.Rows and films[1].Columns >= pacs_film.Columns
    for ds in films:
        assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.7" and ds.PhotometricInterpretation == "RGB"
        assert [(r.ReferencedSOPClassUID, r.ReferencedSOPInstanceUID) for r in ds.SourceImageSequence] == [reference]
        assert [float(v) for v in ds.PixelSpacing] == [float(v) for v in pacs_film.PixelSpacing]

    (sr,) = instances["SR"]
    assert sr.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.33"  # Comprehensive SR
    assert sr.ContentTemplateSequence[0].TemplateIdentifier == "1500"
    assert sr.ConceptNameCodeSequence[0].CodeValue == "126000"  # Imaging Measurement Report
    evidence = sr.CurrentRequestedProcedureEvidenceSequence[0]
    assert evidence.StudyInstanceUID == pacs_film.StudyInstanceUID
    referenced = evidence.ReferencedSeriesSequence[0].ReferencedSOPSequence[0]
    assert (referenced.ReferencedSOPClassUID, referenced.ReferencedSOPInstanceUID) == reference
    values = _content_values(sr)
    analysis = analyze(read_plan(plan_path))
    assert values[("PREOP", "PI")] == pytest.approx(analysis.preop.value("PI"), abs=1e-3)
    assert values[("PREOP", "PT")] == pytest.approx(31.0, abs=0.05)  # the film's drawn geometry
    assert values[("PLANNED", "LL")] == pytest.approx(analysis.postop.value("LL"), abs=1e-3)
    assert values[("PLANNED", "PT")] == pytest.approx(20.0, abs=0.05)  # the plan's PT-target compensation

    # The study now retrieves with the plan in it: film, PDF, both annotated films and the SR.
    again = cli("pacs", "get", *options, "--study", pacs_film.StudyInstanceUID, "-o", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert "5 object(s) retrieved" in again.stdout
    assert len(list((tmp_path / "again").glob("*/*.dcm"))) == 5
