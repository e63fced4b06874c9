"""Hostile files for tests and the fuzzer (issue 16): codestreams that claim more pixels than their
DICOM header, hand-written TIFFs with every orientation, PNGs with metadata bombs, plan text with
huge integers, coordinates beyond any film and lone surrogates. Written by hand so that the
libraries under test (Pillow, pydicom's codecs) are not also the writers."""

from __future__ import annotations

import io
import random
import re
import struct
import zlib
from typing import Any

import numpy as np
import numpy.typing as npt

JPEG_SOF0 = 0xC0
JPEG_LS_SOF55 = 0xF7


def jpeg_header(width: int, height: int, sof: int = JPEG_SOF0) -> bytes:
    """SOI, a frame header claiming width × height (SOF0, or SOF55 for JPEG-LS), a scan header
    and EOI: enough for any header parser, nothing to decode."""
    frame = struct.pack(">BHHB", 8, height, width, 1) + bytes([1, 0x11, 0])
    scan = struct.pack(">B", 1) + bytes([1, 0]) + bytes([0, 63, 0])
    return (
        b"\xff\xd8"
        + b"\xff" + bytes([sof]) + struct.pack(">H", len(frame) + 2) + frame
        + b"\xff\xda" + struct.pack(">H", len(scan) + 2) + scan
        + b"\x00" * 16 + b"\xff\xd9"
    )


def j2k_header(width: int, height: int) -> bytes:
    """SOC and a SIZ segment claiming width × height, then EOC."""
    siz = struct.pack(">HIIIIIIIIH", 0, width, height, 0, 0, width, height, 0, 0, 1) + bytes([7, 1, 1])
    return b"\xff\x4f" + b"\xff\x51" + struct.pack(">H", len(siz) + 2) + siz + b"\xff\xd9"


def codestream_bomb(codestream: bytes, transfer_syntax: str) -> bytes:
    """A 16×16 DICOM file (well under 2 kB) whose encapsulated frame is ``codestream``."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.encaps import encapsulate
    from pydicom.uid import UID, SecondaryCaptureImageStorage, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = UID(transfer_syntax)
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "DX"
    ds.Rows = ds.Columns = 16
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = encapsulate([codestream])
    ds["PixelData"].VR = "OB"
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def tiff_with_orientation(pixels: npt.NDArray[Any], orientation: int) -> bytes:
    """An uncompressed one-strip little-endian TIFF of 8- or 16-bit grey ``pixels`` (stored
    rows), with Orientation (tag 274) = ``orientation``."""
    height, width = pixels.shape
    data = pixels.astype(f"<u{pixels.dtype.itemsize}").tobytes()
    tags = [(256, 3, width), (257, 3, height), (258, 3, pixels.dtype.itemsize * 8), (259, 3, 1),
            (262, 3, 1), (273, 4, 0), (274, 3, orientation), (277, 3, 1), (278, 3, height),
            (279, 4, len(data))]
    offset = 8 + 2 + 12 * len(tags) + 4
    out = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(tags))
    for tag, kind, value in tags:
        value = offset if tag == 273 else value
        packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, 1) + packed
    return out + struct.pack("<I", 0) + data


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_metadata_bomb(
    pixels: npt.NDArray[np.uint8], kind: bytes = b"zTXt", inflated: int = 20_000_000
) -> bytes:
    """A PNG of ``pixels`` with a ``zTXt`` or ``iCCP`` chunk that inflates to ``inflated`` bytes
    (Pillow refuses more than 1 MB per text chunk)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    png = buffer.getvalue()
    bomb = b"Comment\x00\x00" + zlib.compress(b"A" * inflated)
    return png[:33] + png_chunk(kind, bomb) + png[33:]  # after the 8-byte signature and IHDR


_NUMBER = re.compile(r"(?<=[\[ ,:])-?\d+(\.\d+)?(?=[\],}])")
_STRING = re.compile(r'"[A-Za-z][^"\\]{0,40}"')


def hostile_plan_text(rng: random.Random, text: str) -> str:
    """``text`` (a plan's JSON) with one hostile change: a number turned into a 5000-digit
    integer or a coordinate beyond 1e155, a lone surrogate escape in a string, a newline or
    2 MB in a name."""
    choice = rng.randrange(5)
    numbers = list(_NUMBER.finditer(text))
    strings = list(_STRING.finditer(text))
    if choice == 0 and numbers:
        found = rng.choice(numbers)
        return text[: found.start()] + "9" * rng.choice([4301, 5000, 40]) + text[found.end() :]
    if choice == 1 and numbers:
        found = rng.choice(numbers)
        huge = rng.choice(["1e155", "-1e200", "1.7e308", "1e12"])
        return text[: found.start()] + huge + text[found.end() :]
    if choice == 2 and strings:
        found = rng.choice(strings)
        cut = rng.randrange(1, len(found.group()))
        lone = rng.choice(["\\ud83d", "\\ude00", "\\udfff", "\\ud800\\ud800"])
        return text[: found.start() + cut] + lone + text[found.start() + cut :]
    if choice == 3 and strings:
        found = rng.choice(strings)
        return text[: found.end() - 1] + "\\nerror: forged" + text[found.end() - 1 :]
    if strings:
        found = rng.choice(strings)
        return text[: found.end() - 1] + "L" * 2_000_000 + text[found.end() - 1 :]
    return text
