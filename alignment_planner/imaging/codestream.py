"""The image size a compressed DICOM frame's own codestream declares (issue 16).

Rows and Columns in the DICOM header are checked against the pixel limit before decoding, but the
decoder believes the codestream: a 954-byte DICOM whose JPEG frame header claims 65000×65000
pixels made the decoder allocate 12 GB. The first fragment's header is read here, before any
decoder runs: JPEG (SOFn: baseline, extended, lossless), JPEG-LS (SOF55) and JPEG 2000 / HTJ2K
(SIZ, bare or inside a JP2 box structure).
"""

from __future__ import annotations

_ITEM = b"\xfe\xff\x00\xe0"  # (FFFE,E000) item tag, little endian
_HEADER_BYTES = 1 << 16  # a codestream's frame header is within its first few hundred bytes
# Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC); F7 is JPEG-LS SOF55.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC} | {0xF7}
_STANDALONE = frozenset(range(0xD0, 0xD9)) | {0x01}


def first_fragment(pixel_data: bytes) -> bytes:
    """The start of the first fragment of encapsulated Pixel Data (after the Basic Offset
    Table); empty when the data is not encapsulated as expected."""
    if pixel_data[:4] != _ITEM or len(pixel_data) < 8:
        return b""
    position = 8 + int.from_bytes(pixel_data[4:8], "little")
    if pixel_data[position : position + 4] != _ITEM:
        return b""
    length = int.from_bytes(pixel_data[position + 4 : position + 8], "little")
    start = position + 8
    return pixel_data[start : start + min(length, _HEADER_BYTES)]


def declared_size(fragment: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG, JPEG-LS or JPEG 2000 header; ``None`` when there is none or
    the header leaves the height to a later marker (0 = DNL)."""
    if fragment[:2] == b"\xff\xd8":
        return _jpeg_size(fragment)
    start = fragment.find(b"\xff\x4f\xff\x51")
    if start >= 0:
        return _j2k_size(fragment, start + 2)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None  # not at a marker: a malformed header, left to the decoder
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in _SOF:
            if position + 9 > len(data):
                return None
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            return (width, height) if height else None
        if marker == 0xDA:  # start of scan before any frame header
            return None
        position += 2 + length
    return None


def _j2k_size(data: bytes, siz: int) -> tuple[int, int] | None:
    # SIZ: marker(2) Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4) …
    if siz + 22 > len(data):
        return None
    x, y, x_offset, y_offset = (
        int.from_bytes(data[siz + 6 + 4 * i : siz + 10 + 4 * i], "big") for i in range(4)
    )
    return max(x - x_offset, 0), max(y - y_offset, 0)
