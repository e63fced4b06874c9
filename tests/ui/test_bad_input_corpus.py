"""The bad-input corpus (issue 8 §2): every input below is generated here, fed to the command line
(``inspect`` for images, ``measure`` for plans) and to the GUI's open; each must give one clear
line naming the file and the problem (exit 2), and the GUI must keep what it had open."""

from __future__ import annotations

import copy
import io
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox

from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner_launcher import main
from tests.conftest import SAMPLE_CASES
from tests.ui.conftest import open_and_wait

SAMPLE = SAMPLE_CASES / "flatback_pso" / "flatback_pso.plan.json"
SAMPLE_DCM = SAMPLE_CASES / "flatback_pso" / "image.dcm"


def _png_chunks(
    width: int, height: int, *, depth: int = 8, colour: int = 0, data: bytes = b"\0" * 10
) -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(data))
        + chunk(b"IEND", b"")
    )


def _jpeg_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (8, 8)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    marker = data.index(b"\xff\xc0")  # SOF0: height and width follow the precision byte
    data[marker + 5 : marker + 9] = struct.pack(">HH", 65000, 65000)
    return bytes(data)


def _dicom(tmp: Path, **tags: object) -> bytes:
    path = write_dicom(tmp / "_x.dcm", np.zeros((16, 16), dtype=np.uint16), **tags)
    data = path.read_bytes()
    path.unlink()
    return data


def _dicom_without_pixels(tmp: Path) -> bytes:
    import pydicom

    ds = pydicom.dcmread(SAMPLE_DCM)
    del ds.PixelData
    buffer = io.BytesIO()
    ds.save_as(buffer)
    return buffer.getvalue()


def _dicom_syntax(tmp: Path, uid: bytes) -> bytes:
    """A native file whose meta header claims another transfer syntax of the same UID length
    (so every length in the header stays right: only the claim is false)."""
    data = _dicom(tmp)
    native = b"1.2.840.10008.1.2.1\x00"
    assert native in data and len(uid) == len(native)
    return data.replace(native, uid, 1)


def _dicom_bits(tmp: Path) -> bytes:
    import pydicom

    ds = pydicom.dcmread(io.BytesIO(_dicom(tmp)))
    ds.BitsAllocated = 12  # a container size no decoder knows for these bytes
    buffer = io.BytesIO()
    ds.save_as(buffer)
    return buffer.getvalue()


