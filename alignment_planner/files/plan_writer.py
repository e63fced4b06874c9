"""Plan file v1 key names and the plan → JSON document direction (contract.md §2)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from alignment_planner.anatomy.landmarks import VERTEBRA_POINTS, FemoralHead, Landmarks
from alignment_planner.errors import OutputWriteError, PlanFileError
from alignment_planner.files.atomic import write_bytes_atomically
from alignment_planner.plan.model import (
    PLAN_FORMAT,
    PLAN_VERSION,
    Annotation,
    FollowUp,
    ImageRef,
    Plan,
)
from alignment_planner.safety.quoting import PATH_LIMIT, quoted

VERTEBRA_KEYS: tuple[str, ...] = VERTEBRA_POINTS


def describe_value(value: Any, limit: int = 40) -> str:
    """A short JSON-like rendering of a bad value for an error message."""
    if isinstance(value, float) and value != value:
        return "NaN"
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _point(p: tuple[float, float]) -> list[float]:
    return [p[0], p[1]]


def _head(head: FemoralHead) -> Any:
    if not head.written_as_object and head.radius is None and not head.extra:
        return _point(head.center)
    obj: dict[str, Any] = {"center": _point(head.center)}
    if head.radius is not None:
        obj["radius"] = head.radius
    obj.update(head.extra)
    return obj


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON document for ``plan``, unknown keys kept, optional parts only when present."""
    doc: dict[str, Any] = {"format": PLAN_FORMAT, "version": PLAN_VERSION}
    if plan.image is not None:
        doc["image"] = _image(plan.image)
    if plan.patient is not None:
        patient = plan.patient
        pat: dict[str, Any] = {}
        for key in ("id", "name", "age", "sex"):
            value = getattr(patient, key)
            if value is not None:
                pat[key] = int(value) if key == "age" and float(value).is_integer() else value
        pat.update(patient.extra)
        doc["patient"] = pat
    if plan.facing is not None:
        doc["facing"] = plan.facing
    doc["landmarks"] = _landmarks(plan.landmarks)
    if plan.osteotomies:
        items = []
        for o in plan.osteotomies:
            item: dict[str, Any] = {"type": o.type, "level": o.level, "angle_deg": o.angle_deg}
            if o.hinge is not None:
                item["hinge"] = _point(o.hinge)
            item.update(o.extra)
            items.append(item)
        doc["osteotomies"] = items
    if plan.procedures:
        procs = []
        for procedure in plan.procedures:
            proc: dict[str, Any] = {"type": procedure.type}
            for key, value in (
                ("level", procedure.level), ("from", procedure.from_level), ("to", procedure.to_level)
            ):
                if value is not None:
                    proc[key] = value
            proc.update(procedure.extra)
            procs.append(proc)
        doc["procedures"] = procs
    if plan.compensation is not None:
        comp: dict[str, Any] = {"model": plan.compensation.model}
        if plan.compensation.pt_deg is not None:
            comp["pt_deg"] = plan.compensation.pt_deg
        comp.update(plan.compensation.extra)
        doc["compensation"] = comp
    if plan.notes is not None:
        doc["notes"] = plan.notes
    if plan.annotations:
        doc["annotations"] = [_annotation(a) for a in plan.annotations]
    if plan.followups:
        doc["followups"] = [_followup(f) for f in plan.followups]
    doc.update(plan.extra)
    return doc


def _annotation(annotation: Annotation) -> dict[str, Any]:
    item: dict[str, Any] = {"type": annotation.type}
    if annotation.label is not None:
        item["label"] = annotation.label
    p = [[x, y] for x, y in annotation.points]
    if annotation.type == "cobb":
        item["lines"] = [p[0:2], p[2:4]]
    elif annotation.type == "text":
        item["at"] = p[0]
    else:
        item["points"] = p
    if annotation.text is not None:
        item["text"] = annotation.text
    item.update(annotation.extra)
    return item


def _image(image: ImageRef) -> dict[str, Any]:
    img: dict[str, Any] = {}
    if image.path is not None:
        img["path"] = image.path
    if image.sha256 is not None:
        img["sha256"] = image.sha256
    if image.pixel_spacing is not None:
        spacing = image.pixel_spacing
        img["pixel_spacing_mm"] = (
            spacing.row if spacing.written_isotropic and spacing.is_isotropic
            else spacing.as_list()
        )
    if image.calibration_source or image.calibration_detail or image.calibration_extra:
        cal: dict[str, Any] = {}
        if image.calibration_source is not None:
            cal["source"] = image.calibration_source
        if image.calibration_detail is not None:
            cal["detail"] = image.calibration_detail
        cal.update(image.calibration_extra)
        img["calibration"] = cal
    img.update(image.extra)
    return img


def _landmarks(marks: Landmarks) -> dict[str, Any]:
    landmarks: dict[str, Any] = {}
    if marks.femoral_heads:
        landmarks["femoral_heads"] = [_head(h) for h in marks.femoral_heads]
    for level, vertebra in marks.vertebrae.items():
        entry: dict[str, Any] = {}
        for name in VERTEBRA_KEYS:
            p = vertebra.point(name)
            if p is not None:
                entry[name] = _point(p)
        entry.update(vertebra.extra)
        landmarks[level] = entry
    landmarks.update(marks.extra)
    return landmarks


def _followup(followup: FollowUp) -> dict[str, Any]:
    """contract.md §4.3: label, date, image, facing, landmarks (unknown keys kept)."""
    item: dict[str, Any] = {"label": followup.label}
    if followup.date is not None:
        item["date"] = followup.date
    if followup.image is not None:
        item["image"] = _image(followup.image)
    if followup.facing is not None:
        item["facing"] = followup.facing
    item["landmarks"] = _landmarks(followup.landmarks)
    item.update(followup.extra)
    return item


def write_plan(plan: Plan, path: str | os.PathLike[str], *, mode: int | None = None) -> None:
    """Write ``plan`` pretty-printed, atomically: a temporary file in the same folder, then
    ``os.replace``. On failure the previous file is untouched and no temporary file is left.
    ``mode``: the file's permissions (default: as ``write_text_atomically``)."""
    shown = quoted(os.fspath(path), PATH_LIMIT)
    text = json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # A lone surrogate that did not come through the reader (which repairs them): say so
        # rather than fail with a traceback.
        broken = quoted(exc.object[exc.start : exc.end])
        raise PlanFileError(
            f"cannot save: the plan's text holds a broken character ({broken}, half of a "
            "character pair); edit the text that holds it",
            path=shown,
        ) from None
    try:
        write_bytes_atomically(Path(path), data, mode=mode)
    except OutputWriteError as exc:
        raise PlanFileError(exc.detail, path=shown) from None
