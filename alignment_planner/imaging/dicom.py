"""DICOM radiographs through pydicom 3 and its codecs (imaging.md B2).

Stored values are kept as they are; the modality LUT (rescale or LUT sequence) and the VOI LUT or
window are evaluated over the *domain* of stored values with pydicom's own functions, giving tables
that display code applies with one ``np.take`` (see ``windowing.py``).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pydicom
from pydicom.errors import InvalidDicomError
from pydicom.pixels.processing import apply_modality_lut, apply_voi_lut
from pydicom.pixels.utils import pixel_array

from alignment_planner.errors import ImageLoadError
from alignment_planner.imaging.codestream import declared_size, first_fragment
from alignment_planner.imaging.dicom_calibration import dicom_calibration
from alignment_planner.imaging.dicom_diagnosis import first_line, missing_codecs, reason, why_no_pixel_data
from alignment_planner.imaging.limits import MAX_PIXELS, describe_size
from alignment_planner.imaging.quiet import quiet_native_stderr
from alignment_planner.imaging.radiograph import Radiograph, Window
from alignment_planner.imaging.windowing import percentile_window, squeeze_to_uint16


def load_dicom(path: Path) -> Radiograph:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydicom warns on many benign deviations
            ds = pydicom.dcmread(path, force=True)
    except (InvalidDicomError, OSError, ValueError, EOFError, KeyError, TypeError) as exc:
        raise ImageLoadError(f"{path}: not a readable DICOM file ({first_line(exc)})") from None
    if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        raise ImageLoadError(f"{path}: {why_no_pixel_data(ds, path)}")
    rows, columns = _int(ds, "Rows", 0, path), _int(ds, "Columns", 0, path)
    if rows <= 0 or columns <= 0:
        raise ImageLoadError(f"{path}: DICOM image size is {columns}×{rows}: Rows/Columns missing or zero")
    if rows * columns > MAX_PIXELS:
        raise ImageLoadError(f"{path}: {describe_size(columns, rows)}")
    notices: list[str] = []
    syntax = _transfer_syntax(ds, notices)
    if getattr(syntax, "is_encapsulated", False):
        _check_codestream(ds, path)
    frames = max(_int(ds, "NumberOfFrames", 1, path), 1)
    if frames > 1:
        notices.append(f"multi-frame file ({frames} frames): showing the first frame")

    allocated = _int(ds, "BitsAllocated", 16, path)
    stored_bits = _int(ds, "BitsStored", allocated, path)
    # Up to 16 bits, unused high bits are ignored through the value table (below) rather than by
    # shifting every pixel; and native data is read as a view, not copied: together about a third
    # of the decode time of an uncompressed full-spine film (issue 3: open ≤ 1.5× pydicom).
    fold_unused_bits = allocated in (8, 16)
    try:
        with warnings.catch_warnings(), quiet_native_stderr():
            warnings.simplefilter("ignore")
            array = pixel_array(
                ds,
                index=0 if frames > 1 else None,
                correct_unused_bits=not fold_unused_bits,
                view_only=True,
            )
    except Exception as exc:
        name = getattr(syntax, "name", None) or str(syntax or "unknown")
        raise ImageLoadError(
            f"{path}: cannot decode the pixel data (transfer syntax {name}): {reason(exc)}"
            f"{missing_codecs(syntax)}"
        ) from None

    photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2")).strip().upper()
    palette = photometric == "PALETTE COLOR" and array.ndim == 2
    if array.ndim == 3:  # colour (rows, columns, samples): shown as luminance
        notices.append(f"{photometric} colour image shown in grey")
        array = _luminance(array)
    if array.ndim != 2:
        raise ImageLoadError(f"{path}: unexpected pixel array shape {array.shape}")

    stored, domain = _indices(array)
    if palette:
        values = _palette_values(path, ds, domain, array.dtype)
        notices.append("PALETTE COLOR image shown in grey (luminance of its palette)")
    else:
        if fold_unused_bits and array.dtype.kind in "iu" and 0 < stored_bits < array.dtype.itemsize * 8:
            domain = _without_unused_bits(domain, stored_bits, signed=array.dtype.kind == "i")
        try:
            values = np.asarray(apply_modality_lut(domain, ds), dtype=np.float64)
        except Exception:
            notices.append("the modality LUT could not be applied; showing stored values")
            values = domain.astype(np.float64)
    default_window, default_table = _voi(ds, values, stored, domain, notices)
    calibration, kind, calibration_notices = dicom_calibration(ds)
    notices.extend(calibration_notices)
    return Radiograph(
        path=path,
        format="dicom",
        stored=stored,
        value_table=values,
        default_window=default_window,
        default_table=default_table,
        invert=photometric == "MONOCHROME1",
        bits_stored=stored_bits or array.dtype.itemsize * 8,
        photometric=photometric,
        modality=str(ds.get("Modality")) if ds.get("Modality") else None,
        transfer_syntax=str(syntax) if syntax else None,
        frames=frames,
        calibration=calibration,
        calibration_kind=kind,
        notices=tuple(notices),
        patient=_patient(ds),
    )


def _check_codestream(ds: Any, path: Path) -> None:
    """Refuse a compressed frame whose codestream claims more pixels than the limit, before a
    decoder allocates them (a decompression bomb behind modest Rows and Columns; issue 16)."""
    pixel_data = ds.get("PixelData")
    if not isinstance(pixel_data, bytes | bytearray):
        return
    size = declared_size(first_fragment(bytes(pixel_data)))
    if size is None:
        return
    width, height = size
    if width * height > MAX_PIXELS:
        raise ImageLoadError(
            f"{path}: the compressed frame itself {describe_size(width, height)[len('the image '):]}"
        )


def _transfer_syntax(ds: Any, notices: list[str]) -> Any:
    """The file's transfer syntax; when the meta header lacks it (or is absent), the encoding
    pydicom found while reading, set on the dataset so the decoders can use it."""
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

    meta = getattr(ds, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax is not None:
        return syntax
    implicit, little = ds.original_encoding
    if implicit is None or little is None:
        return None
    syntax = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian if little else ExplicitVRBigEndian
    if meta is None:
        ds.file_meta = meta = FileMetaDataset()
    meta.TransferSyntaxUID = syntax
    notices.append(
        f"the file does not state its transfer syntax: read as {syntax.name}, as its encoding shows"
    )
    return syntax


def _palette_values(
    path: Path, ds: Any, domain: npt.NDArray[np.int64], dtype: Any
) -> npt.NDArray[np.float64]:
    """PALETTE COLOR (PS3.3 C.7.6.3.1.5): stored values index a colour table; each index's value
    is the luminance of its entry, so display and windowing work as for a grey image."""
    from pydicom.pixels.processing import apply_color_lut

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            colours = np.asarray(apply_color_lut(np.clip(domain, 0, None).astype(dtype), ds))
    except Exception as exc:
        raise ImageLoadError(
            f"{path}: PALETTE COLOR image without a readable colour palette ({first_line(exc)})"
        ) from None
    return np.asarray(_luminance(colours.astype(np.float64)), dtype=np.float64)


def _int(ds: Any, keyword: str, default: int, path: Path) -> int:
    try:
        raw = ds.get(keyword)
    except Exception:
        raw = "?"
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ImageLoadError(f"{path}: DICOM {keyword} is not a whole number ({raw!r})") from None


def _luminance(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    rgb = array[..., :3].astype(np.float64)
    grey = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    if np.issubdtype(array.dtype, np.integer):
        return np.rint(grey).astype(array.dtype)
    return grey


def _indices(array: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """Stored values as unsigned table indices, and the stored value of every index."""
    if not array.dtype.isnative:  # big-endian files read as a view keep their byte order
        array = array.astype(array.dtype.newbyteorder("="))
    if array.dtype == np.uint8:
        return array, np.arange(256, dtype=np.int64)
    if array.dtype == np.uint16:
        return array, np.arange(65536, dtype=np.int64)
    if array.dtype in (np.int8, np.int16):
        offset = 128 if array.dtype == np.int8 else 32768
        size = 256 if array.dtype == np.int8 else 65536
        unsigned = (array.astype(np.int32) + offset).astype(np.uint8 if size == 256 else np.uint16)
        return unsigned, np.arange(size, dtype=np.int64) - offset
    # 32-bit or float data: squeeze into 16 bits linearly; the table maps each index back.
    index, low, span = squeeze_to_uint16(array)
    return index, (np.arange(65536, dtype=np.float64) / 65535.0 * span + low).astype(np.int64)


def _without_unused_bits(domain: npt.NDArray[np.int64], bits: int, *, signed: bool) -> npt.NDArray[np.int64]:
    """The value each raw container value stands for when only its low ``bits`` count (PS3.5
    8.1.1: the other bits may hold anything), two's complement when ``signed``."""
    low = domain & ((1 << bits) - 1)
    if signed:
        low = np.where(low >= 1 << (bits - 1), low - (1 << bits), low)
    return low