ImageMaker = Callable[[Path], bytes]
IMAGES: list[tuple[str, ImageMaker, str]] = [
    ("zero.dcm", lambda t: b"", "empty"),
    ("zero.png", lambda t: b"", "empty"),
    ("garbage.dcm", lambda t: b"\x00\x01garbage" * 50, "not a DICOM file"),
    ("truncated-header.dcm", lambda t: SAMPLE_DCM.read_bytes()[:200], "truncated"),
    (
        "truncated-pixels.dcm",
        lambda t: SAMPLE_DCM.read_bytes()[: len(SAMPLE_DCM.read_bytes()) // 2],
        "truncated",
    ),
    ("truncated-native.dcm", lambda t: _dicom(t)[:-100], "less than expected"),
    ("no-pixels.dcm", _dicom_without_pixels, "object without its pixel data"),
    ("rows-zero.dcm", lambda t: _dicom(t, Rows=0), "Rows/Columns"),
    ("bad-bits.dcm", _dicom_bits, "decode"),
    ("fake-rle-syntax.dcm", lambda t: _dicom_syntax(t, b"1.2.840.10008.1.2.5\x00"), "transfer syntax"),
    ("unknown-syntax.dcm", lambda t: _dicom_syntax(t, b"1.2.840.10008.1.2.9\x00"), "transfer syntax"),
    ("text.png", lambda t: b"hello, not an image\n", "not an image"),
    ("text.jpg", lambda t: b"\x00" * 20 + b"text", "not an image"),
    ("html.tif", lambda t: b"<html><body>no</body></html>", "not an image"),
    ("pdf.dcm", lambda t: b"%PDF-1.4\n" + b"x" * 300, "not a DICOM file"),
    ("bomb.png", lambda t: _png_chunks(100_000, 100_000), "100000×100000"),
    ("bomb-wide.png", lambda t: _png_chunks(300_000, 10_000), "300000×10000"),
    ("bomb.jpg", lambda t: _jpeg_bomb(), "65000×65000"),
    ("truncated.png", lambda t: _png_chunks(64, 64)[:40], "truncated"),
    ("bad-idat.png", lambda t: _png_chunks(64, 64, data=b"\x01" * 5), "damaged or truncated"),
    ("zip.png", lambda t: b"PK\x03\x04" + b"\0" * 100, "not an image"),
    ("folder.dcm", lambda t: b"", "folder"),  # made a folder below
]

PlanMaker = Callable[[dict], object]  # type: ignore[type-arg]


def _set(path: list[object], value: object) -> PlanMaker:
    def make(doc: dict) -> object:  # type: ignore[type-arg]
        target = doc
        for key in path[:-1]:
            target = target[key]  # type: ignore[index]
        target[path[-1]] = value  # type: ignore[index]
        return doc

    return make


PLANS: list[tuple[str, PlanMaker | bytes, str]] = [
    ("not-json", b"{this is not json", "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("binary", b"\x89PNG\r\n\x1a\n\0\0", "UTF-8"),
    ("array", b"[1, 2, 3]", "object"),
    ("no-format", lambda d: {k: v for k, v in d.items() if k != "format"}, "format"),
    ("wrong-format", _set(["format"], "something-else"), "format"),
    ("future-version", _set(["version"], 2), "version"),
    ("version-text", _set(["version"], "1"), "version"),
    ("no-landmarks", lambda d: {k: v for k, v in d.items() if k != "landmarks"}, "landmarks"),
    ("landmarks-list", _set(["landmarks"], []), "landmarks"),
    ("point-text", _set(["landmarks", "L3", "ant_sup"], "abc"), "L3.ant_sup"),
    ("point-nan", _set(["landmarks", "L3", "ant_sup"], [float("nan"), 1.0]), "L3.ant_sup"),
    ("point-inf", _set(["landmarks", "L3", "ant_sup"], [float("inf"), 1.0]), "L3.ant_sup"),
    ("point-three", _set(["landmarks", "L3", "ant_sup"], [1.0, 2.0, 3.0]), "L3.ant_sup"),
    ("unknown-level", _set(["landmarks", "L9"], {"ant_sup": [1, 2]}), "L9"),
    ("heads-text", _set(["landmarks", "femoral_heads"], "left"), "femoral_heads"),
    ("three-heads", _set(["landmarks", "femoral_heads"], [[1, 2], [3, 4], [5, 6]]), "femoral_heads"),
    ("spacing-zero", _set(["image", "pixel_spacing_mm"], 0), "pixel_spacing_mm"),
    ("spacing-negative", _set(["image", "pixel_spacing_mm"], -0.2), "pixel_spacing_mm"),
    ("spacing-text", _set(["image", "pixel_spacing_mm"], "0.2mm"), "pixel_spacing_mm"),
    ("osteotomy-level", _set(["osteotomies"], [{"type": "PSO", "level": "L9", "angle_deg": 30}]), "L9"),
    ("osteotomy-disc", _set(["osteotomies"], [{"type": "SPO", "level": "L1-L3", "angle_deg": 10}]), "L1-L3"),
    ("osteotomy-type", _set(["osteotomies"], [{"type": "MAGIC", "level": "L3", "angle_deg": 10}]), "MAGIC"),
    (
        "osteotomy-angle-nan",
        _set(["osteotomies"], [{"type": "PSO", "level": "L3", "angle_deg": float("nan")}]),
        "angle_deg",
    ),
    (
        "osteotomy-angle-huge",
        _set(["osteotomies"], [{"type": "PSO", "level": "L3", "angle_deg": 400}]),
        "angle_deg",
    ),
    ("compensation-model", _set(["compensation"], {"model": "guess"}), "compensation.model"),
    ("compensation-pt", _set(["compensation"], {"model": "pt_target"}), "pt_deg"),
    ("facing", _set(["facing"], "up"), "facing"),
    ("sha-text", _set(["image", "sha256"], "not-hex"), "sha256"),
]


def _write_image(tmp_path: Path, name: str, make: ImageMaker) -> Path:
    path = tmp_path / name
    if name.startswith("folder"):
        path.mkdir()
    else:
        path.write_bytes(make(tmp_path))
    return path


def _write_plan(tmp_path: Path, name: str, make: PlanMaker | bytes) -> Path:
    path = tmp_path / f"{name}.plan.json"
    if isinstance(make, bytes):
        path.write_bytes(make)
    else:
        document = make(copy.deepcopy(json.loads(SAMPLE.read_text())))
        path.write_text(json.dumps(document, allow_nan=True))
    return path


def test_the_corpus_is_large_enough() -> None:
    assert len(IMAGES) + len(PLANS) >= 50


@pytest.mark.parametrize(("name", "make", "words"), IMAGES, ids=[i[0] for i in IMAGES])
def test_bad_images_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, make: ImageMaker, words: str
) -> None:
    path = _write_image(tmp_path, name, make)
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and name in err[0], err
    assert words.lower() in err[0].lower(), err[0]


@pytest.mark.parametrize(("name", "make", "words"), PLANS, ids=[p[0] for p in PLANS])
def test_bad_plans_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, make: PlanMaker | bytes, words: str
) -> None:
    path = _write_plan(tmp_path, name, make)
    assert main(["measure", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and path.name in err[0], err
    assert words in err[0], err[0]


@pytest.mark.gui
@pytest.mark.parametrize(
    ("kind", "name", "make"),
    [("image", n, m) for n, m, _w in IMAGES] + [("plan", n, m) for n, m, _w in PLANS],
    ids=[f"image-{n}" for n, _m, _w in IMAGES] + [f"plan-{n}" for n, _m, _w in PLANS],
)
def test_bad_input_in_the_gui_keeps_the_open_plan(
    qtbot, make_window, tmp_path: Path, kind: str, name: str, make
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE)
    window.controller.nudge("T1.ant_sup", 3, 0)  # unsaved work that must survive
    before = window.controller.plan
    path = _write_image(tmp_path, name, make) if kind == "image" else _write_plan(tmp_path, name, make)
    window.messages.ask_unsaved = lambda: pytest.fail("a bad file must not even ask to discard")  # type: ignore[method-assign]
    if kind == "plan":
        assert not window.files.open_path(path)
    else:
        # Images are decoded off the GUI thread: the document is replaced only once one decodes.
        window.controller.history.mark_saved()
        before = window.controller.plan
        window.files.open_path(path)
        qtbot.waitUntil(lambda: bool(window.problems), timeout=20000)
    window.messages.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    assert window.problems and str(path.name) in window.problems[-1]
    assert window.controller.plan is before
