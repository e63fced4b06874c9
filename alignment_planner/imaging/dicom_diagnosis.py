"""Why a DICOM file cannot be shown: the most specific true reason, in words a user can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10"  # Media Storage Directory Storage (PS3.10)


def why_no_pixel_data(ds: Any, path: Path) -> str:
    """The most specific true reason a file read as DICOM holds no image."""
    meta = getattr(ds, "file_meta", None) or {}
    if "DirectoryRecordSequence" in ds or str(meta.get("MediaStorageSOPClassUID", "")) == DICOMDIR_SOP_CLASS:
        return (
            "a DICOMDIR (the index of a DICOM disc or folder), not an image: "
            "browse it with File → Open CD/DICOMDIR, or open one of the image files it lists"
        )
    if _pixel_tag_in(path):  # the element is in the bytes, but reading stopped before it
        return (
            "the DICOM pixel data could not be reached: the file is truncated or damaged before it "
            f"({path.stat().st_size} bytes); copy it again from the source"
        )
    known = ("SOPClassUID", "Modality", "PatientName", "StudyInstanceUID", "Rows")
    if not any(keyword in ds for keyword in known) and "TransferSyntaxUID" not in meta:
        return "not a DICOM file (no readable DICOM elements)"
    sop = ds.get("SOPClassUID")
    if sop is not None:
        kind = getattr(sop, "name", str(sop))
        if "Image Storage" in kind:
            return f"a {kind} object without its pixel data (the image was left out of this export)"
        return f"DICOM file without pixel data (not an image: {kind})"
    # Parsed to its end with neither an image nor a SOP class: an incomplete or non-image object.
    return (
        f"DICOM file without pixel data or image attributes ({len(ds)} elements, no SOP class): "
        "not an image, or an incomplete export; export the radiograph again"
    )


def _pixel_tag_in(path: Path) -> bool:
    """Whether the raw bytes hold a (7FE0,0010) Pixel Data tag, little or big endian."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return b"\xe0\x7f\x10\x00" in data or b"\x7f\xe0\x00\x10" in data


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def reason(exc: BaseException, limit: int = 300) -> str:
    """All of a codec error on one line (pydicom lists each plugin's failure on its own line)."""
    text = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    text = text.replace("all available plugins:;", "all available plugins:") or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def missing_codecs(syntax: Any) -> str:
    """Which optional codec would decode this syntax, from pydicom's own registry."""
    try:
        from pydicom.pixels.decoders.base import get_decoder

        missing = get_decoder(syntax).missing_dependencies
    except Exception:
        return ""
    if not missing:
        return ""
    hint = f" (other decoders would need: {'; '.join(missing)})"
    if any("libjpeg" in line for line in missing):
        # GPL-3, so not a dependency of this MIT program (imaging.md B2); the user may add it.
        hint += "; pylibjpeg-libjpeg is GPL-3 and not bundled: install it, or export the image uncompressed"
    return hint