def _voi(
    ds: Any,
    values: npt.NDArray[np.float64],
    stored: npt.NDArray[Any],
    domain: npt.NDArray[np.int64],
    notices: list[str],
) -> tuple[Window, npt.NDArray[np.uint8] | None]:
    window: Window | None = None
    centre, width = ds.get("WindowCenter"), ds.get("WindowWidth")
    try:
        if centre is not None and width is not None:
            c = float(centre[0] if _multi(centre) else centre)
            w = float(width[0] if _multi(width) else width)
            if w > 0 and np.isfinite(c) and np.isfinite(w):
                window = Window(c, w)
    except (TypeError, ValueError, IndexError):
        notices.append("the file's window centre/width is unreadable: using the image's range")
    if window is None:
        window = percentile_window(values, stored)
    function = str(ds.get("VOILUTFunction", "LINEAR") or "LINEAR").upper()
    if "VOILUTSequence" in ds or function != "LINEAR":
        try:
            mapped = np.asarray(apply_voi_lut(values.copy(), ds, prefer_lut=True), dtype=np.float64)
            low, high = float(mapped.min()), float(mapped.max())
            if high > low:
                table = np.rint((mapped - low) / (high - low) * 255.0).astype(np.uint8)
                return window, table
        except Exception:
            notices.append("the file's VOI LUT could not be applied: using a linear window")
    return window, None


def _multi(value: Any) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str | bytes)


def _patient(ds: Any) -> dict[str, str]:
    found = {}
    for key, keyword in (("name", "PatientName"), ("id", "PatientID"), ("age", "PatientAge"),
                         ("sex", "PatientSex")):
        value = ds.get(keyword)
        if value not in (None, ""):
            found[key] = str(value)
    return found
