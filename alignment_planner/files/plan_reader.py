"""Plan file v1: read with strict validation, write atomically (contract.md §2).

Every error names the file and the field (``landmarks.L3.ant_sup: expected two finite numbers, got
"abc"``). Unknown optional keys are kept and written back. A newer ``version`` is refused.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.anatomy.levels import (
    LEVEL_INDEX,
    LEVEL_LIST_TEXT,
    describe_bad_disc,
    looks_like_level,
    parse_disc,
)
from alignment_planner.calibration.spacing import PixelSpacing, plausible_spacing, spacing_range_text
from alignment_planner.errors import (
    PlanFileError,
    PlanValidationError,
    UnsupportedPlanVersion,
)
from alignment_planner.files.annotation_fields import InvalidAnnotation, read_annotations
from alignment_planner.files.plan_writer import (
    VERTEBRA_KEYS,
    describe_value,
)
from alignment_planner.files.procedure_reader import ProcedureFieldError, read_procedure
from alignment_planner.plan.model import (
    PLAN_FORMAT,
    PLAN_VERSION,
    Compensation,
    ImageRef,
    Osteotomy,
    Patient,
    Plan,
    Procedure,
)
from alignment_planner.procedures.compensation import COMPENSATION_MODELS, IDEAL_PT_FORMULAS, PT_DEG_RANGE
from alignment_planner.procedures.personal_compensation import settings_problem
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.safety.quoting import PATH_LIMIT, quoted
from alignment_planner.safety.safe_open import MAX_PLAN_BYTES, UnsafeInputError, read_regular

_HEX = frozenset("0123456789abcdefABCDEF")


class _Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- reading -----------------------------------------------------------------------------------


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Read and validate a plan file. Raises ``PlanFileError`` (or a subclass) on any problem."""
    shown = quoted(os.fspath(path), PATH_LIMIT)
    try:
        raw = read_regular(path, MAX_PLAN_BYTES, "plan file")
    except FileNotFoundError:
        raise PlanFileError("no such file", path=shown) from None
    except UnsafeInputError as exc:
        raise PlanFileError(str(exc), path=shown) from None
    except OSError as exc:
        raise PlanFileError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    return parse_plan(raw, source=shown)


def parse_plan(raw: bytes | str, *, source: str = "<plan>") -> Plan:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise PlanFileError(f"not UTF-8 text (byte {exc.start})", path=source) from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=_bounded_int)
    except _Invalid as exc:
        raise PlanValidationError(exc.message, path=source) from None
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", path=source
        ) from None
    except RecursionError:
        raise PlanFileError("not valid JSON: nested too deeply", path=source) from None
    repaired = 0
    if _ESCAPED_SURROGATE.search(text) is not None:
        document, repaired = _repair_surrogates(document)
    try:
        plan = plan_from_dict(document)
    except _Invalid as exc:
        raise PlanValidationError(exc.message, path=source, field=exc.field) from None
    except UnsupportedPlanVersion as exc:
        raise UnsupportedPlanVersion(exc.detail, path=source, field="version") from None
    if repaired:
        note = (
            f"{repaired} broken character(s) in the plan's text (half of a character pair, as left "
            "by a tool that cut an emoji) were replaced by \ufffd so that the plan can be saved"
        )
        plan = replace(plan, read_notes=(*plan.read_notes, note))
    return plan


# Digits of an integer literal: more than any coordinate, count or version needs, and far below
# Python's 4300-digit conversion limit (whose ValueError would otherwise escape as a crash).
MAX_INTEGER_DIGITS = 30
# A JSON escape of a UTF-16 surrogate; only then can the document hold a lone one.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _bounded_int(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _Invalid("", f"an integer with {digits} digits: no field of a plan holds such a number")
    return int(literal)


