"""``alignment-planner inspect IMAGE [--json]``: what the image loader sees (contract.md §3)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from alignment_planner.imaging import Radiograph, load_radiograph
from alignment_planner.safety.quoting import one_line, printable_path


def inspect_record(label: str, image: Radiograph) -> dict[str, Any]:
    spacing = image.calibration.spacing
    return {
        "path": label,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "bits_stored": image.bits_stored,
        "photometric": image.photometric,
        "modality": image.modality,
        "transfer_syntax": image.transfer_syntax,
        "frames": image.frames,
        "pixel_spacing_mm": spacing.as_list() if spacing else None,
        "calibration": image.calibration_kind,
        # Extensions: the human-readable provenance and any notices.
        "calibration_detail": image.calibration.detail,
        "notices": list(image.notices),
    }


def _syntax_name(uid: str | None) -> str:
    if not uid:
        return "—"
    from pydicom.uid import UID

    name = UID(uid).name
    return f"{name} ({uid})" if name != uid else uid


def run_inspect(args: argparse.Namespace) -> int:
    image = load_radiograph(args.image)
    label = printable_path(args.image)  # a non-UTF-8 name must not break the output
    record = inspect_record(label, image)
    if args.json:
        sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return 0
    spacing = image.calibration.spacing
    lines = [
        f"image: {label}",
        f"format: {image.format}, {image.width}×{image.height} px, {image.bits_stored} bits stored, "
        f"{image.photometric}" + (" (shown inverted: bone white)" if image.invert else ""),
        f"modality: {image.modality or '—'}; transfer syntax: {_syntax_name(image.transfer_syntax)}; "
        f"frames: {image.frames}",
        f"calibration: {image.calibration_kind}"
        + (f", {spacing.describe()} ({image.calibration.detail})" if spacing else
           " (lengths will not be measurable until the image is calibrated)"),
    ]
    # Notices quote the file's own text (a calibration description): one line each, escaped.
    lines.extend(f"notice: {one_line(notice)}" for notice in image.notices)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
