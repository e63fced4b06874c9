"""Fuzzing the loaders and the pipeline (issue 8 §3): generators shared by the test suite (a few
hundred cases per run) and by this script's long run.

Every generated plan goes through ``parse_plan``, then ``analyze``, ``measure``'s records,
``solve`` and the planner's trial engine; every mutated image through ``load_radiograph``. Only
the documented error types may come out: ``PlanFileError`` from the reader, ``ProcedureError``
from the solver, ``ImageLoadError`` from the image loader; anything else is a finding. Since
issue 16 the seeds include hostile cases (``alignment_planner.synthetic.hostile``): 5000-digit
integers, coordinates beyond 1e155, lone surrogates, newlines and 2 MB in names; codestream bombs
(JPEG, JPEG-LS, J2K), TIFFs of every orientation, PNG metadata bombs; and FIFOs and devices as
plan and image, which must be refused within seconds. A repaired plan must also save, and every
refusal message must stay one short line.

    python tools/fuzz_inputs.py [--plans 10000] [--images 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment_planner.analysis.pipeline import analyze  # noqa: E402
from alignment_planner.errors import ImageLoadError, PlanFileError, ProcedureError  # noqa: E402
from alignment_planner.files.plan_reader import parse_plan, read_plan  # noqa: E402
from alignment_planner.files.plan_writer import write_plan  # noqa: E402
from alignment_planner.imaging import load_radiograph  # noqa: E402
from alignment_planner.output.drawn import annotation_records  # noqa: E402
from alignment_planner.output.records import csv_row, json_record  # noqa: E402
from alignment_planner.planning.solve import solve  # noqa: E402
from alignment_planner.safety.quoting import one_line  # noqa: E402
from alignment_planner.scene.planned_annotations import annotation_values  # noqa: E402
from alignment_planner.synthetic.hostile import (  # noqa: E402
    JPEG_LS_SOF55,
    codestream_bomb,
    hostile_plan_text,
    j2k_header,
    jpeg_header,
    png_with_metadata_bomb,
    tiff_with_orientation,
)

SPECIAL_FILE_SECONDS = 5.0
SAMPLE_PLAN = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"
SAMPLE_IMAGE = ROOT / "sample_cases" / "flatback_pso" / "image.dcm"
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    "",
    "L3",
    "x" * 300,
    [],
    {},
    [1],
    [1, 2, 3],
    [float("nan"), 1],
    ["1", "2"],
    {"center": [1, 2]},
    2**70,
    -0.0,
    "T12-L1",
    "L1-L3",
]
LEVEL_KEYS = ["C2", "C7", "T1", "T4", "T12", "L1", "L3", "L4", "L5", "S1", "X9", "", "femoral_heads"]


def mutate_plan(rng: random.Random, base: dict[str, Any]) -> bytes:
    """A plan document with a few random changes, or random bytes around a valid one."""
    doc = copy.deepcopy(base)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if choice < 0.35:  # change a landmark coordinate or a whole vertebra
            level = rng.choice(LEVEL_KEYS)
            if rng.random() < 0.5 and isinstance(doc.get("landmarks"), dict):
                vertebra = doc["landmarks"].setdefault(level, {})
                if isinstance(vertebra, dict):
                    vertebra[rng.choice(["ant_sup", "post_sup", "post_inf", "ant_inf", "center", "odd"])] = (
                        rng.choice(ODD_VALUES)
                        if rng.random() < 0.5
                        else [rng.uniform(-1e4, 1e4), rng.uniform(-1e4, 1e4)]
                    )
            elif isinstance(doc.get("landmarks"), dict):
                doc["landmarks"][level] = rng.choice(ODD_VALUES)
        elif choice < 0.55:  # osteotomies
            doc["osteotomies"] = [
                {
                    "type": rng.choice(["PSO", "SPO", "ACR", "VCR", "EPSO", "KYPHOPLASTY", "INTERBODY", "X"]),
                    "level": rng.choice(["L3", "L4-L5", "T12-L1", "L1-L3", "S1", "C2", "L9", 3]),
                    "angle_deg": rng.choice([rng.uniform(-89, 89), *ODD_VALUES[:8]]),
                    **({"hinge": rng.choice(ODD_VALUES)} if rng.random() < 0.2 else {}),
                }
                for _ in range(rng.randint(0, 3))
            ]
        elif choice < 0.7:  # compensation, image, facing, patient
            key = rng.choice(
                ["compensation", "image", "facing", "patient", "version", "format", "procedures"]
            )
            doc[key] = rng.choice(
                [
                    *ODD_VALUES,
                    {
                        "model": rng.choice(["none", "pt_target", "pt_ideal", "yamato2016", "?"]),
                        "pt_deg": rng.choice(ODD_VALUES),
                    },
                    {"pixel_spacing_mm": rng.choice(ODD_VALUES)},
                ]
            )
        elif choice < 0.75:  # free measurements (contract.md §4.2), sometimes broken
            doc["annotations"] = [_annotation(rng) for _ in range(rng.randint(0, 4))]
            if rng.random() < 0.1:
                doc["annotations"] = rng.choice(ODD_VALUES)
        elif choice < 0.8:
            doc.pop(rng.choice(list(doc) or ["x"]), None)
        else:  # move points wildly, e.g. duplicate corners (zero-length endplates)
            landmarks = doc.get("landmarks")
            if isinstance(landmarks, dict):
                for value in landmarks.values():
                    if isinstance(value, dict) and "ant_sup" in value and rng.random() < 0.3:
                        value["post_sup"] = copy.deepcopy(value["ant_sup"])
    text = json.dumps(doc, allow_nan=True)
    if rng.random() < 0.15:  # issue 16: huge integers and coordinates, surrogates, long names
        text = hostile_plan_text(rng, text)
    if rng.random() < 0.1:  # damage the text itself
        position = rng.randrange(len(text))
        text = text[:position] + rng.choice(["", "}", "\x00", "ÿ", "[[[[", '"']) + text[position + 1 :]
    return text.encode("utf-8", "surrogatepass")


def _annotation(rng: random.Random) -> Any:
    def point() -> Any:
        roll = rng.random()
        if roll < 0.1:
            return rng.choice(ODD_VALUES)
        if roll < 0.2:  # valid JSON numbers no film has: overflow in millimetres
            return [rng.choice([1e308, -1e308, 1e-300]), rng.uniform(-1e4, 1e4)]
        return [rng.uniform(-1e4, 1e4), rng.uniform(-1e4, 1e4)] if roll < 0.9 else [5.0, 5.0]

    kind = rng.choice(["distance", "angle", "cobb", "vertical", "horizontal", "text", "arrow", "x", 3])
    item: dict[str, Any] = {"type": kind}
    if kind == "cobb":
        item["lines"] = [[point(), point()] for _ in range(rng.choice([2, 2, 2, 1, 3]))]
    elif kind == "text":
        item["at"] = point()
        item["text"] = rng.choice(["note", "", 3, None])
    else:
        item["points"] = [point() for _ in range(rng.randint(0, 4))]
    if rng.random() < 0.3:
        item["label"] = rng.choice(["L3", "", 7, None])
    return item


def check_plan(raw: bytes) -> str:
    """Run one plan through everything; returns what happened ("ok", "rejected", …)."""
    try:
        plan = parse_plan(raw, source="fuzz")
    except PlanFileError as exc:
        message = one_line(f"error: {exc}")
        assert "\n" not in message and len(message) <= 700, message[:200]
        message.encode("utf-8")
        return "rejected"
    with tempfile.TemporaryDirectory() as folder:
        write_plan(plan, Path(folder) / "saved.plan.json")  # what was read (and repaired) saves
    analysis = analyze(plan)
    json.dumps(json_record("fuzz", plan, analysis), allow_nan=False, default=str)
    csv_row("fuzz", plan, analysis)
    json.dumps(annotation_records(annotation_values(plan, analysis)), allow_nan=False)
    try:
        solve(plan, "PSO", "L3", "TPA", 10.0)
    except ProcedureError:
        return "measured"
    return "solved"


def mutate_image(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        if kind < 0.5 and out:
            position = rng.randrange(len(out))
            out[position] = rng.randrange(256)
        elif kind < 0.7:
            out = out[: rng.randrange(len(out) + 1)]
        elif kind < 0.85 and out:
            position = rng.randrange(len(out))
            out[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif out:
            start = rng.randrange(len(out))
            del out[start : start + rng.randint(1, 64)]
    return bytes(out)


def check_image(data: bytes, folder: Path, suffix: str) -> str:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        image = load_radiograph(path)
    except ImageLoadError:
        return "rejected"
    assert image.stored.ndim == 2 and image.value_table.size > 0
    assert all(math.isfinite(v) for v in image.value_range)
    return "opened"


def image_seeds() -> list[tuple[bytes, str]]:
    """Small real files: the sample film's header region, pydicom's bundled test files, a PNG."""
    import io

    import numpy as np
    from PIL import Image
    from pydicom.data import get_testdata_file

    seeds = [(SAMPLE_IMAGE.read_bytes(), ".dcm")]
    for name in (
        "MR_small.dcm",
        "CT_small.dcm",
        "MR_small_RLE.dcm",
        "JPEG2000.dcm",
        "rtplan.dcm",
    ):
        found = get_testdata_file(name, download=False)  # bundled with pydicom: nothing fetched
        if found:
            seeds.append((Path(found).read_bytes(), ".dcm"))
    # Real files of the pydicom-data package (a test extra, installed from PyPI; never downloaded
    # here): palette colour, big-endian, RLE, JPEG-LS, JPEG 2000 and YBR encodings.
    try:
        import data_store

        real = Path(data_store.__file__).parent / "data"
        for name in (
            "OBXXXX1A_rle.dcm",
            "emri_small_big_endian.dcm",
            "emri_small_jpeg_ls_lossless.dcm",
            "emri_small_jpeg_2k_lossless.dcm",
            "SC_ybr_full_uncompressed.dcm",
            "OT-PAL-8-face.dcm",
        ):
            if (real / name).is_file():
                seeds.append(((real / name).read_bytes(), ".dcm"))
    except ImportError:
        pass
    buffer = io.BytesIO()
    Image.fromarray((np.arange(32 * 48).reshape(48, 32) * 40 % 65535).astype(np.uint16)).save(
        buffer, format="PNG"
    )
    seeds.append((buffer.getvalue(), ".png"))
    return seeds + hostile_image_seeds()


def hostile_image_seeds() -> list[tuple[bytes, str]]:
    """Issue 16: files that lie about their size, or that Pillow turned wrongly."""
    import numpy as np
    from pydicom.uid import JPEG2000Lossless, JPEGBaseline8Bit, JPEGLSLossless

    grey = (np.arange(40 * 60).reshape(40, 60) * 7 % 65535).astype(np.uint16)
    seeds = [
        (codestream_bomb(jpeg_header(65000, 65000), JPEGBaseline8Bit), ".dcm"),
        (codestream_bomb(jpeg_header(60000, 60000, JPEG_LS_SOF55), JPEGLSLossless), ".dcm"),
        (codestream_bomb(j2k_header(60000, 60000), JPEG2000Lossless), ".dcm"),
        (png_with_metadata_bomb((grey % 256).astype(np.uint8), b"zTXt", 2_000_000), ".png"),
        (png_with_metadata_bomb((grey % 256).astype(np.uint8), b"iCCP", 2_000_000), ".png"),
    ]
    seeds += [(tiff_with_orientation(grey, orientation), ".tif") for orientation in range(1, 9)]
    return seeds


def check_special_files(folder: Path) -> tuple[int, list[str]]:
    """FIFOs and devices as plan and image: refused (not hung, not read to exhaustion) within
    ``SPECIAL_FILE_SECONDS`` each. Returns how many readings were tried, and the findings."""
    findings = []
    specials = [Path(p) for p in ("/dev/zero", "/dev/urandom", "/dev/null") if Path(p).exists()]
    if hasattr(os, "mkfifo"):
        for name in ("fifo.plan.json", "fifo.dcm", "fifo.png"):
            os.mkfifo(folder / name)
            specials.append(folder / name)
    for special in specials:
        for reader, refusal in ((read_plan, PlanFileError), (load_radiograph, ImageLoadError)):
            started = time.monotonic()
            try:
                reader(special)
                findings.append(f"{special}: {reader.__name__} accepted it")
            except refusal:
                pass
            except Exception as exc:
                findings.append(f"{special}: {reader.__name__}: {type(exc).__name__}: {exc}")
            if time.monotonic() - started > SPECIAL_FILE_SECONDS:
                findings.append(f"{special}: {reader.__name__} took {time.monotonic() - started:.1f} s")
    return 2 * len(specials), findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = json.loads(SAMPLE_PLAN.read_text())
    outcomes: dict[str, int] = {}
    findings: list[str] = []
    start = time.perf_counter()
    for index in range(args.plans):
        raw = mutate_plan(rng, base)
        try:
            outcome = check_plan(raw)
        except Exception as exc:  # a finding: report it, keep going
            outcome = "FINDING"
            findings.append(f"plan {index}: {type(exc).__name__}: {exc} :: {raw[:200]!r}")
        outcomes[f"plan {outcome}"] = outcomes.get(f"plan {outcome}", 0) + 1
    seeds = image_seeds()
    with tempfile.TemporaryDirectory() as folder:
        tried, special_findings = check_special_files(Path(folder))
        findings += special_findings
        outcomes["special files refused"] = tried - len(special_findings)
        for index in range(args.images):
            data, suffix = seeds[index % len(seeds)]
            mutated = mutate_image(rng, data)
            try:
                outcome = check_image(mutated, Path(folder), suffix)
            except Exception as exc:
                outcome = "FINDING"
                findings.append(f"image {index} ({suffix}): {type(exc).__name__}: {exc}")
            outcomes[f"image {outcome}"] = outcomes.get(f"image {outcome}", 0) + 1
    result = {
        "plans": args.plans,
        "images": args.images,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - start, 1),
        "outcomes": outcomes,
        "findings": findings[:50],
    }
    print(json.dumps(result, indent=2))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
