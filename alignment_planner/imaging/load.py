"""Open any supported radiograph, deciding the format from the file's bytes, not its name."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

from alignment_planner.errors import ImageLoadError
from alignment_planner.imaging.dicom_diagnosis import first_line
from alignment_planner.imaging.radiograph import Radiograph
from alignment_planner.imaging.raster import load_raster
from alignment_planner.safety.quoting import PATH_LIMIT, quoted
from alignment_planner.safety.safe_open import MAX_IMAGE_BYTES, UnsafeInputError, open_regular

_RASTER_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def load_radiograph(path: str | os.PathLike[str]) -> Radiograph:
    """Load a DICOM, PNG, JPEG or TIFF radiograph. Raises ``ImageLoadError`` naming the file."""
    target = Path(path)
    shown = quoted(str(target), PATH_LIMIT)
    try:
        with open_regular(target, MAX_IMAGE_BYTES, "image") as stream:
            head = stream.read(132)
    except FileNotFoundError:
        raise ImageLoadError(f"{shown}: no such file") from None
    except UnsafeInputError as exc:  # a FIFO, a device, a folder, or far too large
        raise ImageLoadError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise ImageLoadError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not head:
        raise ImageLoadError(f"{target}: the file is empty (0 bytes)")
    # pydicom and its codecs cost ~0.3 s to import: the window starts without them, and the first
    # DICOM opened loads them.
    from alignment_planner.imaging.dicom import load_dicom

    if head[128:132] == b"DICM":
        return _decode(load_dicom, target, "not a readable DICOM file")
    if head.startswith(_RASTER_MAGIC):
        return _decode(load_raster, target, "the image is damaged and cannot be read")
    if target.suffix.lower() in (".dcm", ".dicom", ".ima") or _looks_like_raw_dicom(head):
        # DICOM without the 128-byte preamble
        return _decode(load_dicom, target, "not a readable DICOM file")
    raise ImageLoadError(
        f"{target}: not an image this program reads (DICOM, PNG, JPEG or TIFF, judged by content)"
    )


def _decode(loader: Callable[[Path], Radiograph], target: Path, refusal: str) -> Radiograph:
    """The one boundary between hostile bytes and the program. pydicom and Pillow parse lazily
    and raise their own exceptions from deep inside (wrong value lengths, unknown VRs, short
    buffers, truncated chunks: found by tools/fuzz_inputs.py); each becomes an ImageLoadError
    naming the file. Their warnings about malformed values are silenced: what matters reaches
    the user as that one error or as a notice, not as a stream of warnings on stderr."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return loader(target)
    except ImageLoadError:
        raise
    except MemoryError:
        raise ImageLoadError(f"{target}: not enough memory to decode this image") from None
    except Exception as exc:
        raise ImageLoadError(f"{target}: {refusal} ({first_line(exc)})") from None


def _looks_like_raw_dicom(head: bytes) -> bool:
    # A preamble-less file starts with a group 0x0002 or 0x0008 element, little endian.
    return len(head) >= 4 and head[1] == 0 and head[0] in (0x02, 0x08) and head[3] == 0
