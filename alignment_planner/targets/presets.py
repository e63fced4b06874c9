"""Alignment target presets as data (issue 5 §2): named, versioned, cited JSON files in
``alignment_planner/targets/presets/``, validated when loaded, evaluated for any stage.

A target judges one parameter. Without an ``ideal`` the bands apply to the value itself; with one,
to the value minus the ideal, which is a linear formula (``terms`` × PI, age, TK … plus a
``constant``), a table by age band (``by_age``: ``[upper age (exclusive) or null, value]``) or by
PI class (``by_PI``, optionally ``"plus": "PI"``). ``within`` and ``borderline`` are closed ranges
(``min``/``max``, either open); anything else is outside. Values that a file marks
``"confirmed": false`` are shown as unconfirmed wherever they are used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.measurements import PARAMETERS_BY_KEY, Measurements, reader_label
from alignment_planner.targets.rounding import printed

TARGETS_FORMAT = "alignment-planner-targets"
TARGETS_VERSION = 1
Status = Literal["within", "borderline", "outside", "unknown"]
INPUTS = ("PI", "age", "TK", "LL", "PT")  # what an ideal may depend on


class PresetError(AlignmentPlannerError):
    """A preset file is not valid (names the file and the field)."""


EDGE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Range:
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def contains(self, x: float) -> bool:
        # A value within rounding noise of an edge is on it: a pelvis set to PT 20° by the
        # compensation model comes back as 19.999999999999968 after its rotations.
        for edge in (self.low, self.high):
            if edge is not None and abs(x - edge) <= EDGE_TOLERANCE:
                x = edge
        above = self.low is None or (x > self.low if self.low_open else x >= self.low)
        below = self.high is None or (x < self.high if self.high_open else x <= self.high)
        return above and below

    def describe(self, unit: str, shift: float = 0.0) -> str:
        """The range in absolute terms (``shift`` is the ideal the bounds are relative to)."""
        low = None if self.low is None else self.low + shift
        high = None if self.high is None else self.high + shift
        if low is not None and high is not None:
            return f"{low:.1f}…{high:.1f}{unit}"
        if high is not None:
            return f"{'<' if self.high_open else '≤'} {high:g}{unit}"
        if low is not None:
            return f"{'>' if self.low_open else '≥'} {low:g}{unit}"
        return "any"


@dataclass(frozen=True, slots=True)
class Ideal:
    terms: Mapping[str, float]
    constant: float
    by_age: tuple[tuple[float | None, float], ...] = ()
    by_pi: tuple[tuple[float | None, float], ...] = ()
    plus_pi: bool = False

    def needs(self) -> tuple[str, ...]:
        needed = set(self.terms)
        if self.by_age:
            needed.add("age")
        if self.by_pi or self.plus_pi:
            needed.add("PI")
        return tuple(sorted(needed))

    def value(self, inputs: Mapping[str, float]) -> float:
        if self.by_age:
            return _lookup(self.by_age, inputs["age"])
        base = sum(weight * inputs[name] for name, weight in self.terms.items()) + self.constant
        if self.by_pi:
            base += _lookup(self.by_pi, inputs["PI"]) + (inputs["PI"] if self.plus_pi else 0.0)
        return base


def _lookup(table: Sequence[tuple[float | None, float]], x: float) -> float:
    for upper, value in table:
        if upper is None or x < upper:
            return value
    return table[-1][1]


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    label: str
    within: Range
    borderline: Range
    ideal: Ideal | None
    source: str
    confirmed: bool
    formula_id: str | None = None
    low_source: str = ""
    """Where the lower bound comes from, or "⚙" for an engineering choice (clinical.md §4.7)."""


@dataclass(frozen=True, slots=True)
class Preset:
    id: str
    name: str
    version: str
    citation: str
    note: str
    targets: tuple[Target, ...]
    path: str


@dataclass(frozen=True, slots=True)
class Verdict:
    target: Target
    value: float | None
    ideal: float | None
    status: Status
    threshold: str
    """The rule in words, with this patient's numbers (for tooltips and the report)."""
    reason: str | None = None


def edges(verdict: Verdict) -> tuple[float, ...]:
    """The absolute values where this verdict would change (the bounds of within and borderline)."""
    shift = verdict.ideal or 0.0
    bounds = {
        b + shift
        for r in (verdict.target.within, verdict.target.borderline)
        for b in (r.low, r.high)
        if b is not None
    }
    return tuple(sorted(bounds))


