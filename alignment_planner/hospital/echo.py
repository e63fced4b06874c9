"""C-ECHO (PS3.7 9.3.5): is the PACS there and does it accept us?"""

from __future__ import annotations

import time

from pynetdicom import build_context
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]

from alignment_planner.hospital.association import associate, lost
from alignment_planner.hospital.errors import PacsError
from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.status import describe, status_code


def echo(node: PacsNode) -> float:
    """The round trip in seconds; raises :class:`PacsError` with the reason otherwise."""
    start = time.perf_counter()
    with associate(node, [build_context(Verification)]) as assoc:
        status = assoc.send_c_echo()
        code = status_code(status)
        if code is None:
            raise lost(node, assoc, "the echo (C-ECHO)")
        if code != 0x0000:
            raise PacsError(f"PACS {node.describe()}: echo failed: {describe(code, status)}")
    return time.perf_counter() - start
