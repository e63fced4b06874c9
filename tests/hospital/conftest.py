"""One Orthanc for the hospital tests (started once, emptied before each test that asks)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alignment_planner.hospital.node import PacsNode
from tests.hospital.orthanc import OUR_AET, PACS_AET, Orthanc, start_orthanc


@pytest.fixture(scope="session")
def orthanc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orthanc]:
    server = start_orthanc(tmp_path_factory.mktemp("orthanc"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pacs(orthanc: Orthanc) -> Orthanc:
    """The Orthanc PACS, empty."""
    orthanc.clear()
    return orthanc


@pytest.fixture
def node(orthanc: Orthanc) -> PacsNode:
    return PacsNode(
        host="127.0.0.1", port=orthanc.dicom_port, called_aet=PACS_AET, calling_aet=OUR_AET,
        timeout_s=10.0, move_port=orthanc.move_port,
    )