def straddled(verdict: Verdict, band: float | None) -> float | None:
    """The edge that ``value ± band`` crosses, nearest to the value ("could be either side")."""
    if verdict.value is None or band is None or band < 1e-6:  # rounding noise is not a band
        return None
    inside = [e for e in edges(verdict) if abs(e - verdict.value) < band]
    return min(inside, key=lambda e: abs(e - verdict.value)) if inside else None  # type: ignore[operator]


def evaluate(preset: Preset, m: Measurements, age: float | None) -> tuple[Verdict, ...]:
    return tuple(evaluate_target(t, m, age) for t in preset.targets)


def evaluate_target(target: Target, m: Measurements, age: float | None) -> Verdict:
    unit = PARAMETERS_BY_KEY[target.key].symbol
    unit = unit if unit in ("°", "%") else f" {unit}"
    value = m.value(target.key)
    ideal_value: float | None = None
    if target.ideal is not None:
        inputs = {"age": age} if age is not None else {}
        inputs.update({k: v for k in INPUTS if k != "age" and (v := m.value(k)) is not None})
        missing = [name for name in target.ideal.needs() if name not in inputs]
        if missing:
            reason = "needs " + " and ".join("patient age" if n == "age" else n for n in missing)
            return Verdict(target, value, None, "unknown", "", reason)
        ideal_value = target.ideal.value(inputs)
    shift = ideal_value or 0.0
    within, borderline = target.within.describe(unit, shift), target.borderline.describe(unit, shift)
    threshold = f"within {within}; borderline {borderline}"
    if ideal_value is not None:
        threshold = f"ideal {ideal_value:.1f}{unit} ({target.label}): {threshold}"
    if not target.confirmed:
        threshold += " (value not confirmed against the source)"
    if value is None:
        reason = m.values[target.key].reason or "not measurable"
        return Verdict(target, None, ideal_value, "unknown", threshold, reason)
    status: Status = "outside"
    if _judged(target.within, value, shift):
        status = "within"
    elif _judged(target.borderline, value, shift):
        status = "borderline"
    return Verdict(target, value, ideal_value, status, threshold)


def _judged(band: Range, value: float, shift: float) -> bool:
    """The printed value against the printed edges (issue 15 §6: round once)."""
    absolute = Range(
        None if band.low is None else printed(band.low + shift),
        None if band.high is None else printed(band.high + shift),
        band.low_open,
        band.high_open,
    )
    return absolute.contains(printed(value))


# --- loading ---------------------------------------------------------------------------------------


