"""The large-read PDU receive returns exactly what pynetdicom's own would, including a short read
when the peer closes the connection mid-PDU."""

from __future__ import annotations

import socket
import threading

from pynetdicom.transport import AssociationSocket

import alignment_planner.hospital.association  # noqa: F401  (importing it installs the fast receive)
from alignment_planner.hospital.fast_receive import _recv


class _Holder:
    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock


def test_large_reads_return_the_same_bytes_and_short_reads_on_close() -> None:
    assert AssociationSocket.recv is _recv  # installed by importing the association module
    payload = bytes(range(256)) * 40_000  # 10 MB, arriving in many TCP segments
    left, right = socket.socketpair()
    sender = threading.Thread(target=lambda: (right.sendall(payload[:7_000_001]), right.close()))
    sender.start()
    holder = _Holder(left)
    first = _recv(holder, 5_000_000)
    rest = _recv(holder, 5_000_000)  # only 2 000 001 bytes come before the peer closes
    sender.join()
    left.close()
    assert bytes(first) == payload[:5_000_000]
    assert bytes(rest) == payload[5_000_000:7_000_001]
    assert isinstance(first, bytearray)
