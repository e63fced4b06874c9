"""Over-correction verdicts, their wording, and presets read as UTF-8 (issue 15 §7: the targets
survivors of a full mutation run on 9ac81c5).

Hand values: the Lafage 2016 age-adjusted preset (presets/lafage2016_age.json, clinical.md §2.3)
gives a patient of 70 an ideal PI−LL of 10.9° (the 65–75 row), with "within" −10…0° and
"borderline" −15…+5° about it, i.e. 0.9…10.9° and −4.1…15.9° absolute. Over-correction is a value
below the lower edge of the "within" band on the side a correction drives it to (clinical.md §4.7).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import alignment_planner
from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.targets import presets as presets_module
from alignment_planner.targets.overcorrection import is_overcorrection
from alignment_planner.targets.presets import builtin_presets, evaluate_target, load_preset, preset_by_id
from alignment_planner.targets.verdict_text import verdict_line, verdict_words


def _m(**values: float) -> Measurements:
    table = {p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}
    return Measurements(table, {})


def _lafage_pi_ll(pi_ll: float, age: float | None = 70.0):  # type: ignore[no-untyped-def]
    target = next(t for t in preset_by_id("lafage-2016-age").targets if t.key == "PI_LL")
    return evaluate_target(target, _m(PI_LL=pi_ll), age)


# --- over-correction against an age-adjusted ideal (§2.3, §4.7) -----------------------------------


def test_a_borderline_value_below_an_age_adjusted_band_is_over_corrected() -> None:
    """PI−LL −2° at 70: below the 0.9° lower edge of "within", inside the −4.1° borderline edge:
    borderline, and over-corrected (the lower edge is the ideal 10.9 minus 10, not minus 10 alone)."""
    verdict = _lafage_pi_ll(-2.0)
    assert verdict.ideal == pytest.approx(10.9)
    assert verdict.status == "borderline"
    assert is_overcorrection(verdict)
    assert verdict_words(verdict) == "borderline, over-corrected"


def test_a_borderline_value_above_the_band_is_short_of_the_target_not_over_corrected() -> None:
    """PI−LL 13° at 70: above the 10.9° upper edge, inside the 15.9° borderline edge."""
    verdict = _lafage_pi_ll(13.0)
    assert verdict.status == "borderline" and not is_overcorrection(verdict)
    assert verdict_words(verdict) == "borderline"


def test_a_value_exactly_on_an_open_lower_edge_is_not_over_corrected() -> None:
    """A user's preset whose "within" band excludes its lower edge (SVA > −30 mm): SVA −30 mm is
    borderline (the closed borderline band holds it) but lies on the edge, not below it; −30.5 mm
    lies below it and is over-corrected."""
    text = json.dumps({
        "format": "alignment-planner-targets", "version": 1, "id": "user-open-edge", "name": "open edge",
        "citation": "test", "targets": [{
            "key": "SVA", "within": {"min": -30, "max": 40, "min_exclusive": True, "max_exclusive": True},
            "borderline": {"min": -30, "max": 95}, "low_source": "⚙ test", "source": "test",
        }],
    })
    target = load_preset("user.json", text).targets[0]
    on_edge = evaluate_target(target, _m(SVA=-30.0), None)
    assert on_edge.status == "borderline" and not is_overcorrection(on_edge)
    below = evaluate_target(target, _m(SVA=-30.5), None)
    assert below.status == "outside" and is_overcorrection(below)


# --- one verdict in words, for tooltips -------------------------------------------------------------


def test_a_verdict_line_gives_words_label_and_the_rule_with_this_patients_numbers() -> None:
    """SRS-Schwab SVA 60 mm: the '+' modifier band 40–95 mm (clinical.md §2.2), "within" −30…40."""
    sva = next(t for t in preset_by_id("srs-schwab").targets if t.key == "SVA")
    verdict = evaluate_target(sva, _m(SVA=60.0), None)
    assert verdict_line(verdict) == "borderline (SVA): within -30.0…40.0 mm; borderline -30.0…95.0 mm"
    over = _lafage_pi_ll(-2.0)
    assert verdict_line(over) == (
        "borderline, over-corrected (PI−LL): ideal 10.9° (PI−LL): within 0.9…10.9°; "
        "borderline -4.1…15.9° (value not confirmed against the source)"
    )


def test_a_verdict_line_without_a_rule_gives_the_reason() -> None:
    """An age-adjusted target without the patient's age cannot be judged: the line says why."""
    assert verdict_line(_lafage_pi_ll(-2.0, age=None)) == "not judged (PI−LL): needs patient age"


# --- preset files are UTF-8 whatever the locale ---------------------------------------------------

_READ_IN_ASCII_LOCALE = """
import sys
from alignment_planner.targets.presets import builtin_presets, load_preset
print(len(builtin_presets()), load_preset(sys.argv[1]).targets[0].low_source)
"""


def test_presets_are_read_as_utf8_under_a_locale_that_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped files and a user's file hold "−", "±" and "⚙": they are UTF-8 (a Windows or
    POSIX "C" locale would otherwise refuse them or misread them). Read once here and once in a
    Python whose locale encoding is ASCII (C locale, no coercion, UTF-8 mode off)."""
    user = tmp_path / "user.json"
    user.write_text(json.dumps({
        "format": "alignment-planner-targets", "version": 1, "id": "user", "name": "user",
        "citation": "test", "targets": [{
            "key": "PI_LL", "within": {"min": -10, "max": 10}, "low_source": "⚙ LL = PI ± 10°",
        }],
    }, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(presets_module, "_BUILTIN", None)
    assert len(builtin_presets()) == 6
    assert load_preset(user).targets[0].low_source == "⚙ LL = PI ± 10°"
    package_root = Path(alignment_planner.__file__).resolve().parents[1]
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(package_root)}
    result = subprocess.run(
        [sys.executable, "-X", "utf8=0", "-c", _READ_IN_ASCII_LOCALE, str(user)],
        capture_output=True, env=env, check=False, cwd=package_root,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stdout.decode("utf-8").strip() == "6 ⚙ LL = PI ± 10°"
