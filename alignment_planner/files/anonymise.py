"""Export an anonymised plan (issue 8 §5, issue 16, contract.md §4.7): the plan without patient
identifiers or free text, and a de-identified copy of its image named by its own sha256.

Removed from the plan: the patient's name, ID and birth date, the notes, the calibration's
free-text detail, and every unknown key at any depth (the reader keeps unknown keys for
round-trip; they may hold anything, such as a name in a key a hospital script added). Kept: age
(capped at 90: ages above 89 identify) and sex, which the classifications use, everything
geometric, and the catalogue keys of procedures whose values are not free text. Of the
measurements drawn on the film, the geometry stays and the words go (labels, notes; a text note
entirely).
The image copy: DICOM de-identified by the PS3.15 Basic Profile (``deidentify_dicom``); PNG, JPEG
and TIFF re-encoded as PNG from the pixels alone, with their orientation applied (the landmarks
are on the oriented image) and no text, EXIF or colour profile.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.errors import ImageLoadError, OutputWriteError
from alignment_planner.files.atomic import sync_folder
from alignment_planner.files.deidentify_dicom import deidentify_dicom
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.plan.model import Annotation, Compensation, ImageRef, Patient, Plan, Procedure
from alignment_planner.procedures.catalogue import CATALOGUE
from alignment_planner.safety.quoting import PATH_LIMIT, quoted
from alignment_planner.safety.safe_open import MAX_IMAGE_BYTES, UnsafeInputError, open_regular

MAX_AGE = 90.0
# Catalogue keys of procedures (contract.md §4.8) kept when their values are words, levels,
# numbers or lists of these: the clinical content, not free text.
PROCEDURE_KEYS = frozenset(option.key for entry in CATALOGUE.values() for option in entry.options)
OTHER_PROCEDURE = "other"
"""What a free-text procedure type (not a catalogue key, not one word) becomes: it may name
people or places."""
COMPENSATION_KEYS = frozenset({"formula"})
_WORD = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
_NOTHING: Mapping[str, Any] = MappingProxyType({})


def anonymised_plan(plan: Plan, image_name: str | None, image_sha256: str | None) -> Plan:
    patient = None
    if plan.patient is not None and (plan.patient.age is not None or plan.patient.sex):
        age = None if plan.patient.age is None else min(float(plan.patient.age), MAX_AGE)
        sex = plan.patient.sex if plan.patient.sex and _WORD.match(plan.patient.sex) else None
        patient = Patient(age=age, sex=sex)
    return replace(
        plan,
        landmarks=_landmarks(plan.landmarks),
        patient=patient,
        image=_image(plan.image, image_name, image_sha256),
        osteotomies=tuple(replace(o, extra=_NOTHING) for o in plan.osteotomies),
        procedures=tuple(_procedure(p) for p in plan.procedures),
        compensation=_compensation(plan.compensation),
        notes=None,
        extra=_NOTHING,
        read_notes=(),
        annotations=_annotations_without_text(plan.annotations),
    )


def without_drawn_free_text(plan: Plan) -> Plan:
    """The plan with its drawn measurements unlabelled and its text notes left out: what an
    anonymous report may show of them (contract.md §4.7: no free text), the geometry unchanged."""
    return replace(plan, annotations=_annotations_without_text(plan.annotations))


def _annotations_without_text(annotations: tuple[Annotation, ...]) -> tuple[Annotation, ...]:
    return tuple(replace(a, label=None, text=None, extra=_NOTHING) for a in annotations if a.type != "text")


def _landmarks(landmarks: Landmarks) -> Landmarks:
    vertebrae = {level: v._replace(extra=_NOTHING) for level, v in landmarks.vertebrae.items()}
    heads = tuple(replace(h, extra=_NOTHING) for h in landmarks.femoral_heads)
    return replace(landmarks, vertebrae=MappingProxyType(vertebrae), femoral_heads=heads, extra=_NOTHING)


def _image(image: ImageRef | None, name: str | None, sha256: str | None) -> ImageRef | None:
    if image is None:
        return None
    source = image.calibration_source
    return replace(
        image,
        path=name,
        sha256=sha256,
        calibration_source=source if source and _WORD.match(source) else None,
        calibration_detail=None,
        calibration_extra=_NOTHING,
        extra=_NOTHING,
    )


def _procedure(procedure: Procedure) -> Procedure:
    kept = {k: v for k, v in procedure.extra.items() if k in PROCEDURE_KEYS and _not_free_text(v)}
    kind = procedure.type if _not_free_text(procedure.type) else OTHER_PROCEDURE
    return replace(procedure, type=kind, extra=MappingProxyType(kept))


def _compensation(compensation: Compensation | None) -> Compensation | None:
    if compensation is None:
        return None
    kept = {k: v for k, v in compensation.extra.items() if k in COMPENSATION_KEYS and _not_free_text(v)}
    return replace(compensation, extra=MappingProxyType(kept))


def _not_free_text(value: Any) -> bool:
    if isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        return _WORD.match(value) is not None
    if isinstance(value, list):
        return len(value) <= 32 and all(isinstance(v, str) and _WORD.match(v) for v in value)
    return False


def export_anonymised(
    plan: Plan, image_path: Path | None, folder: Path, name: str
) -> tuple[Path, Path | None]:
    """Write ``<name>.plan.json`` and the de-identified image into ``folder``; returns both paths.
    Raises ``OutputWriteError`` or ``ImageLoadError``; a failure leaves no partial file."""
    image_out: Path | None = None
    digest: str | None = None
    if image_path is not None and plan.image is not None:
        image_out, digest = write_deidentified_image(image_path, folder)
    target = folder / f"{name}.plan.json"
    anonymous = anonymised_plan(plan, image_out.name if image_out else None, digest)
    try:
        write_plan(anonymous, target)
    except Exception:
        if image_out is not None:
            image_out.unlink(missing_ok=True)
        raise
    return target, image_out


def write_deidentified_image(source: Path, folder: Path) -> tuple[Path, str]:
    shown = quoted(str(source), PATH_LIMIT)
    try:
        with open_regular(source, MAX_IMAGE_BYTES, "image") as stream:
            head = stream.read(132)
    except FileNotFoundError:
        raise ImageLoadError(f"{shown}: no such image to copy") from None
    except UnsafeInputError as exc:
        raise ImageLoadError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise ImageLoadError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not head:
        raise ImageLoadError(f"{shown}: the image is empty (0 bytes)")
    is_dicom = head[128:132] == b"DICM" or source.suffix.lower() in (".dcm", ".dicom")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".anon-", suffix=".tmp")
    except OSError as exc:
        raise OutputWriteError(f"cannot write here: {exc.strerror or exc}", path=str(folder)) from None
    os.close(handle)
    temp = Path(temporary)
    try:
        if is_dicom:
            deidentify_dicom(source, temp)
            suffix = ".dcm"
        else:
            _raster_copy(source, temp)
            suffix = ".png"
        with temp.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        final = folder / f"{digest}{suffix}"
        os.replace(temp, final)
        sync_folder(folder)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        detail = f"cannot write the image copy: {exc.strerror or exc}"
        raise OutputWriteError(detail, path=str(folder)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return final, digest


def _raster_copy(source: Path, target: Path) -> None:
    from PIL import Image

    from alignment_planner.imaging.orientation import open_oriented
    from alignment_planner.imaging.raster_source import open_raster

    try:
        with Image.open(open_raster(source)) as image:
            oriented, _orientation = open_oriented(image)
            # The pixels alone: a new image has no info dict, text chunks or EXIF to carry over.
            clean = Image.frombytes(oriented.mode, oriented.size, oriented.tobytes())
            palette = oriented.getpalette() if oriented.mode == "P" else None
            if palette:
                clean.putpalette(palette)
    except Exception as exc:
        raise ImageLoadError(
            f"{quoted(str(source), PATH_LIMIT)}: cannot read the image to anonymise it ({quoted(str(exc))})"
        ) from None
    clean.save(target, format="PNG")
