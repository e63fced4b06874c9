"""Image loading (issue 3 §1–2): formats, photometric handling, calibration tiers, bad input."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom.data import get_testdata_file

from alignment_planner.errors import ImageLoadError
from alignment_planner.imaging import Window, load_radiograph
from alignment_planner.imaging.windowing import apply_table, display_table, linear_table
from tests.imaging.dicom_factory import write_dicom

RAMP16 = (np.arange(64 * 48, dtype=np.uint16).reshape(64, 48) * 7)


def test_monochrome1_is_shown_with_bone_white(tmp_path: Path) -> None:
    image = load_radiograph(write_dicom(tmp_path / "m1.dcm", RAMP16, photometric="MONOCHROME1",
                                        WindowCenter=10000, WindowWidth=20000))
    assert image.invert and image.photometric == "MONOCHROME1"
    table = display_table(image, None, invert=False)
    assert table[0] == 255 and table[20000] == 0  # low stored value (dense bone in MONO1) is white
    assert display_table(image, None, invert=True)[0] == 0  # the user's invert flips it back


@pytest.mark.parametrize(
    ("tags", "kind", "spacing"),
    [
        ({"PixelSpacing": [0.2, 0.25]}, "pixel-spacing", [0.2, 0.25]),
        ({"PixelSpacing": [0.2, 0.2], "PixelSpacingCalibrationType": "FIDUCIAL"}, "pixel-spacing-fiducial", [0.2, 0.2]),
        ({"PixelSpacing": [0.2, 0.2], "PixelSpacingCalibrationType": "GEOMETRY"}, "pixel-spacing-geometry", [0.2, 0.2]),
        ({"ImagerPixelSpacing": [0.24, 0.24], "EstimatedRadiographicMagnificationFactor": 1.2},
         "imager-spacing-ermf", [0.2, 0.2]),
        ({"ImagerPixelSpacing": [0.3, 0.3], "DistanceSourceToDetector": 1800, "DistanceSourceToPatient": 1500},
         "imager-spacing-ermf", [0.25, 0.25]),
        ({"ImagerPixelSpacing": [0.15, 0.15]}, "imager-spacing", [0.15, 0.15]),
        ({"PixelSpacing": [0, 0]}, "uncalibrated", None),
        ({"PixelSpacing": [1e300, 1e300]}, "uncalibrated", None),  # implausible: treated as absent
        ({"ImagerPixelSpacing": [0.15, 0.15], "EstimatedRadiographicMagnificationFactor": 1e-300},
         "imager-spacing", [0.15, 0.15]),
        ({"PixelSpacing": [-0.1, 0.1], "ImagerPixelSpacing": [0.1, 0.1]}, "imager-spacing", [0.1, 0.1]),
        ({}, "uncalibrated", None),
    ],
)
def test_calibration_tiers(tmp_path: Path, tags: dict[str, object], kind: str, spacing: list[float] | None) -> None:
    image = load_radiograph(write_dicom(tmp_path / "c.dcm", RAMP16, **tags))
    assert image.calibration_kind == kind
    if spacing is None:
        assert image.calibration.spacing is None
    else:
        assert image.calibration.spacing is not None
        assert image.calibration.spacing.as_list() == pytest.approx(spacing)
        assert image.calibration.source == f"dicom-{kind}"
    if kind == "imager-spacing":
        assert any("detector" in n for n in image.notices)


def test_conflicting_spacings_are_noticed(tmp_path: Path) -> None:
    image = load_radiograph(write_dicom(
        tmp_path / "c.dcm", RAMP16, PixelSpacing=[0.2, 0.2], ImagerPixelSpacing=[0.3, 0.3],
        EstimatedRadiographicMagnificationFactor=1.1,
    ))
    assert image.calibration_kind == "pixel-spacing"
    assert any("conflicts" in n for n in image.notices)


def test_signed_data_with_rescale_maps_through_the_modality_lut(tmp_path: Path) -> None:
    pixels = np.array([[-1000, 0], [500, 2000]], dtype=np.int16)
    image = load_radiograph(write_dicom(tmp_path / "s.dcm", pixels, RescaleSlope=2, RescaleIntercept=-10))
    values = image.value_table[image.stored]
    assert values.tolist() == [[-2010.0, -10.0], [990.0, 3990.0]]


def test_unused_high_bits_are_ignored_unsigned(tmp_path: Path) -> None:
    """PS3.5 8.1.1: with BitsStored 12 of 16, bits 12–15 may hold anything (overlays, noise)."""
    true = np.array([[0, 1], [2048, 4095]], dtype=np.uint16)
    garbage = true | np.array([[0xF000, 0x1000], [0xA000, 0x0000]], dtype=np.uint16)
    image = load_radiograph(write_dicom(tmp_path / "u.dcm", garbage, BitsStored=12))
    assert image.value_table[image.stored].tolist() == true.tolist()
    assert image.value_range == (0.0, 4095.0)


def test_unused_high_bits_are_ignored_signed(tmp_path: Path) -> None:
    true = np.array([[-2048, -5], [0, 2047]], dtype=np.int16)
    raw = (true.astype(np.int32) & 0x0FFF) | np.array([[0x7000, 0x1000], [0xF000, 0x0000]])
    garbage = raw.astype(np.uint16).view(np.int16)
    image = load_radiograph(write_dicom(tmp_path / "s12.dcm", garbage, BitsStored=12, RescaleSlope=1, RescaleIntercept=-10))
    assert image.value_table[image.stored].tolist() == (true.astype(float) - 10).tolist()


def test_multi_frame_opens_the_first_frame_with_a_notice(tmp_path: Path) -> None:
    frames = np.stack([RAMP16, RAMP16[::-1]])
    image = load_radiograph(write_dicom(tmp_path / "mf.dcm", frames))
    assert image.frames == 2 and np.array_equal(image.stored, RAMP16)
    assert any("first frame" in n for n in image.notices)


@pytest.mark.parametrize(
    "name", ["MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm"]
)
def test_compressed_transfer_syntaxes_decode_losslessly(name: str) -> None:
    reference = load_radiograph(get_testdata_file("MR_small.dcm"))
    image = load_radiograph(get_testdata_file(name))
    assert np.array_equal(image.value_table[image.stored], reference.value_table[reference.stored])
    assert image.transfer_syntax != reference.transfer_syntax


def test_patient_identifiers_are_read_but_kept_apart(tmp_path: Path) -> None:
    image = load_radiograph(write_dicom(tmp_path / "p.dcm", RAMP16, PatientID="X1", PatientAge="067Y"))
    assert image.patient == {"name": "Test^Patient", "id": "X1", "age": "067Y"}


@pytest.mark.parametrize(("mode", "dtype", "bits"), [("L", np.uint8, 8), ("I;16", np.uint16, 16)])
def test_png_8_and_16_bit(tmp_path: Path, mode: str, dtype: type, bits: int) -> None:
    pixels = (RAMP16 % 256).astype(dtype) if bits == 8 else RAMP16
    path = tmp_path / "x.png"
    Image.fromarray(pixels).save(path)
    assert Image.open(path).mode.startswith(mode)
    image = load_radiograph(path)
    assert image.format == "png" and image.bits_stored == bits
    assert np.array_equal(image.stored, pixels)
    assert image.calibration_kind == "uncalibrated"


def test_jpeg_and_tiff(tmp_path: Path) -> None:
    pixels = (RAMP16 % 256).astype(np.uint8)
    Image.fromarray(pixels).save(tmp_path / "x.jpg", quality=95)
    Image.fromarray(RAMP16).save(tmp_path / "x.tif")
    Image.fromarray(np.dstack([pixels] * 3)).save(tmp_path / "rgb.png")
    assert load_radiograph(tmp_path / "x.jpg").format == "jpeg"
    tiff = load_radiograph(tmp_path / "x.tif")
    assert tiff.format == "tiff" and np.array_equal(tiff.stored, RAMP16)
    rgb = load_radiograph(tmp_path / "rgb.png")
    assert rgb.stored.ndim == 2 and any("grey" in n for n in rgb.notices)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


BAD = [
    ("empty.dcm", b"", "empty (0 bytes)"),
    ("garbage.dcm", b"\x00\x01\x02 this is not dicom" * 10, "not"),
    ("notes.png", b"just some text, not a PNG\n", "not an image this program reads"),
    ("bomb.png", _png_header_only(100_000, 100_000), "100000×100000"),
    ("truncated.png", _png_header_only(64, 64)[:40], "damaged or truncated"),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_give_specific_messages(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImageLoadError) as info:
        load_radiograph(path)
    assert str(info.value).startswith(str(path)) and words in str(info.value)


def test_truncated_and_pixel_less_dicom(tmp_path: Path) -> None:
    good = write_dicom(tmp_path / "g.dcm", RAMP16)
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(good.read_bytes()[:-500])
    with pytest.raises(ImageLoadError, match="cannot decode the pixel data"):
        load_radiograph(cut)
    with pytest.raises(ImageLoadError, match="without pixel data"):
        load_radiograph(get_testdata_file("rtplan.dcm"))
    with pytest.raises(ImageLoadError, match="no such file"):
        load_radiograph(tmp_path / "missing.dcm")


def test_linear_table_follows_the_dicom_formula() -> None:
    values = np.arange(4096, dtype=np.float64)
    table = linear_table(values, Window(center=2048, width=1024), invert=False)
    assert table[2048 - 512] == 0 and table[2048 + 512] == 255
    assert table[2048] == round(((2048 - 2047.5) / 1023 + 0.5) * 255)
    assert (np.diff(table.astype(int)) >= 0).all()


def test_threaded_table_application_equals_plain_indexing() -> None:
    rng = np.random.default_rng(0)
    table = rng.integers(0, 255, size=65536, dtype=np.uint8)
    for shape in ((1500, 700), (2100, 2000)):  # below and above the size handed to threads
        stored = rng.integers(0, 65535, size=shape, dtype=np.uint16)
        assert np.array_equal(apply_table(table, stored), table[stored])