def load_preset(path: str | Path, text: str | None = None) -> Preset:
    """Read and validate one preset file; ``PresetError`` names the file and the field."""
    name = str(path)
    try:
        document = json.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PresetError(f"{name}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise PresetError(f"{name}: not JSON (line {exc.lineno}: {exc.msg})") from None
    obj = _object(document, name, "the file")
    if obj.get("format") != TARGETS_FORMAT:
        raise PresetError(f'{name}: format: expected "{TARGETS_FORMAT}"')
    if obj.get("version") != TARGETS_VERSION:
        raise PresetError(f"{name}: version: this program reads version {TARGETS_VERSION} presets")
    for field in ("id", "name", "citation"):
        if not isinstance(obj.get(field), str) or not obj[field].strip():
            raise PresetError(f"{name}: {field}: expected a non-empty text")
    raw_targets = obj.get("targets")
    if not isinstance(raw_targets, list) or not raw_targets:
        raise PresetError(f"{name}: targets: expected a non-empty list")
    targets = tuple(_target(item, name, f"targets[{i}]") for i, item in enumerate(raw_targets))
    return Preset(
        obj["id"], obj["name"], str(obj.get("preset_version", "1")), obj["citation"],
        str(obj.get("note", "")), targets, name,
    )


def _target(value: Any, name: str, field: str) -> Target:
    obj = _object(value, name, field)
    key = obj.get("key")
    if key not in PARAMETERS_BY_KEY:
        raise PresetError(f"{name}: {field}.key: unknown parameter {key!r}")
    within = _range(obj.get("within"), name, f"{field}.within")
    borderline = _range(obj.get("borderline", obj.get("within")), name, f"{field}.borderline")
    ideal = None if obj.get("ideal") is None else _ideal(obj["ideal"], name, f"{field}.ideal")
    confirmed = obj.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise PresetError(f"{name}: {field}.confirmed: expected true or false")
    low_source = obj.get("low_source")
    if within.low is None or within.high is None:
        raise PresetError(
            f"{name}: {field}.within: give both min and max: targets are two-sided where "
            "over-correction harms (clinical.md §4.7)"
        )
    if not isinstance(low_source, str) or not low_source.strip():
        raise PresetError(
            f"{name}: {field}.low_source: say where the lower bound comes from, or mark it "
            "⚙ (an engineering choice) (clinical.md §4.7)"
        )
    return Target(
        key, str(obj.get("label", reader_label(key))), within, borderline, ideal,
        str(obj.get("source", "")), confirmed,
        obj.get("formula_id"), low_source,
    )


def _range(value: Any, name: str, field: str) -> Range:
    obj = _object(value, name, field)
    low, high = obj.get("min"), obj.get("max")
    for bound, label in ((low, "min"), (high, "max")):
        if bound is not None and not _finite(bound):
            raise PresetError(f"{name}: {field}.{label}: expected a finite number")
    if low is None and high is None:
        raise PresetError(f"{name}: {field}: give min, max or both")
    if low is not None and high is not None and low > high:
        raise PresetError(f"{name}: {field}: min {low} is above max {high}")
    flags = []
    for flag in ("min_exclusive", "max_exclusive"):
        raw = obj.get(flag, False)
        if not isinstance(raw, bool):
            raise PresetError(f"{name}: {field}.{flag}: expected true or false")
        flags.append(raw)
    return Range(None if low is None else float(low), None if high is None else float(high), *flags)


def _ideal(value: Any, name: str, field: str) -> Ideal:
    obj = _object(value, name, field)
    terms = obj.get("terms", {})
    if not isinstance(terms, dict) or any(k not in INPUTS or not _finite(v) for k, v in terms.items()):
        raise PresetError(f"{name}: {field}.terms: expected weights of {', '.join(INPUTS)}")
    constant = obj.get("constant", 0.0)
    if not _finite(constant):
        raise PresetError(f"{name}: {field}.constant: expected a finite number")
    return Ideal(
        {k: float(v) for k, v in terms.items()},
        float(constant),
        _table(obj.get("by_age"), name, f"{field}.by_age"),
        _table(obj.get("by_PI"), name, f"{field}.by_PI"),
        obj.get("plus") == "PI",
    )


def _table(value: Any, name: str, field: str) -> tuple[tuple[float | None, float], ...]:
    if value is None:
        return ()
    rows = []
    if not isinstance(value, list) or not value:
        raise PresetError(f"{name}: {field}: expected a list of [upper bound or null, value]")
    for i, row in enumerate(value):
        well_formed = isinstance(row, list) and len(row) == 2
        if not (well_formed and (row[0] is None or _finite(row[0])) and _finite(row[1])):
            raise PresetError(f"{name}: {field}[{i}]: expected [upper bound or null, value]")
        rows.append((None if row[0] is None else float(row[0]), float(row[1])))
    uppers = [r[0] for r in rows]
    bounded = [u for u in uppers[:-1] if u is not None]
    if uppers[-1] is not None or len(bounded) != len(uppers) - 1 or bounded != sorted(bounded):
        raise PresetError(f"{name}: {field}: upper bounds must rise, ending with null")
    return tuple(rows)


def _object(value: Any, name: str, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PresetError(f"{name}: {field}: expected an object")
    return value


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def builtin_presets() -> tuple[Preset, ...]:
    """The presets shipped with the program, in a fixed order."""
    global _BUILTIN
    if _BUILTIN is None:
        folder = resources.files("alignment_planner.targets") / "presets"
        loaded = [
            load_preset(f"presets/{entry.name}", entry.read_text(encoding="utf-8"))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".json")
        ]
        order = {
            "srs-schwab": 0, "success-2012": 1, "lafage-2016-age": 2, "ideal-ll": 3, "ideal-pt": 4,
            "cervical": 5,
        }
        _BUILTIN = tuple(sorted(loaded, key=lambda p: order.get(p.id, 99)))
    return _BUILTIN


_BUILTIN: tuple[Preset, ...] | None = None


def preset_by_id(preset_id: str) -> Preset:
    for preset in builtin_presets():
        if preset.id == preset_id:
            return preset
    known = ", ".join(p.id for p in builtin_presets())
    raise PresetError(f"unknown target preset {preset_id!r} (known: {known})")
