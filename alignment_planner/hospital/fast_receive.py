"""Receive PDUs from the PACS in large reads instead of pynetdicom's 4 kB steps.

pynetdicom 3.0's ``AssociationSocket.recv`` reads at most 4096 bytes per ``socket.recv`` and grows
a bytearray each time: a 54 MB film (3000 × 9000, 16 bits) costs some 13 000 Python-level reads and
half of the C-GET time (bench/bench_pacs.py: 1.41 s → 0.74 s median on loopback). This reads each
PDU into one preallocated buffer with ``recv_into``, returning the same bytes, and works for TLS
sockets as well. Installed once, process-wide, by :mod:`alignment_planner.hospital.association`.
"""

from __future__ import annotations

from typing import Any

from pynetdicom.transport import AssociationSocket

_installed = False


def _recv(self: Any, nr_bytes: int) -> bytearray:
    """``nr_bytes`` from the socket, or fewer if the peer closed the connection (as pynetdicom)."""
    buffer = bytearray(nr_bytes)
    view = memoryview(buffer)
    received = 0
    while received < nr_bytes:
        count = self.socket.recv_into(view[received:], nr_bytes - received)
        if not count:
            break
        received += count
    view.release()
    if received < nr_bytes:
        del buffer[received:]
    return buffer


def install() -> None:
    global _installed
    if not _installed:
        AssociationSocket.recv = _recv  # type: ignore[method-assign]
        _installed = True
