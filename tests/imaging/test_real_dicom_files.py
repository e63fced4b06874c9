"""Every DICOM file of pydicom-data and of pydicom's own test set (issue 8 §4): it either opens
correctly (size, photometric interpretation, values, calibration provenance, bone white) or is
refused with a message naming the reason; ``inspect --json`` agrees in both cases."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import data_store  # the pydicom-data package (test extra)
import numpy as np
import pydicom
import pydicom.data
import pytest
from pydicom.pixels.processing import apply_color_lut, apply_modality_lut
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from alignment_planner.calibration.spacing import plausible_spacing
from alignment_planner.errors import ImageLoadError
from alignment_planner.imaging import load_radiograph
from alignment_planner.imaging.windowing import display_table
from alignment_planner_launcher import main

ROOTS = {
    "pydicom-data": Path(data_store.__file__).parent / "data",
    "pydicom": Path(pydicom.data.__file__).parent / "test_files",
}
FILES = sorted(
    (f"{label}/{path.relative_to(root)}", path)
    for label, root in ROOTS.items()
    for path in root.rglob("*")
    if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
)

# Why each refused file is refused: the words its message must contain. Every other file must open.
_DIRECTORY = "a DICOMDIR (the index of a DICOM disc or folder)"
_NOT_AN_IMAGE = "not an image:"
_NOT_READ = "not an image this program reads"
_BARE = "without pixel data or image attributes"
REFUSED_BY_NAME = {
    "DICOMDIR": _DIRECTORY, "DICOMDIR-bigEnd": _DIRECTORY, "DICOMDIR-empty.dcm": _DIRECTORY,
    "DICOMDIR-implicit": _DIRECTORY, "DICOMDIR-nooffset": _DIRECTORY, "DICOMDIR-nopatient": _DIRECTORY,
    "DICOMDIR-reordered": _DIRECTORY,
    "ExplVR_BigEndNoMeta.dcm": _NOT_AN_IMAGE, "ExplVR_LitEndNoMeta.dcm": _NOT_AN_IMAGE,
    "reportsi.dcm": _NOT_AN_IMAGE, "reportsi_with_empty_number_tags.dcm": _NOT_AN_IMAGE,
    "rtplan.dcm": _NOT_AN_IMAGE, "rtplan_truncated.dcm": _NOT_AN_IMAGE, "rtstruct.dcm": _NOT_AN_IMAGE,
    "test-SR.dcm": _NOT_AN_IMAGE, "waveform_ecg.dcm": _NOT_AN_IMAGE,
    "JPEG-lossy.dcm": "12-bit precision", "JPGExtended.dcm": "12-bit precision",
    # A delimiter tag sits inside the codestream's SIZ segment, which then claims 3722445056×1024
    # pixels: refused by the codestream check before any decoder runs (issue 16).
    "JPEG2000-embedded-sequence-delimiter.dcm": "the compressed frame itself claims 3722445056×1024",
    "MR_truncated.dcm": "less than expected",
    "emri_small_jpeg_2k_lossless_too_short.dcm": "truncated or damaged",
    "no_meta.dcm": "truncated or damaged",
    "UN_sequence.dcm": _BARE, "empty_charset_LEI.dcm": _BARE, "no_meta_group_length.dcm": _BARE,
    "priv_SQ.dcm": _BARE,
    "badVR.dcm": "NumberOfFrames is not a whole number ('1A')",
    "meta_missing_tsyntax.dcm": "Rows/Columns missing", "nested_priv_SQ.dcm": "Rows/Columns missing",
    "README": _NOT_READ, "README.txt": _NOT_READ, "crayons.icc": _NOT_READ, "rtplan.dump": _NOT_READ,
    "rtstruct.dump": _NOT_READ, "test1.json": _NOT_READ, "test_PN.json": _NOT_READ, "zipMR.gz": _NOT_READ,
}


def _expected_refusal(label: str) -> str | None:
    name = label.rsplit("/", 1)[-1]
    if "/dicomdirtests/" in label and name.startswith("IM0000"):
        return "CT Image Storage object without its pixel data"  # pixel data stripped to keep them small
    return REFUSED_BY_NAME.get(name)


def test_the_sweep_covers_both_sets() -> None:
    counts = {label: sum(1 for name, _ in FILES if name.startswith(label + "/")) for label in ROOTS}
    assert counts["pydicom-data"] >= 60 and counts["pydicom"] >= 150
    known = {label.rsplit("/", 1)[-1] for label, _ in FILES}
    assert set(REFUSED_BY_NAME) <= known  # no stale entries


def _reference(path: Path) -> tuple[Any, np.ndarray]:
    """pydicom's own reading of the first frame, as an independent check."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(path, force=True)
        if "TransferSyntaxUID" not in ds.file_meta:
            implicit, little = ds.original_encoding
            ds.file_meta.TransferSyntaxUID = (
                ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian if little else ExplicitVRBigEndian
            )
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        array = ds.pixel_array if frames == 1 else pydicom.pixels.pixel_array(ds, index=0)
    return ds, array


