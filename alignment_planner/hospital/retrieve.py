"""Retrieve a study, a series or one image from the PACS into a folder: C-GET on one association,
or, when the PACS refuses C-GET, C-MOVE to our own storage SCP (PS3.4 C.4.2–C.4.3).

Files land as ``DIR/<SeriesInstanceUID>/<SOPInstanceUID>.dcm``, written as received (no decode,
no re-encode) and atomically; progress is reported as (received, expected) after each image.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pynetdicom import AE, build_context, evt
from pynetdicom.dsutils import encode_file_meta
from pynetdicom.sop_class import (  # type: ignore[attr-defined]
    StudyRootQueryRetrieveInformationModelGet,
    StudyRootQueryRetrieveInformationModelMove,
)

from alignment_planner.errors import OutputWriteError
from alignment_planner.files.atomic import write_parts_atomically
from alignment_planner.hospital.association import MAX_PDU, application_entity, associate, lost
from alignment_planner.hospital.contexts import (
    DOCUMENT_STORAGE,
    IMAGE_STORAGE,
    RECEIVE_SYNTAXES,
    storage_contexts,
    storage_roles,
)
from alignment_planner.hospital.errors import PacsError
from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.status import describe, is_pending, status_code

Progress = Callable[[int, int | None], None]
Method = Literal["auto", "get", "move"]
GET_MODEL = StudyRootQueryRetrieveInformationModelGet
MOVE_MODEL = StudyRootQueryRetrieveInformationModelMove
RECEIVED_CLASSES = IMAGE_STORAGE + DOCUMENT_STORAGE


@dataclass(frozen=True)
class RetrieveRequest:
    study_uid: str
    series_uid: str = ""
    sop_uid: str = ""

    def describe(self) -> str:
        if self.sop_uid:
            return f"image {self.sop_uid}"
        return f"series {self.series_uid}" if self.series_uid else f"study {self.study_uid}"

    def identifier(self) -> Dataset:
        ds = Dataset()
        ds.QueryRetrieveLevel = "IMAGE" if self.sop_uid else "SERIES" if self.series_uid else "STUDY"
        ds.StudyInstanceUID = self.study_uid
        if self.series_uid:
            ds.SeriesInstanceUID = self.series_uid
        if self.sop_uid:
            ds.SOPInstanceUID = self.sop_uid
        return ds


@dataclass
class Retrieved:
    method: str
    files: list[Path] = field(default_factory=list)
    failed: int = 0
    """Sub-operations the PACS reported failed or skipped (e.g. object kinds we do not take)."""


class _Receiver:
    """The C-STORE handler: writes each image as it arrives and reports progress."""

    def __init__(self, target: Path, progress: Progress | None) -> None:
        self.target = target
        self.progress = progress
        self.files: list[Path] = []
        self.expected: int | None = None
        self.lock = threading.Lock()
        self.problem: str | None = None

    def __call__(self, event: Any) -> int:
        # The file as received, without decoding or copying the 50 MB body: the DICOM preamble and
        # file meta, then the network buffer itself.
        head = b"\0" * 128 + b"DICM" + encode_file_meta(event.file_meta)
        body = event.request.DataSet.getbuffer()
        try:
            header = _header(head, body)
        except (InvalidDicomError, ValueError, EOFError, KeyError) as exc:
            body.release()
            self.problem = f"an image could not be read ({exc})"
            return 0xC210  # cannot understand
        series = str(header.get("SeriesInstanceUID", "") or "unknown-series")
        name = str(event.request.AffectedSOPInstanceUID)
        path = self.target / _safe(series) / f"{_safe(name)}.dcm"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_parts_atomically(path, (head, body))
        except (OSError, OutputWriteError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) else exc.detail
            self.problem = f"{path.parent}: cannot write ({detail or exc})"
            return 0xA700  # out of resources
        finally:
            body.release()
        with self.lock:
            self.files.append(path)
            received = len(self.files)
        if self.progress is not None:
            self.progress(received, self.expected)
        return 0x0000

    def note_status(self, status: Dataset) -> None:
        """A pending response tells how many images the retrieve holds: report it at once."""
        counts = [status.get(k) for k in ("NumberOfRemainingSuboperations", "NumberOfCompletedSuboperations",
                                          "NumberOfFailedSuboperations", "NumberOfWarningSuboperations")]
        if counts[0] is None:
            return
        expected = sum(int(c or 0) for c in counts)
        if expected != self.expected:
            self.expected = expected
            if self.progress is not None:
                with self.lock:
                    received = len(self.files)
                self.progress(received, expected)


def _header(head: bytes, body: memoryview) -> Dataset:
    """The header without the pixels: read from the first 64 kB, or from all when it is longer."""
    try:
        return dcmread(BytesIO(head + body[:65536].tobytes()), stop_before_pixels=True)
    except (InvalidDicomError, ValueError, EOFError, KeyError):
        return dcmread(BytesIO(head + body.tobytes()), stop_before_pixels=True)


def _safe(uid: str) -> str:
    return "".join(c for c in uid if c.isalnum() or c in ".-_") or "unnamed"


def _failed(status: Dataset) -> int:
    return int(status.get("NumberOfFailedSuboperations", 0) or 0) + int(
        status.get("NumberOfWarningSuboperations", 0) or 0
    )


def _run(
    node: PacsNode, assoc: Any, responses: Any, receiver: _Receiver, what: str, method: str
) -> Retrieved:
    result = Retrieved(method)
    for status, _identifier in responses:
        code = status_code(status)
        if code is None:
            if receiver.files:
                raise lost(node, assoc, what)
            # Nothing came back at all: some PACS (Orthanc when C-GET is not allowed for our AE
            # title) drop the request unanswered; C-MOVE may still work.
            raise _Refusal(str(lost(node, assoc, what)))
        if is_pending(code):
            receiver.note_status(status)
            continue
        if code in (0x0000, 0xB000):
            result.failed = _failed(status)
            break
        if receiver.files:  # a partial retrieve: keep what arrived, count the rest
            result.failed = _failed(status)
            break
        if receiver.problem:  # the PACS failed because we could not keep what it sent
            break
        raise _Refusal(f"PACS {node.describe()}: {what} failed: {describe(code, status)}")
    if receiver.problem and not receiver.files:
        raise PacsError(f"PACS {node.describe()}: {what}: {receiver.problem}")
    result.files = list(receiver.files)
    return result


class _Refusal(PacsError):
    """The PACS answered the retrieve with a failure status (it may still accept C-MOVE)."""


def retrieve_get(
    node: PacsNode, request: RetrieveRequest, target: Path, progress: Progress | None
) -> Retrieved:
    receiver = _Receiver(target, progress)
    contexts = [build_context(GET_MODEL), *storage_contexts(RECEIVED_CLASSES)]
    with associate(
        node, contexts, handlers=[(evt.EVT_C_STORE, receiver)], ext_neg=storage_roles(RECEIVED_CLASSES)
    ) as assoc:
        if not any(cx.abstract_syntax == GET_MODEL for cx in assoc.accepted_contexts):
            raise _Refusal(f"PACS {node.describe()}: the PACS does not offer C-GET")
        responses = assoc.send_c_get(request.identifier(), GET_MODEL)
        return _run(node, assoc, responses, receiver, "the retrieve (C-GET)", "C-GET")


def retrieve_move(
    node: PacsNode, request: RetrieveRequest, target: Path, progress: Progress | None
) -> Retrieved:
    if node.move_port is None:
        raise PacsError(
            f"PACS {node.describe()}: C-MOVE needs our own storage port: set move_port in the PACS settings "
            f"(and register {node.calling_aet!r} at that port on the PACS)"
        )
    receiver = _Receiver(target, progress)
    scp = AE(ae_title=node.calling_aet)
    scp.maximum_pdu_size = MAX_PDU
    scp.network_timeout = scp.acse_timeout = scp.dimse_timeout = node.timeout_s
    for sop_class in RECEIVED_CLASSES:
        scp.add_supported_context(sop_class, list(RECEIVE_SYNTAXES))
    try:
        server = scp.start_server(
            ("", node.move_port), block=False, evt_handlers=[(evt.EVT_C_STORE, receiver)]
        )
    except OSError as exc:
        raise PacsError(
            f"C-MOVE: our storage port {node.move_port} cannot be opened ({exc.strerror or exc})"
        ) from None
    try:
        with associate(node, [build_context(MOVE_MODEL)], ae=application_entity(node)) as assoc:
            responses = assoc.send_c_move(request.identifier(), node.calling_aet, MOVE_MODEL)
            return _run(node, assoc, responses, receiver, "the retrieve (C-MOVE)", "C-MOVE")
    finally:
        if server is not None:
            server.shutdown()


def retrieve(
    node: PacsNode,
    request: RetrieveRequest,
    target: Path,
    *,
    method: Method = "auto",
    progress: Progress | None = None,
) -> Retrieved:
    """Retrieve into ``target``; ``auto`` tries C-GET and falls back to C-MOVE when the PACS refuses
    C-GET and a move port is configured."""
    try:
        if method == "move":
            result = retrieve_move(node, request, target, progress)
        else:
            try:
                result = retrieve_get(node, request, target, progress)
            except _Refusal as refusal:
                if method == "get" or node.move_port is None:
                    _check_exists(node, request)
                    advice = "" if method == "get" else "; set a move port to retrieve with C-MOVE instead"
                    raise PacsError(f"{refusal}{advice}") from None
                result = retrieve_move(node, request, target, progress)
    except _Refusal:
        _check_exists(node, request)
        raise
    if not result.files:
        _check_exists(node, request)
        raise PacsError(f"PACS {node.describe()}: the PACS sent nothing for {request.describe()}")
    return result


def _check_exists(node: PacsNode, request: RetrieveRequest) -> None:
    """A PACS answers a retrieve of an unknown UID with a bare failure: say what is wrong instead."""
    from alignment_planner.hospital.query import StudyQuery, find_studies

    if not find_studies(node, StudyQuery(study_uid=request.study_uid), with_series=False):
        raise PacsError(
            f"PACS {node.describe()}: no study {request.study_uid} there; check the Study Instance UID "
            "(pacs find lists them)"
        )
