"""Open a raster file for Pillow: a regular file within the size limit, and for PNG without the
metadata chunks this program never reads.

Pillow refuses a PNG whose text or ICC profile chunk decompresses beyond its limits (1 MB per text
chunk, a safeguard against zlib bombs), although the pixels are fine (issue 16). The text chunks
(``tEXt``, ``zTXt``, ``iTXt``: also where identifying text hides) and the colour profile
(``iCCP``: radiographs are shown in grey) are dropped before Pillow sees the file; every other
chunk, each with its own CRC, is passed on unchanged.
"""

from __future__ import annotations

import io
import os
import struct
from typing import BinaryIO

from alignment_planner.safety.safe_open import MAX_IMAGE_BYTES, open_regular

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UNNEEDED_PNG_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"iCCP"})


def open_raster(path: str | os.PathLike[str]) -> BinaryIO:
    """A stream for ``Image.open``. Raises ``UnsafeInputError`` / ``OSError`` like ``open_regular``."""
    stream = open_regular(path, MAX_IMAGE_BYTES, "image")
    if stream.read(8) != PNG_SIGNATURE:
        stream.seek(0)
        return stream
    with stream:
        return io.BytesIO(PNG_SIGNATURE + without_unneeded_chunks(stream))


def without_unneeded_chunks(stream: BinaryIO) -> bytes:
    """The chunks after the signature, less ``UNNEEDED_PNG_CHUNKS``; a truncated tail is passed
    on as it is (Pillow then says the file is truncated)."""
    kept = bytearray()
    while True:
        header = stream.read(8)
        if len(header) < 8:
            kept += header
            return bytes(kept)
        length, kind = struct.unpack(">I4s", header)
        if kind in UNNEEDED_PNG_CHUNKS:
            stream.seek(length + 4, io.SEEK_CUR)  # data and CRC
            continue
        kept += header
        kept += stream.read(length + 4)
        if kind == b"IEND":
            return bytes(kept)
