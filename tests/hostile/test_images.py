"""Images that lied (issue 16): codestream bombs behind modest Rows/Columns, TIFF orientation 5–8,
PNG metadata over Pillow's limits, an impossible magnification factor."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.uid import JPEG2000Lossless, JPEGBaseline8Bit, JPEGLSLossless

from alignment_planner.errors import ImageLoadError
from alignment_planner.imaging import load_radiograph
from alignment_planner.imaging.codestream import declared_size
from alignment_planner.synthetic.hostile import (
    JPEG_LS_SOF55,
    codestream_bomb,
    j2k_header,
    jpeg_header,
    png_with_metadata_bomb,
    tiff_with_orientation,
)
from tests.imaging.dicom_factory import write_dicom


def bomb(path: Path, codestream: bytes, syntax: str) -> Path:
    path.write_bytes(codestream_bomb(codestream, syntax))
    return path


@pytest.mark.parametrize(
    ("codestream", "syntax"),
    [
        (jpeg_header(65000, 65000), JPEGBaseline8Bit),
        (jpeg_header(60000, 60000, JPEG_LS_SOF55), JPEGLSLossless),
        (j2k_header(60000, 60000), JPEG2000Lossless),
    ],
)
def test_a_codestream_bomb_is_refused_before_decoding(tmp_path: Path, codestream: bytes, syntax: str) -> None:
    path = bomb(tmp_path / "bomb.dcm", codestream, syntax)
    assert path.stat().st_size < 2000
    started = time.monotonic()
    with pytest.raises(ImageLoadError, match="compressed frame itself claims"):
        load_radiograph(path)
    assert time.monotonic() - started < 5


def test_the_header_readers_agree_with_real_codestreams(tmp_path: Path) -> None:
    pixels = (np.arange(37 * 53) % 251).reshape(37, 53).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    assert declared_size(buffer.getvalue()) == (53, 37)
    path = write_dicom(tmp_path / "j2k.dcm", pixels.astype(np.uint16), compress=True)
    from alignment_planner.imaging.codestream import first_fragment

    assert declared_size(first_fragment(pydicom.dcmread(path).PixelData)) == (53, 37)
    assert load_radiograph(path).stored.shape == (37, 53)  # a real one still opens


def _tiff(pixels: np.ndarray, orientation: int) -> bytes:
    return tiff_with_orientation(pixels, orientation)


# What a viewer shows for each orientation (TIFF 6.0, tag 274): the stored rows turned.
SHOWN = {
    1: lambda a: a, 2: np.fliplr, 3: lambda a: np.rot90(a, 2), 4: np.flipud,
    5: lambda a: a.T, 6: lambda a: np.rot90(a, -1), 7: lambda a: np.rot90(a, 2).T, 8: lambda a: np.rot90(a, 1),
}


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_tiff_orientation_is_applied(tmp_path: Path, orientation: int, dtype: type) -> None:
    stored = (np.arange(40 * 60).reshape(40, 60) * 7 % (255 if dtype is np.uint8 else 65535)).astype(dtype)
    path = tmp_path / "film.tif"
    path.write_bytes(_tiff(stored, orientation))
    shown = load_radiograph(path).stored
    assert np.array_equal(shown, SHOWN[orientation](stored))


@pytest.mark.parametrize("orientation", [5, 6, 8])
def test_anonymised_copy_keeps_the_orientation_applied(tmp_path: Path, orientation: int) -> None:
    from alignment_planner.files.anonymise import write_deidentified_image

    stored = (np.arange(40 * 60).reshape(40, 60) * 7 % 65535).astype(np.uint16)
    path = tmp_path / "film.tif"
    path.write_bytes(_tiff(stored, orientation))
    out = tmp_path / "out"
    out.mkdir()
    copy, _digest = write_deidentified_image(path, out)
    assert np.array_equal(load_radiograph(copy).stored, load_radiograph(path).stored)


@pytest.mark.parametrize("chunk", [b"zTXt", b"iCCP"])
def test_png_metadata_beyond_pillows_limit_is_ignored(tmp_path: Path, chunk: bytes) -> None:
    pixels = (np.arange(30 * 20) % 256).reshape(30, 20).astype(np.uint8)
    path = tmp_path / "film.png"
    path.write_bytes(png_with_metadata_bomb(pixels, chunk))  # 20 MB of text once inflated
    assert np.array_equal(load_radiograph(path).stored, pixels)


def test_a_magnification_below_one_is_refused_with_a_notice(tmp_path: Path) -> None:
    path = write_dicom(
        tmp_path / "m.dcm", np.zeros((16, 16), dtype=np.uint16),
        ImagerPixelSpacing=[0.2, 0.2], EstimatedRadiographicMagnificationFactor=0.5,
    )
    radiograph = load_radiograph(path)
    assert radiograph.calibration.spacing is not None
    assert radiograph.calibration.spacing.row == pytest.approx(0.2)  # not 0.4: lengths not doubled
    assert any("below 1" in notice for notice in radiograph.notices)
    fallback = write_dicom(
        tmp_path / "f.dcm", np.zeros((16, 16), dtype=np.uint16), ImagerPixelSpacing=[0.2, 0.2],
        EstimatedRadiographicMagnificationFactor=0.5, DistanceSourceToDetector=1800.0,
        DistanceSourceToPatient=1500.0,
    )
    spacing = load_radiograph(fallback).calibration.spacing
    assert spacing is not None and spacing.row == pytest.approx(0.2 / 1.2)