def _repair_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` with every lone UTF-16 surrogate (which no UTF-8 writer can encode) replaced by
    U+FFFD, and how many were replaced. Valid pairs were already joined by the JSON decoder."""
    if isinstance(value, str):
        fixed = _LONE_SURROGATE.sub("\ufffd", value)
        return fixed, (len(_LONE_SURROGATE.findall(value)) if fixed != value else 0)
    if isinstance(value, list):
        items = [_repair_surrogates(v) for v in value]
        return [v for v, _n in items], sum(n for _v, n in items)
    if isinstance(value, dict):
        total = 0
        result = {}
        for key, item in value.items():
            new_key, n_key = _repair_surrogates(key)
            new_item, n_item = _repair_surrogates(item)
            result[new_key] = new_item
            total += n_key + n_item
        return result, total
    return value, 0


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Invalid("", f'duplicate key "{key}" in one JSON object')
            seen.add(key)
    return result


def plan_from_dict(document: Any) -> Plan:
    if not isinstance(document, dict):
        raise _Invalid("", f"expected a JSON object at the top level, got {describe_value(document)}")
    if "format" not in document:
        raise _Invalid("format", f'missing; a plan file has "format": "{PLAN_FORMAT}"')
    if document["format"] != PLAN_FORMAT:
        raise _Invalid("format", f'expected "{PLAN_FORMAT}", got {describe_value(document["format"])}')
    _check_version(document.get("version", None), "version" in document)
    if "landmarks" not in document:
        raise _Invalid("landmarks", "missing (required, may be empty: {})")
    known = {"format", "version", "image", "patient", "facing", "landmarks", "osteotomies",
             "procedures", "compensation", "notes", "annotations", "followups"}
    facing = document.get("facing")
    if facing is not None and facing not in ("left", "right"):
        raise _Invalid("facing", f'expected "left" or "right", got {describe_value(facing)}')
    from alignment_planner.files.followup_reader import followups_from  # uses this module's parsers

    notes = document.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise _Invalid("notes", f"expected text, got {describe_value(notes)}")
    try:
        annotations = read_annotations(document.get("annotations"), _point)
    except InvalidAnnotation as exc:
        raise _Invalid(exc.field, exc.message) from None
    return Plan(
        annotations=annotations,
        landmarks=_landmarks(document["landmarks"]),
        image=_image(document.get("image")),
        patient=_patient(document.get("patient")),
        facing=facing,
        osteotomies=_osteotomies(document.get("osteotomies")),
        procedures=_procedures(document.get("procedures")),
        compensation=_compensation(document.get("compensation")),
        notes=notes,
        followups=followups_from(document.get("followups")),
        extra=_extra(document, known),
    )



def _check_version(version: Any, present: bool) -> None:
    if not present:
        raise _Invalid("version", f"missing; this program reads version {PLAN_VERSION}")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _Invalid("version", f"expected a whole number, got {describe_value(version)}")
    if version > PLAN_VERSION:
        raise UnsupportedPlanVersion(
            f"plan format version {version} is newer than this program reads (version "
            f"{PLAN_VERSION}); update alignment-planner to open it"
        )
    if version < 1:
        raise _Invalid("version", f"expected {PLAN_VERSION}, got {version}")


_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


def _extra(obj: Mapping[str, Any], known: set[str] | frozenset[str]) -> Mapping[str, Any]:
    if obj.keys() <= known:
        return _NO_EXTRA
    return MappingProxyType({k: v for k, v in obj.items() if k not in known})


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(field, f"expected an object, got {describe_value(value)}")
    return value


_NUMBER_TYPES = (int, float)  # exactly these: bool is an int subclass but not a coordinate
_isfinite = math.isfinite
# Coordinates are pixels of an image of at most 250 Mpx: ten million pixels off is already far
# outside any film. Beyond some 1e154 a squared distance overflows to inf and measurements turn
# into NaN; a 1e12 px hinge would ask the rod template for 10^8 pages (issue 16).
MAX_COORDINATE = 1e7


def _point(value: Any, field: str, name: str | None = None) -> tuple[float, float]:
    """``[x, y]`` as floats; ``field`` (+ ``.name``) is only formatted when the value is bad, since
    valid plans hold about a hundred points and cohort runs read thousands of plans."""
    if value.__class__ is list and len(value) == 2:
        x, y = value
        if (
            x.__class__ in _NUMBER_TYPES
            and y.__class__ in _NUMBER_TYPES
            and -MAX_COORDINATE <= x <= MAX_COORDINATE
            and -MAX_COORDINATE <= y <= MAX_COORDINATE
        ):
            return (float(x), float(y))
    where = field if name is None else f"{field}.{name}"
    if value.__class__ is list and len(value) == 2 and all(_finite_number(v) for v in value):
        raise _Invalid(
            where,
            f"coordinates are pixels between {-MAX_COORDINATE:.0e} and {MAX_COORDINATE:.0e}, "
            f"got {describe_value(value)}",
        )
    raise _Invalid(where, f"expected two finite numbers [x, y], got {describe_value(value)}")


def _finite_number(value: Any) -> bool:
    return value.__class__ in _NUMBER_TYPES and _isfinite(value)


def _number(value: Any, field: str, *, positive: bool = False) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise _Invalid(field, f"expected a finite number, got {describe_value(value)}")
    if positive and value <= 0:
        raise _Invalid(field, f"expected a number greater than 0, got {describe_value(value)}")
    return float(value)


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(field, f"expected text, got {describe_value(value)}")
    return value


def _landmarks(value: Any) -> Landmarks:
    landmarks = _object(value, "landmarks")
    vertebrae: dict[str, Vertebra] = {}
    heads: tuple[FemoralHead, ...] = ()
    extra: dict[str, Any] = {}
    for key, item in landmarks.items():
        if key == "femoral_heads":
            heads = _femoral_heads(item)
        elif key in LEVEL_INDEX:
            vertebrae[key] = _vertebra(item, key)
        elif looks_like_level(key):
            raise _Invalid(f"landmarks.{key}", f'unknown level "{key}" (levels are {LEVEL_LIST_TEXT})')
        else:
            extra[key] = item
    return make_landmarks(vertebrae, heads, extra)


_VERTEBRA_KEY_SET = frozenset(VERTEBRA_KEYS)


def _vertebra(value: Any, level: str) -> Vertebra:
    if value.__class__ is not dict:
        raise _Invalid(f"landmarks.{level}", f"expected an object, got {describe_value(value)}")
    obj: dict[str, Any] = value
    field = "landmarks." + level
    get = obj.get
    a, b, c, d, e = get("ant_sup"), get("post_sup"), get("post_inf"), get("ant_inf"), get("center")
    return Vertebra(  # positional, in VERTEBRA_KEYS order: the reader's hottest line
        None if a is None else _point(a, field, "ant_sup"),
        None if b is None else _point(b, field, "post_sup"),
        None if c is None else _point(c, field, "post_inf"),
        None if d is None else _point(d, field, "ant_inf"),
        None if e is None else _point(e, field, "center"),
        _extra(obj, _VERTEBRA_KEY_SET),
    )


def _femoral_heads(value: Any) -> tuple[FemoralHead, ...]:
    field = "landmarks.femoral_heads"
    if not isinstance(value, list) or not 1 <= len(value) <= 2:
        raise _Invalid(field, f"expected one or two femoral head centres, got {describe_value(value)}")
    heads = []
    for i, item in enumerate(value):
        item_field = f"{field}[{i}]"
        if isinstance(item, dict):
            if "center" not in item:
                raise _Invalid(item_field, 'missing "center" ([x, y] of the femoral head)')
            center = _point(item["center"], f"{item_field}.center")
            radius = item.get("radius")
            if radius is not None:
                radius = _number(radius, f"{item_field}.radius", positive=True)
            heads.append(FemoralHead(center, radius, True, _extra(item, {"center", "radius"})))
        else:
            heads.append(FemoralHead(_point(item, item_field)))
    return tuple(heads)


def _image(value: Any) -> ImageRef | None:
    if value is None:
        return None
    obj = _object(value, "image")
    sha = _text(obj.get("sha256"), "image.sha256")
    if sha is not None and (len(sha) != 64 or not _HEX.issuperset(sha)):
        raise _Invalid("image.sha256", f"expected 64 hexadecimal digits, got {describe_value(sha)}")
    path = _text(obj.get("path"), "image.path")
    if path is not None and (not path.strip() or "\x00" in path):
        raise _Invalid("image.path", f"expected a file path, got {describe_value(path)}")
    calibration = obj.get("calibration")
    source = detail = None
    calibration_extra: Mapping[str, Any] = MappingProxyType({})
    if calibration is not None:
        cal = _object(calibration, "image.calibration")
        source = _text(cal.get("source"), "image.calibration.source")
        detail = _text(cal.get("detail"), "image.calibration.detail")
        calibration_extra = _extra(cal, {"source", "detail"})
    return ImageRef(
        path=path,
        sha256=sha,
        pixel_spacing=_spacing(obj.get("pixel_spacing_mm")),
        calibration_source=source,
        calibration_detail=detail,
        calibration_extra=calibration_extra,
        extra=_extra(obj, {"path", "sha256", "pixel_spacing_mm", "calibration"}),
    )


def _spacing(value: Any) -> PixelSpacing | None:
    field = "image.pixel_spacing_mm"
    if value is None:
        return None
    if isinstance(value, list):
        if len(value) != 2:
            raise _Invalid(field, f"expected one number or [row, column], got {describe_value(value)}")
        row, column = _spacing_number(value[0], f"{field}[0]"), _spacing_number(value[1], f"{field}[1]")
        return PixelSpacing(row, column)
    return PixelSpacing.isotropic(_spacing_number(value, field))


def _spacing_number(value: Any, field: str) -> float:
    number = _number(value, field, positive=True)
    if not plausible_spacing(number):
        raise _Invalid(field, f"expected {spacing_range_text()}, got {number:g}")
    return number


def _patient(value: Any) -> Patient | None:
    if value is None:
        return None
    obj = _object(value, "patient")
    age = obj.get("age")
    if age is not None:
        age = _number(age, "patient.age")
        if not 0 <= age <= 130:
            raise _Invalid("patient.age", f"expected an age in years (0–130), got {age:g}")
    return Patient(
        id=_text(obj.get("id"), "patient.id"),
        name=_text(obj.get("name"), "patient.name"),
        age=age,
        sex=_text(obj.get("sex"), "patient.sex"),
        extra=_extra(obj, {"id", "name", "age", "sex"}),
    )


def _osteotomies(value: Any) -> tuple[Osteotomy, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid("osteotomies", f"expected a list, got {describe_value(value)}")
    return tuple(_osteotomy(item, f"osteotomies[{i}]") for i, item in enumerate(value))


def _osteotomy(value: Any, field: str) -> Osteotomy:
    obj = _object(value, field)
    kind = obj.get("type")
    if kind not in PROCEDURE_TYPES:
        known = ", ".join(PROCEDURE_TYPES)
        raise _Invalid(f"{field}.type", f"unknown osteotomy type {describe_value(kind)} (known: {known})")
    level = obj.get("level")
    if not isinstance(level, str):
        raise _Invalid(f"{field}.level", f"expected a level name, got {describe_value(level)}")
    if PROCEDURE_TYPES[kind].site == "disc":
        if parse_disc(level) is None:
            raise _Invalid(f"{field}.level", f"{kind} is done at a disc: {describe_bad_disc(level)}")
    elif level not in LEVEL_INDEX:
        raise _Invalid(
            f"{field}.level",
            f"{kind} is done at a vertebra: unknown level {describe_value(level)} "
            f"(levels are {LEVEL_LIST_TEXT})",
        )
    if "angle_deg" not in obj:
        raise _Invalid(f"{field}.angle_deg", "missing (the correction in degrees, + adds lordosis)")
    angle = _number(obj["angle_deg"], f"{field}.angle_deg")
    if not -90.0 < angle < 90.0:
        raise _Invalid(f"{field}.angle_deg", f"expected an angle between −90 and 90°, got {angle:g}")
    hinge = obj.get("hinge")
    return Osteotomy(
        type=kind,
        level=level,
        angle_deg=angle,
        hinge=None if hinge is None else _point(hinge, f"{field}.hinge"),
        extra=_extra(obj, {"type", "level", "angle_deg", "hinge"}),
    )


FUSION_STATUSES = ("existing", "planned")


def _procedures(value: Any) -> tuple[Procedure, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid("procedures", f"expected a list, got {describe_value(value)}")
    result = []
    for i, item in enumerate(value):
        try:
            result.append(read_procedure(_object(item, f"procedures[{i}]"), f"procedures[{i}]"))
        except ProcedureFieldError as exc:
            raise _Invalid(exc.field, exc.message) from None
    return tuple(result)


def _compensation(value: Any) -> Compensation | None:
    if value is None:
        return None
    obj = _object(value, "compensation")
    model = obj.get("model", "none")
    if model not in COMPENSATION_MODELS:
        known = ", ".join(COMPENSATION_MODELS)
        raise _Invalid("compensation.model", f"unknown model {describe_value(model)} (known: {known})")
    if model == "pt_ideal" and "formula" in obj and obj["formula"] not in IDEAL_PT_FORMULAS:
        known = ", ".join(IDEAL_PT_FORMULAS)
        raise _Invalid(
            "compensation.formula", f"unknown formula {describe_value(obj['formula'])} (known: {known})"
        )
    if model == "personal" and (problem := settings_problem(obj)) is not None:
        raise _Invalid(f"compensation.{problem[0]}", problem[1])
    pt = obj.get("pt_deg")
    if model == "pt_target" and pt is None:
        raise _Invalid("compensation.pt_deg", 'missing: "pt_target" needs the target PT in degrees')
    if pt is not None:
        pt = _number(pt, "compensation.pt_deg")
        low, high = PT_DEG_RANGE
        if not low <= pt <= high:
            raise _Invalid(
                "compensation.pt_deg",
                f"{pt:g}° is not a plausible pelvic tilt: give {low:g}…{high:g}° (clinical.md §4.6)",
            )
    if "absolute" in obj and not isinstance(obj["absolute"], bool):
        got = describe_value(obj["absolute"])
        raise _Invalid("compensation.absolute", f"expected true or false, got {got}")
    return Compensation(model=model, pt_deg=pt, extra=_extra(obj, {"model", "pt_deg"}))