def _luminance(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.float64)
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


@pytest.mark.parametrize(("label", "path"), FILES, ids=[label for label, _ in FILES])
def test_real_file_opens_correctly_or_is_refused_with_its_reason(
    label: str, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refusal = _expected_refusal(label)
    if refusal is not None:
        with pytest.raises(ImageLoadError) as info:
            load_radiograph(path)
        message = str(info.value)
        assert message.startswith(f"{path}: ") and "\n" not in message and refusal in message
        assert main(["inspect", "--json", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err == f"error: {message}\n"
        return

    image = load_radiograph(path)
    ds, array = _reference(path)
    photometric = str(ds.PhotometricInterpretation).strip().upper()
    assert (image.height, image.width) == (int(ds.Rows), int(ds.Columns)) == image.stored.shape
    assert image.photometric == photometric
    assert image.frames == int(ds.get("NumberOfFrames", 1) or 1)
    shown = image.value_table[image.stored]
    if photometric == "PALETTE COLOR":
        expected, rounding = _luminance(apply_color_lut(array, ds)), 0.0
    elif array.ndim == 3:  # RGB and YBR (pydicom converts YBR to RGB)
        expected, rounding = apply_modality_lut(_luminance(array), ds), 0.5  # luminance kept integer
    else:
        expected, rounding = apply_modality_lut(array, ds).astype(np.float64), 0.0
    # 8/16-bit values are exact; wider or float data is indexed through 65536 levels.
    exact = array.dtype.itemsize <= 2 and array.dtype.kind in "iu"
    tolerance = rounding + 1e-9 + (0 if exact else float(np.ptp(expected)) / 65535 + 1)
    assert np.abs(shown - expected).max() <= tolerance

    # Bone white: MONOCHROME1 stores dense bone as low values, so its lowest value shows brightest.
    table = display_table(image, None, invert=False)
    darkest_value, brightest_value = np.argmin(image.value_table), np.argmax(image.value_table)
    low, high = int(table[darkest_value]), int(table[brightest_value])
    assert image.invert == (photometric == "MONOCHROME1")
    assert (low > high) if image.invert else (low <= high)

    spacing = [float(v) for v in ds.get("PixelSpacing") or []]
    imager = [float(v) for v in ds.get("ImagerPixelSpacing") or []]
    if len(spacing) == 2 and min(spacing) > 0 and not all(plausible_spacing(v) for v in spacing):
        # e.g. SC_rgb_small_odd's 33 mm pixels: not a radiograph's; refused as calibration, said so.
        assert image.calibration_kind == "uncalibrated"
        assert any("implausible" in notice for notice in image.notices)
    elif len(spacing) == 2 and min(spacing) > 0:
        assert image.calibration_kind.startswith("pixel-spacing")
        assert image.calibration.spacing is not None
        assert image.calibration.spacing.as_list() == pytest.approx(spacing)
    elif len(imager) == 2 and min(imager) > 0:
        assert image.calibration_kind.startswith("imager-spacing")
    else:
        assert image.calibration_kind == "uncalibrated" and image.calibration.spacing is None

    assert main(["inspect", "--json", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["format"] == "dicom"
    assert (record["width"], record["height"]) == (int(ds.Columns), int(ds.Rows))
    assert record["photometric"] == photometric and record["frames"] == image.frames
    assert record["transfer_syntax"] == str(ds.file_meta.TransferSyntaxUID)
    assert record["calibration"] == image.calibration_kind
    assert record["pixel_spacing_mm"] == (image.calibration.spacing.as_list() if image.calibration.spacing else None)
