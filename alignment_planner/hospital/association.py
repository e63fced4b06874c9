"""Open an association with a PACS and turn every way it can fail into one clear sentence.

pynetdicom reports failures through its log and a few flags; :func:`associate` listens to both
and raises :class:`PacsError` naming the node and what to check: an unreachable host, a rejection
(with the PACS's reason, e.g. an unknown called AE title), a timeout, an abort, or a PACS that
accepts none of what we asked for.
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pynetdicom import AE
from pynetdicom.association import Association
from pynetdicom.presentation import PresentationContext

from alignment_planner.hospital import fast_receive
from alignment_planner.hospital.errors import PacsError
from alignment_planner.hospital.node import PacsNode

fast_receive.install()

# Our receive limit: 0 = unlimited, so the PACS sends large PDUs and a 50 MB film arrives in few
# pieces (pynetdicom's per-PDU cost dominates with the default 16 kB).
MAX_PDU = 0


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def application_entity(node: PacsNode) -> AE:
    ae = AE(ae_title=node.calling_aet)
    ae.maximum_pdu_size = MAX_PDU
    ae.connection_timeout = node.timeout_s
    ae.acse_timeout = node.timeout_s
    ae.dimse_timeout = node.timeout_s
    ae.network_timeout = node.timeout_s
    return ae


def _tls_arguments(node: PacsNode) -> tuple[ssl.SSLContext, str] | None:
    if node.tls is None:
        return None
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=node.tls.ca_file)
        if node.tls.cert_file:
            context.load_cert_chain(node.tls.cert_file, node.tls.key_file)
    except (OSError, ssl.SSLError) as exc:
        raise PacsError(f"PACS {node.describe()}: TLS certificates cannot be loaded ({exc})") from None
    return context, node.host


def _check_host(node: PacsNode) -> None:
    try:
        socket.getaddrinfo(node.host, node.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise PacsError(
            f"PACS {node.describe()}: unknown host {node.host!r} ({exc}); check the PACS host name"
        ) from None


def _failure(node: PacsNode, assoc: Association, log: list[str]) -> PacsError:
    where = f"PACS {node.describe()}"
    if assoc.is_rejected:
        reason = next((m.removeprefix("Reason: ") for m in log if m.startswith("Reason:")), "no reason given")
        hint = ""
        if "called" in reason.lower():
            hint = f"; check the PACS's AE title (we called it {node.called_aet!r})"
        elif "calling" in reason.lower():
            hint = f"; ask the PACS administrator to register our AE title {node.calling_aet!r}"
        return PacsError(f"{where}: association rejected: {reason}{hint}")
    tcp = next((m.removeprefix("TCP Initialisation Error: ") for m in log if "TCP Initialisation" in m), None)
    if tcp is not None:
        if "timed out" in tcp.lower():
            return PacsError(f"{where}: no answer within {node.timeout_s:g} s (host down or port filtered)")
        return PacsError(f"{where}: cannot connect ({tcp}); check the host, the port and that the PACS runs")
    if any("No accepted presentation contexts" in m for m in log):
        return PacsError(f"{where}: the PACS accepts none of the services asked for (SOP classes)")
    if any("timeout" in m.lower() or "timed out" in m.lower() for m in log) or not log:
        return PacsError(
            f"{where}: timed out after {node.timeout_s:g} s waiting for the PACS to answer the association"
        )
    return PacsError(f"{where}: association aborted ({log[-1]})")


@contextmanager
def associate(
    node: PacsNode,
    contexts: Sequence[PresentationContext],
    *,
    handlers: Sequence[tuple[Any, Any]] = (),
    ext_neg: Sequence[Any] = (),
    ae: AE | None = None,
) -> Iterator[Association]:
    """An established association (released on exit, aborted on an exception)."""
    _check_host(node)
    ae = ae or application_entity(node)
    ae.requested_contexts = list(contexts)
    capture = _LogCapture()
    logger = logging.getLogger("pynetdicom")
    logger.addHandler(capture)
    try:
        assoc = ae.associate(
            node.host,
            node.port,
            ae_title=node.called_aet,
            max_pdu=MAX_PDU,
            ext_neg=list(ext_neg) or None,
            evt_handlers=list(handlers) or None,
            tls_args=_tls_arguments(node),
        )
    finally:
        logger.removeHandler(capture)
    if not assoc.is_established:
        raise _failure(node, assoc, capture.messages)
    try:
        yield assoc
    except BaseException:
        assoc.abort()
        raise
    else:
        assoc.release()


def lost(node: PacsNode, assoc: Association, what: str) -> PacsError:
    """The error when a DIMSE exchange returned nothing: the association timed out or was aborted."""
    if assoc.is_aborted:
        return PacsError(f"PACS {node.describe()}: the PACS aborted the association during {what}")
    return PacsError(f"PACS {node.describe()}: no answer to {what} within {node.timeout_s:g} s (timed out)")
