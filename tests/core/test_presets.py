"""Target presets as data (issue 5 §2): the shipped files load, validate and judge correctly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.procedures.compensation import IDEAL_PT_FORMULAS
from alignment_planner.targets.presets import (
    PresetError,
    builtin_presets,
    evaluate,
    load_preset,
    preset_by_id,
)


def _m(**values: float) -> Measurements:
    return Measurements(
        {p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}, {}
    )


def _status(preset_id: str, key: str, age: float | None = None, label: str | None = None, **values: float) -> str:
    verdicts = evaluate(preset_by_id(preset_id), _m(**values), age)
    chosen = [v for v in verdicts if v.target.key == key and (label is None or v.target.label.startswith(label))]
    assert len(chosen) == 1
    return chosen[0].status


def test_shipped_presets_load_with_citations() -> None:
    presets = builtin_presets()
    assert [p.id for p in presets] == [
        "srs-schwab", "success-2012", "lafage-2016-age", "ideal-ll", "ideal-pt", "cervical"
    ]
    for preset in presets:
        assert preset.citation and preset.version and preset.targets
    lafage = preset_by_id("lafage-2016-age")
    assert all(not t.confirmed for t in lafage.targets)  # recalled, not confirmed: marked so
    assert "not confirmed" in evaluate(lafage, _m(PT=20.0), 50.0)[0].threshold


@pytest.mark.parametrize(
    ("key", "value", "status"),
    [("PI_LL", 9.94, "within"), ("PI_LL", 10.0, "borderline"), ("PI_LL", 20.0, "borderline"),
     ("PI_LL", 20.06, "outside"), ("PT", 19.9, "within"), ("PT", 20.0, "borderline"), ("PT", 30.5, "outside"),
     # clinical.md §2.2 / §4.7: the SVA modifier's 0 band is < 40 mm (not the 50 mm "success" figure)
     ("SVA", 39.9, "within"), ("SVA", 40.0, "borderline"), ("SVA", 49.9, "borderline"),
     ("SVA", 95.0, "borderline"), ("SVA", 95.1, "outside"),
     ("TPA", 19.9, "within"), ("TPA", 20.0, "borderline"), ("TPA", 31.0, "outside"),
     # Rounding: judged as printed (issue 15 §6): 19.96 prints "20.0" and is judged as 20.0.
     ("PT", 20.0 - 3e-14, "borderline"), ("PT", 19.96, "borderline"), ("PT", 19.94, "within")],
)
def test_schwab_edges_match_the_classification_convention(key: str, value: float, status: str) -> None:
    assert _status("srs-schwab", key, **{key: value}) == status


def test_missing_value_is_unknown_with_the_reason() -> None:
    verdict = evaluate(preset_by_id("srs-schwab"), _m(), None)[0]
    assert verdict.status == "unknown" and verdict.reason == "absent"


@pytest.mark.parametrize(
    ("label", "ideal"),
    [("Schwab", 55.0), ("GAP", 63.1), ("Le Huec", 57.3), ("Yamato", 56.55), ("Hasegawa", 50.95), ("Barrey", 64.0)],
)
def test_ideal_ll_formulas_at_pi_55_age_65(label: str, ideal: float) -> None:
    """clinical.md §2.4 table, PI 55, age 65."""
    verdicts = evaluate(preset_by_id("ideal-ll"), _m(PI=55.0, LL=50.0), 65.0)
    (verdict,) = [v for v in verdicts if v.target.label.startswith(label)]
    assert verdict.ideal == pytest.approx(ideal, abs=0.01)


def test_gap_rll_bands_are_the_published_ones() -> None:
    ideal = 0.62 * 50.0 + 29.0  # 60
    assert _status("ideal-ll", "LL", label="GAP", PI=50.0, LL=ideal - 14.0) == "within"
    assert _status("ideal-ll", "LL", label="GAP", PI=50.0, LL=ideal + 11.0) == "within"
    assert _status("ideal-ll", "LL", label="GAP", PI=50.0, LL=ideal + 11.5) == "outside"  # hyperlordosis: 3 points
    assert _status("ideal-ll", "LL", label="GAP", PI=50.0, LL=ideal - 20.0) == "borderline"
    assert _status("ideal-ll", "LL", label="GAP", PI=50.0, LL=ideal - 25.5) == "outside"


@pytest.mark.parametrize(("age", "threshold"), [(20.0, 10.9), (34.9, 10.9), (35.0, 16.4), (64.9, 22.0), (75.0, 28.5), (90.0, 28.5)])
def test_age_bands(age: float, threshold: float) -> None:
    verdict = evaluate(preset_by_id("lafage-2016-age"), _m(PT=15.0), age)[0]
    assert verdict.ideal == threshold


def test_age_adjusted_needs_the_age() -> None:
    verdict = evaluate(preset_by_id("lafage-2016-age"), _m(PT=15.0), None)[0]
    assert verdict.status == "unknown" and verdict.reason == "needs patient age"


def test_ideal_pt_formulas_drive_the_compensation_model() -> None:
    assert set(IDEAL_PT_FORMULAS) == {"yamato2016", "le_huec2016", "gap"}
    assert IDEAL_PT_FORMULAS["yamato2016"](55.0) == pytest.approx(18.35)
    assert IDEAL_PT_FORMULAS["le_huec2016"](55.0) == pytest.approx(12.8)


GOOD = {
    "format": "alignment-planner-targets", "version": 1, "id": "x", "name": "X", "citation": "c",
    "targets": [{"key": "PT", "within": {"max": 20}}],
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"format": "other"}, "format"),
        ({"version": 2}, "version"),
        ({"citation": ""}, "citation"),
        ({"targets": []}, "targets"),
        ({"targets": [{"key": "NOPE", "within": {"max": 1}}]}, "unknown parameter"),
        ({"targets": [{"key": "PT", "within": {}}]}, "give min, max"),
        ({"targets": [{"key": "PT", "within": {"min": 5, "max": 1}}]}, "above max"),
        ({"targets": [{"key": "PT", "within": {"max": "a"}}]}, "finite number"),
        ({"targets": [{"key": "PT", "within": {"max": 1}, "ideal": {"terms": {"XX": 1}}}]}, "terms"),
        ({"targets": [{"key": "PT", "within": {"max": 1}, "ideal": {"by_age": [[50, 1], [40, 2], [None, 3]]}}]}, "rise"),
        ({"targets": [{"key": "PT", "within": {"max": 1}, "confirmed": "yes"}]}, "confirmed"),
    ],
)
def test_bad_preset_files_name_the_field(tmp_path: Path, change: dict[str, object], words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**GOOD, **change}))
    with pytest.raises(PresetError, match=words) as error:
        load_preset(path)
    assert str(path) in str(error.value)


def test_unreadable_and_non_json_presets(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match="cannot read"):
        load_preset(tmp_path / "missing.json")
    (tmp_path / "x.json").write_text("{")
    with pytest.raises(PresetError, match="not JSON"):
        load_preset(tmp_path / "x.json")
    with pytest.raises(PresetError, match="unknown target preset"):
        preset_by_id("nope")


def test_a_band_across_a_threshold_is_flagged() -> None:
    from alignment_planner.targets.presets import straddled

    (pt,) = [v for v in evaluate(preset_by_id("srs-schwab"), _m(PT=19.0), None) if v.target.key == "PT"]
    assert pt.status == "within"
    assert straddled(pt, 3.0) == 20.0  # "PT 19 ± 3°: could be either side of 20°"
    assert straddled(pt, 0.5) is None
    assert straddled(pt, 0.0) is None and straddled(pt, None) is None
