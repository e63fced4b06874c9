"""DICOM networking against a real PACS (Orthanc on loopback): echo, find by every key, retrieve by
C-GET, by C-MOVE and by the automatic fallback, store, and each failure told in one sentence."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
import pytest

from alignment_planner.hospital.echo import echo
from alignment_planner.hospital.errors import PacsError, PacsSettingsError
from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.query import StudyQuery, find_instances, find_studies
from alignment_planner.hospital.retrieve import RetrieveRequest, retrieve
from alignment_planner.hospital.store import store
from tests.conftest import SAMPLE_CASES
from tests.hospital.orthanc import NO_GET_AET, Orthanc, start_full_orthanc

NORMAL = SAMPLE_CASES / "normal_adult" / "image.dcm"
FLATBACK = SAMPLE_CASES / "flatback_pso" / "image.dcm"


@pytest.fixture
def stored(pacs: Orthanc, node: PacsNode) -> list[pydicom.Dataset]:
    films = [pydicom.dcmread(NORMAL), pydicom.dcmread(FLATBACK)]
    progress: list[tuple[int, int]] = []
    assert store(node, films, lambda done, total: progress.append((done, total))) == []
    assert progress == [(1, 2), (2, 2)]
    assert len(pacs.rest("/instances")) == 2
    return films


def test_echo_answers(node: PacsNode) -> None:
    assert 0 < echo(node) < 5


def test_find_by_each_key_lists_the_study_and_its_series(node: PacsNode, stored: list[pydicom.Dataset]) -> None:
    normal = stored[0]
    by_id = find_studies(node, StudyQuery(patient_id="SAMPLE-001"))
    assert [s.study_uid for s in by_id] == [normal.StudyInstanceUID]
    study = by_id[0]
    assert study.patient_name == "Sample^Normal" and study.accession == "SAMPLEACC001"
    assert study.study_date == "20250303" and study.sex == "F"
    assert [(s.series_uid, s.modality, s.number, s.instances) for s in study.series] == [
        (normal.SeriesInstanceUID, "DX", 1, 1)
    ]
    assert study.series[0].description == "Normal sagittal alignment"
    assert [s.study_uid for s in find_studies(node, StudyQuery(patient_name="Sample^Norm*"))] == [
        normal.StudyInstanceUID
    ]
    assert [s.patient_id for s in find_studies(node, StudyQuery(accession="SAMPLEACC002"))] == ["SAMPLE-002"]
    in_range = find_studies(node, StudyQuery(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 3)))
    assert {s.patient_id for s in in_range} == {"SAMPLE-001", "SAMPLE-002"}
    assert find_studies(node, StudyQuery(date_from=dt.date(2025, 3, 4))) == []
    assert find_studies(node, StudyQuery(patient_id="NOBODY")) == []
    instances = find_instances(node, normal.StudyInstanceUID, normal.SeriesInstanceUID)
    assert [i.sop_uid for i in instances] == [normal.SOPInstanceUID]


def test_an_open_query_is_refused_before_asking() -> None:
    with pytest.raises(PacsSettingsError, match="at least a patient ID"):
        find_studies(PacsNode("127.0.0.1", 1), StudyQuery())


def _same_pixels(path: Path, original: pydicom.Dataset) -> None:
    copy = pydicom.dcmread(path)
    assert copy.SOPInstanceUID == original.SOPInstanceUID
    assert np.array_equal(copy.pixel_array, original.pixel_array)


@pytest.mark.parametrize("method", ["get", "move"])
def test_retrieve_a_study_by_get_and_by_move(
    node: PacsNode, stored: list[pydicom.Dataset], tmp_path: Path, method: str
) -> None:
    film = stored[1]
    seen: list[tuple[int, int | None]] = []
    result = retrieve(
        node, RetrieveRequest(film.StudyInstanceUID), tmp_path, method=method,  # type: ignore[arg-type]
        progress=lambda received, expected: seen.append((received, expected)),
    )
    assert result.method == f"C-{method.upper()}" and result.failed == 0
    assert (1, None) in seen or (1, 1) in seen  # the image arrived, counted as soon as it did
    assert all(expected in (None, 1) for _received, expected in seen)  # the PACS's pending counts
    if method == "get":
        assert seen[-1] == (1, 1)
    assert result.files == [tmp_path / film.SeriesInstanceUID / f"{film.SOPInstanceUID}.dcm"]
    _same_pixels(result.files[0], film)


def test_retrieve_falls_back_to_move_when_the_pacs_refuses_get(
    node: PacsNode, stored: list[pydicom.Dataset], tmp_path: Path
) -> None:
    no_get = replace(node, calling_aet=NO_GET_AET, timeout_s=2.0)  # Orthanc: C-GET not allowed
    result = retrieve(no_get, RetrieveRequest(stored[0].StudyInstanceUID, stored[0].SeriesInstanceUID), tmp_path)
    assert result.method == "C-MOVE"
    _same_pixels(result.files[0], stored[0])
    with pytest.raises(PacsError, match="set a move port"):
        retrieve(replace(no_get, move_port=None), RetrieveRequest(stored[0].StudyInstanceUID), tmp_path)


def test_wrong_called_ae_title_is_a_rejected_association(node: PacsNode) -> None:
    with pytest.raises(PacsError, match=r"association rejected: Called AE title not recognised; check the PACS's AE title \(we called it 'NOTTHEPACS'\)"):
        echo(replace(node, called_aet="NOTTHEPACS"))


def test_no_server_and_unknown_host(node: PacsNode) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(PacsError, match=rf"127.0.0.1:{closed}: cannot connect \(.*refused.*\); check the host"):
        echo(replace(node, port=closed))
    with pytest.raises(PacsError, match=r"unknown host 'no-such-pacs\.invalid'"):
        echo(replace(node, host="no-such-pacs.invalid"))


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts TCP connections and never says a word: a hung PACS."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_pacs_that_does_not_answer_times_out(node: PacsNode, silent_server: int) -> None:
    with pytest.raises(PacsError, match=r"timed out after 1 s"):
        echo(replace(node, port=silent_server, timeout_s=1.0))


def test_a_full_pacs_refuses_the_store(tmp_path: Path) -> None:
    full = start_full_orthanc(tmp_path / "full", NORMAL)
    try:
        node = PacsNode("127.0.0.1", full.dicom_port, called_aet="TESTPACS", timeout_s=10)
        with pytest.raises(PacsError, match=r"store refused for Iatrogenic flatback after lumbar fusion: 0xA700 refused: out of resources"):
            store(node, [pydicom.dcmread(FLATBACK)])
    finally:
        full.stop()


def test_dicom_over_tls(tmp_path: Path) -> None:
    from alignment_planner.hospital.node import TlsSettings
    from tests.hospital.orthanc import start_orthanc
    from tests.hospital.tls import make_certificates

    certificates = make_certificates(tmp_path / "certs")
    server = start_orthanc(
        tmp_path / "tls-orthanc", DicomTlsEnabled=True, DicomTlsCertificate=str(certificates.server_cert),
        DicomTlsPrivateKey=str(certificates.server_key), DicomTlsTrustedCertificates=str(certificates.ca),
        DicomTlsRemoteCertificateRequired=False,
    )
    try:
        secure = PacsNode("127.0.0.1", server.dicom_port, called_aet="TESTPACS", timeout_s=10,
                          tls=TlsSettings(str(certificates.ca)))
        assert echo(secure) > 0
        store(secure, [pydicom.dcmread(NORMAL)])
        assert [s.patient_id for s in find_studies(secure, StudyQuery(patient_id="SAMPLE-001"))] == ["SAMPLE-001"]
        with pytest.raises(PacsError, match=r"TESTPACS@127\.0\.0\.1"):
            echo(replace(secure, tls=None, timeout_s=3))  # plain DICOM to a TLS port: no association
        with pytest.raises(PacsError, match="TLS certificates cannot be loaded"):
            echo(replace(secure, tls=TlsSettings(str(tmp_path / "missing.pem"))))
    finally:
        server.stop()


def test_retrieving_an_unknown_study_says_so(node: PacsNode, stored: list[pydicom.Dataset], tmp_path: Path) -> None:
    for method in ("auto", "get", "move"):
        with pytest.raises(PacsError, match=r"no study 1\.2\.3\.4 there; check the Study Instance UID"):
            retrieve(node, RetrieveRequest("1.2.3.4"), tmp_path, method=method)  # type: ignore[arg-type]


def test_a_folder_that_cannot_be_written_is_named(node: PacsNode, stored: list[pydicom.Dataset], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(PacsError, match=r"the retrieve \(C-GET\): .*not-a-folder.*: cannot write"):
        retrieve(node, RetrieveRequest(stored[0].StudyInstanceUID), blocker, method="get")
