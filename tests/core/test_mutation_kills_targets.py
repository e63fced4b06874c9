"""Tests that kill the survivors of ``bash tools/mutation.sh targets`` (issue 15 §7).

Each test names the clinical fact or the file-format rule it guards; expected values are computed
by hand from clinical.md (§2.2, §2.4, §2.5, §2.7, §2.8, §2.10, §4.7) or from the preset files'
documented format, never taken from the code's output. The shipped presets are cached after their
first load, so the tests that read them load them again (``_BUILTIN`` reset) to check the loader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.measurements import PARAMETERS, Measurements, Value, reader_label
from alignment_planner.targets import presets as presets_module
from alignment_planner.targets.classify import classify
from alignment_planner.targets.presets import (
    Ideal,
    PresetError,
    Range,
    Target,
    builtin_presets,
    evaluate_target,
    load_preset,
    preset_by_id,
    straddled,
)


def _m(segmental: dict[str, float] | None = None, **values: float) -> Measurements:
    table = {p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}
    return Measurements(table, {k: Value(v) for k, v in (segmental or {}).items()})


def _target(key: str, within: Range, borderline: Range | None = None, ideal: Ideal | None = None) -> Target:
    return Target(key, key, within, borderline or within, ideal, "test", True)


# --- the shipped presets, loaded afresh -----------------------------------------------------------


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the cached presets so that ``builtin_presets`` reads and validates the files again."""
    monkeypatch.setattr(presets_module, "_BUILTIN", None)


# key → (within low, within high, high excluded, borderline low, borderline high): clinical.md §2.2
# modifier bands (0 band within, "+" band borderline) and §4.7 lower bounds.
SRS_SCHWAB = {
    "PI_LL": (-10.0, 10.0, True, -10.0, 20.0),
    "PT": (0.0, 20.0, True, None, 30.0),
    "SVA": (-30.0, 40.0, True, -30.0, 95.0),
    "TPA": (-5.0, 20.0, True, -5.0, 30.0),
}


@pytest.mark.usefixtures("fresh")
def test_shipped_presets_reload_in_their_fixed_order_with_the_published_srs_schwab_bands() -> None:
    """SRS-Schwab first (the default), then the 'success' thresholds, Lafage 2016, the PI-based
    ideal LL and PT tables, cervical; the SRS-Schwab bands are the modifier bands of clinical.md §2.2
    exactly (PT < 20°, SVA < 40 mm, PI−LL < 10°; '+' up to 30°, 95 mm, 20°)."""
    loaded = builtin_presets()
    assert [p.id for p in loaded] == [
        "srs-schwab", "success-2012", "lafage-2016-age", "ideal-ll", "ideal-pt", "cervical",
    ]
    assert [p.path for p in loaded] == [
        "presets/srs_schwab.json", "presets/success_2012.json", "presets/lafage2016_age.json",
        "presets/ideal_ll.json", "presets/ideal_pt.json", "presets/cervical.json",
    ]
    schwab = loaded[0]
    assert (schwab.name, schwab.version) == ("SRS-Schwab", "2012")
    assert schwab.citation.startswith("Schwab F et al. Spine 2012;37:1077")
    assert "the modifier's 0 band exactly" in schwab.note
    for target in schwab.targets:
        low, high, high_open, b_low, b_high = SRS_SCHWAB[target.key]
        assert target.within == Range(low, high, False, high_open)
        assert target.borderline == Range(b_low, b_high, False, False)
        assert target.ideal is None and target.confirmed and target.label == reader_label(target.key)
        assert target.source.startswith("clinical.md §2.2")
        assert target.low_source  # every lower bound sourced or marked ⚙ (clinical.md §4.7)
    assert preset_by_id("cervical") is loaded[-1]


@pytest.mark.usefixtures("fresh")
def test_success_2012_is_sva_50_mm_and_pt_25_degrees() -> None:
    """clinical.md §2.2/§4.4: Lafage 2012 "success" is SVA ≤ 50 mm and PT ≤ 25° (a separate,
    looser preset than the modifier bands)."""
    success = {t.key: t for t in preset_by_id("success-2012").targets}
    assert success["SVA"].within == Range(-30.0, 50.0) and success["PT"].within == Range(0.0, 25.0)
    assert success["PI_LL"].within == Range(-10.0, 10.0, False, True)


@pytest.mark.usefixtures("fresh")
def test_ideal_pt_formulas_are_those_of_clinical_md_2_5() -> None:
    """Yamato 0.47·PI − 7.5, Le Huec 0.44·PI − 11.4, GAP-implied 0.41·PI − 9 (at PI 55: 18.35,
    12.8, 13.55), and the Barrey class value 12° for PI 48–57, each named by its formula id."""
    targets = preset_by_id("ideal-pt").targets
    assert [t.formula_id for t in targets] == ["yamato2016", "le_huec2016", "gap", None]
    ideals = [t.ideal.value({"PI": 55.0}) for t in targets if t.ideal is not None]
    assert ideals == pytest.approx([18.35, 12.8, 13.55, 12.0])
    assert targets[3].ideal is not None and not targets[3].ideal.plus_pi  # PT is the class value itself
    assert all(t.within == Range(-5.0, 5.0) and t.borderline == Range(-10.0, 10.0) for t in targets)


@pytest.mark.usefixtures("fresh")
def test_ideal_ll_tables_reloaded_give_the_clinical_md_2_4_column() -> None:
    """clinical.md §2.4, PI 55, age 65: Schwab 55, GAP 63.1, Le Huec 57.3, Yamato 56.55,
    Hasegawa 32.9 + 33 − 14.95 = 50.95, Barrey 55 + 9 = 64."""
    targets = preset_by_id("ideal-ll").targets
    values = [t.ideal.value({"PI": 55.0, "age": 65.0}) for t in targets if t.ideal is not None]
    assert values == pytest.approx([55.0, 63.1, 57.3, 56.55, 50.95, 64.0])
    assert targets[5].ideal is not None and targets[5].ideal.plus_pi
    assert targets[1].within == Range(-14.0, 11.0) and targets[1].borderline == Range(-25.0, 11.0)


@pytest.mark.usefixtures("fresh")
def test_lafage_2016_is_marked_unconfirmed_and_its_bands_are_below_the_age_threshold() -> None:
    """clinical.md §2.3: the Lafage 2016 numbers are recalled (◐): every target says so."""
    lafage = preset_by_id("lafage-2016-age")
    assert all(not t.confirmed for t in lafage.targets)
    pt = lafage.targets[0]
    assert pt.ideal is not None and pt.ideal.value({"age": 67.0}) == 25.1
    verdict = evaluate_target(pt, _m(PT=20.0), 67.0)
    assert verdict.threshold == (
        "ideal 25.1° (PT): within 15.1…25.1°; borderline 10.1…30.1° (value not confirmed against the source)"
    )


@pytest.mark.usefixtures("fresh")
def test_cervical_preset_is_the_ames_modifier_0_band() -> None:
    """clinical.md §2.10: cSVA 0 band < 40 mm ('+' to 80 mm), TS−CL < 15° ('+' to 20°)."""
    cervical = {t.key: t for t in preset_by_id("cervical").targets}
    assert cervical["cSVA"].within == Range(-10.0, 40.0, False, True)
    assert cervical["cSVA"].borderline == Range(-20.0, 80.0)
    assert cervical["TS_CL"].within == Range(-5.0, 15.0, False, True)


def test_an_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(PresetError) as error:
        preset_by_id("nope")
    assert str(error.value) == (
        "unknown target preset 'nope' (known: srs-schwab, success-2012, lafage-2016-age, ideal-ll, "
        "ideal-pt, cervical)"
    )


# --- a custom preset file: every field read ------------------------------------------------------

GOOD_TARGET: dict[str, Any] = {"key": "PT", "within": {"min": 0, "max": 20}, "low_source": "⚙ test"}
GOOD: dict[str, Any] = {
    "format": "alignment-planner-targets", "version": 1, "id": "mine", "name": "My targets",
    "citation": "Schwab 2012", "targets": [GOOD_TARGET],
}


def _load(tmp_path: Path, document: Any) -> Any:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return load_preset(path)


def test_a_minimal_preset_file_gets_the_documented_defaults(tmp_path: Path) -> None:
    """Version "1", no note, label = the key, no source, confirmed, borderline = within."""
    preset = _load(tmp_path, GOOD)
    assert (preset.id, preset.name, preset.version, preset.citation, preset.note) == (
        "mine", "My targets", "1", "Schwab 2012", ""
    )
    assert preset.path == str(tmp_path / "mine.json")
    (target,) = preset.targets
    assert target == Target("PT", "PT", Range(0.0, 20.0), Range(0.0, 20.0), None, "", True, None, "⚙ test")


def test_every_field_of_a_full_preset_file_is_read(tmp_path: Path) -> None:
    """A UTF-8 file (° and ⚙ are not ASCII) with every optional field."""
    target = {
        "key": "LL", "label": "Le Huec 0.54·PI + 27.6", "source": "clinical.md §2.4 [10]", "confirmed": False,
        "formula_id": "le_huec", "low_source": "⚙ ± 10°",
        "ideal": {"terms": {"PI": 0.54}, "constant": 27.6},
        "within": {"min": -10, "max": 10, "min_exclusive": True, "max_exclusive": True},
        "borderline": {"min": -20},
    }
    document = {**GOOD, "preset_version": "2016", "note": "LL in °", "targets": [target]}
    preset = _load(tmp_path, document)
    assert (preset.version, preset.note) == ("2016", "LL in °")
    (read,) = preset.targets
    assert read == Target(
        "LL", "Le Huec 0.54·PI + 27.6", Range(-10.0, 10.0, True, True), Range(-20.0, None), Ideal({"PI": 0.54}, 27.6),
        "clinical.md §2.4 [10]", False, "le_huec", "⚙ ± 10°",
    )


def test_an_ideal_without_constant_is_its_terms_alone(tmp_path: Path) -> None:
    """Le Huec ideal SS = 0.54·PI (+ 11.9 omitted): PI 50 → 27.0, not 28.0."""
    target = {**GOOD_TARGET, "key": "SS", "ideal": {"terms": {"PI": 0.54}}}
    (read,) = _load(tmp_path, {**GOOD, "targets": [target]}).targets
    assert read.ideal is not None and read.ideal.value({"PI": 50.0}) == pytest.approx(27.0)


def test_class_tables_are_read_with_their_upper_bounds(tmp_path: Path) -> None:
    """Barrey LL: PI < 38: PI + 18, else (shortened here) PI + 13; an age table likewise."""
    by_pi = {"by_PI": [[38, 18.0], [None, 13.0]], "plus": "PI"}
    by_age = {"by_age": [[35, 10.9], [None, 28.5]]}
    targets = [{**GOOD_TARGET, "key": "LL", "ideal": by_pi}, {**GOOD_TARGET, "ideal": by_age}]
    ll, pt = _load(tmp_path, {**GOOD, "targets": targets}).targets
    assert ll.ideal == Ideal({}, 0.0, (), ((38.0, 18.0), (None, 13.0)), True)
    assert ll.ideal.value({"PI": 30.0}) == 48.0 and ll.ideal.value({"PI": 40.0}) == 53.0
    assert pt.ideal == Ideal({}, 0.0, ((35.0, 10.9), (None, 28.5)))
    single = {**GOOD_TARGET, "ideal": {"by_age": [[None, 20.0]]}}
    (only,) = _load(tmp_path, {**GOOD, "targets": [single]}).targets
    assert only.ideal is not None and only.ideal.value({"age": 90.0}) == 20.0


def test_a_degenerate_range_min_equal_to_max_is_allowed(tmp_path: Path) -> None:
    target = {**GOOD_TARGET, "within": {"min": 5, "max": 5}}
    (read,) = _load(tmp_path, {**GOOD, "targets": [target]}).targets
    assert read.within == Range(5.0, 5.0)


def _error(tmp_path: Path, document: Any) -> str:
    with pytest.raises(PresetError) as error:
        _load(tmp_path, document)
    message = str(error.value)
    prefix = f"{tmp_path / 'mine.json'}: "
    assert message.startswith(prefix)
    return message[len(prefix):]


def _with_target(**change: Any) -> dict[str, Any]:
    return {**GOOD, "targets": [{**GOOD_TARGET, **change}]}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([1, 2], "the file: expected an object"),
        ({**GOOD, "targets": ["PT"]}, "targets[0]: expected an object"),
        (_with_target(within=[0, 20]), "targets[0].within: expected an object"),
        (_with_target(borderline=[0, 20]), "targets[0].borderline: expected an object"),
        (_with_target(ideal=[1]), "targets[0].ideal: expected an object"),
        (_with_target(within={"min": "a", "max": 20}), "targets[0].within.min: expected a finite number"),
        (_with_target(within={"min": 0, "max": "a"}), "targets[0].within.max: expected a finite number"),
        (_with_target(within={"min": 0, "max": 20, "min_exclusive": 1}),
         "targets[0].within.min_exclusive: expected true or false"),
        (_with_target(within={"min": 0, "max": 20, "max_exclusive": "yes"}),
         "targets[0].within.max_exclusive: expected true or false"),
        (_with_target(within={"max": 20}),
         "targets[0].within: give both min and max: targets are two-sided where over-correction harms "
         "(clinical.md §4.7)"),
        (_with_target(low_source=" "),
         "targets[0].low_source: say where the lower bound comes from, or mark it ⚙ (an engineering "
         "choice) (clinical.md §4.7)"),
        (_with_target(ideal={"terms": {"PI": "x"}}), "targets[0].ideal.terms: expected weights of PI, age, TK, LL, PT"),
        (_with_target(ideal={"terms": {"PI": 1}, "constant": "x"}), "targets[0].ideal.constant: expected a finite number"),
        (_with_target(ideal={"by_age": {"a": 1}}),
         "targets[0].ideal.by_age: expected a list of [upper bound or null, value]"),
        (_with_target(ideal={"by_PI": []}), "targets[0].ideal.by_PI: expected a list of [upper bound or null, value]"),
        (_with_target(ideal={"by_age": [[50, 1, 9], [None, 2]]}),
         "targets[0].ideal.by_age[0]: expected [upper bound or null, value]"),
        (_with_target(ideal={"by_age": [[50, 1], [60, 2]]}), "targets[0].ideal.by_age: upper bounds must rise, ending with null"),
        (_with_target(ideal={"by_age": [[None, 1], [50, 2]]}),
         "targets[0].ideal.by_age: upper bounds must rise, ending with null"),
        (_with_target(ideal={"by_age": [[None, 1], [None, 2]]}),
         "targets[0].ideal.by_age: upper bounds must rise, ending with null"),
        (_with_target(ideal={"by_age": [[50, 1]]}), "targets[0].ideal.by_age: upper bounds must rise, ending with null"),
    ],
)
def test_a_bad_preset_file_names_the_file_and_the_field(tmp_path: Path, document: Any, message: str) -> None:
    assert _error(tmp_path, document) == message


def test_a_rising_three_row_table_is_accepted(tmp_path: Path) -> None:
    """Lafage-style age bands: < 35, < 45, then everything above."""
    ideal = {"by_age": [[35, 10.9], [45, 16.4], [None, 28.5]]}
    (read,) = _load(tmp_path, _with_target(ideal=ideal)).targets
    assert read.ideal is not None and [read.ideal.value({"age": a}) for a in (34.9, 35.0, 80.0)] == [10.9, 16.4, 28.5]


# --- ideals and the rule in words -----------------------------------------------------------------


def test_a_class_table_is_added_to_the_formula_and_its_constant() -> None:
    """An ideal may combine terms, a constant and a PI class table: 0.5·PI + 2 + (PI < 38: 18)."""
    ideal = Ideal({"PI": 0.5}, 2.0, by_pi=((38.0, 18.0), (None, 13.0)))
    assert ideal.value({"PI": 30.0}) == pytest.approx(15.0 + 2.0 + 18.0)


def test_a_table_without_an_open_last_row_keeps_its_last_value_above_the_last_bound() -> None:
    from alignment_planner.targets.presets import _lookup

    table = ((38.0, 18.0), (48.0, 13.0), (58.0, 9.0))
    assert _lookup(table, 60.0) == 9.0 and _lookup(table, 40.0) == 13.0


@pytest.mark.parametrize(
    ("range_", "text"),
    [
        (Range(None, 20.0, high_open=True), "< 20°"),
        (Range(None, 20.0), "≤ 20°"),
        (Range(-5.0, None, low_open=True), "> -5°"),
        (Range(-5.0, None), "≥ -5°"),
        (Range(None, None), "any"),
        (Range(-10.0, 10.0), "-10.0…10.0°"),
    ],
)
def test_a_range_in_words(range_: Range, text: str) -> None:
    assert range_.describe("°") == text


def test_a_range_in_words_is_shifted_by_the_ideal_only() -> None:
    """Relative bands read as absolute values: GAP ideal LL 60 with −14…+11 → 46.0…71.0."""
    assert Range(-14.0, 11.0).describe("°") == "-14.0…11.0°"
    assert Range(-14.0, 11.0).describe("°", 60.0) == "46.0…71.0°"
    assert Range(None, 11.0).describe("°", 60.0) == "≤ 71°"


def test_a_percentage_is_written_without_a_space_and_a_length_with_one() -> None:
    """LDI (GAP, clinical.md §2.8) is in %: 0 points for 50–80 %; SVA in mm."""
    ldi = evaluate_target(_target("LDI", Range(50.0, 80.0)), _m(LDI=65.0), None)
    assert ldi.threshold == "within 50.0…80.0%; borderline 50.0…80.0%" and ldi.status == "within"
    sva = evaluate_target(_target("SVA", Range(-30.0, 40.0)), _m(SVA=10.0), None)
    assert sva.threshold == "within -30.0…40.0 mm; borderline -30.0…40.0 mm"


def test_an_ideal_needing_two_missing_inputs_names_both() -> None:
    """Hasegawa 2016 ideal LL needs PI and the patient's age (clinical.md §2.3)."""
    hasegawa = _target("LL", Range(-10.0, 10.0), ideal=Ideal({"PI": 0.6, "age": -0.23}, 32.9))
    verdict = evaluate_target(hasegawa, _m(LL=50.0), None)
    assert (verdict.status, verdict.reason) == ("unknown", "needs PI and patient age")


def test_an_unmeasured_value_keeps_its_ideal_and_rule() -> None:
    """GAP ideal LL for PI 50 is 0.62·50 + 29 = 60 even when LL itself cannot be measured."""
    gap = _target("LL", Range(-14.0, 11.0), ideal=Ideal({"PI": 0.62}, 29.0))
    table = {p.key: Value(50.0 if p.key == "PI" else None) for p in PARAMETERS}
    verdict = evaluate_target(gap, Measurements(table, {}), None)
    assert verdict.status == "unknown" and verdict.ideal == pytest.approx(60.0)
    assert verdict.reason == "not measurable"
    assert verdict.threshold == "ideal 60.0° (LL): within 46.0…71.0°; borderline 46.0…71.0°"


def test_an_open_lower_edge_excludes_its_value_and_an_open_upper_side_has_no_ceiling() -> None:
    """A band ``> 0°`` excludes 0 (judged as printed); a borderline with no maximum has none."""
    target = _target("PT", Range(0.0, 20.0, low_open=True), Range(-5.0, None))
    assert evaluate_target(target, _m(PT=0.0), None).status == "borderline"
    assert evaluate_target(target, _m(PT=0.1), None).status == "within"
    assert evaluate_target(target, _m(PT=500.0), None).status == "borderline"
    assert evaluate_target(target, _m(PT=-5.1), None).status == "outside"


def test_a_straddled_band_names_the_nearest_edge_not_the_lowest() -> None:
    """SRS-Schwab PT edges 0, 20 and 30°: PT 19 ± 25 crosses all three; the nearest is 20."""
    verdict = evaluate_target(preset_by_id("srs-schwab").targets[1], _m(PT=19.0), None)
    assert straddled(verdict, 25.0) == 20.0
    assert straddled(verdict, 1.5) == 20.0  # a band of 1.5° is a band (not rounding noise)


# --- classifications ------------------------------------------------------------------------------


def test_gap_relative_values_are_the_differences_from_the_ideals() -> None:
    """clinical.md §2.8, PI 50: ideal SS 38.5, LL 60, GT 9; SS 30 → RPV −8.5, LL 40 → RLL −20,
    GT 20 → RSA +11, LDI 70 %."""
    gap = classify(_m(PI=50.0, SS=30.0, LL=40.0, GT=20.0, LDI=70.0), None).gap
    assert gap.relative == pytest.approx(
        {"RPV": -8.5, "RLL": -20.0, "LDI": 70.0, "RSA": 11.0, "ideal_SS": 38.5, "ideal_LL": 60.0, "ideal_GT": 9.0}
    )
    assert (gap.RPV, gap.RLL, gap.LDI, gap.RSA) == (2, 2, 0, 1)


@pytest.mark.parametrize(
    ("ss", "pi", "pt", "expected"),
    [(50.0, 60.0, 10.0, ("4", "SS > 45°")), (40.0, 55.0, 15.0, ("3", "SS 35–45°"))],
)
def test_roussouly_types_3_and_4_say_what_decided_them(
    ss: float, pi: float, pt: float, expected: tuple[str, str]
) -> None:
    """clinical.md §2.7: type 3 for SS 35–45°, type 4 for SS > 45°."""
    result = classify(_m(SS=ss, PI=pi, PT=pt), None)
    assert (result.roussouly, result.roussouly_reason) == expected


def test_roussouly_counts_lordotic_segments_up_to_the_thoracolumbar_junction() -> None:
    """Type 2 ('long flat lordosis', clinical.md §2.7): the count runs past L1 up to T10-T11, so a
    lordosis reaching T11 counts 7 segments; one reaching T10 counts 8."""
    lumbar = {s: 5.0 for s in ("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1")}
    seven = classify(_m({**lumbar, "T11-T12": 2.0, "T10-T11": -3.0}, SS=30.0, PI=45.0, PT=15.0), None)
    assert (seven.roussouly, seven.roussouly_reason) == (
        "2", "SS < 35°, long flat lordosis (7 lordotic segments from L5-S1)"
    )
    eight = classify(_m({**lumbar, "T11-T12": 2.0, "T10-T11": 1.0}, SS=30.0, PI=45.0, PT=15.0), None)
    assert eight.roussouly_reason == "SS < 35°, long flat lordosis (8 lordotic segments from L5-S1)"


def test_a_band_under_one_degree_can_still_straddle_an_edge() -> None:
    """PT 19.5 ± 0.8° reaches 20.3: either side of the SRS-Schwab 20° edge (clinical.md §2.2)."""
    verdict = evaluate_target(preset_by_id("srs-schwab").targets[1], _m(PT=19.5), None)
    assert straddled(verdict, 0.8) == 20.0


def test_a_table_upper_bound_must_be_a_number(tmp_path: Path) -> None:
    assert _error(tmp_path, _with_target(ideal={"by_age": [["x", 1], [None, 2]]})) == (
        "targets[0].ideal.by_age[0]: expected [upper bound or null, value]"
    )


def test_an_open_lower_edge_leaves_the_edge_to_the_band_below() -> None:
    """GAP RPV (clinical.md §2.8): "> +5: 1 point" does not include +5 itself (0 points)."""
    from alignment_planner.targets.bands import Band, banded
    from alignment_planner.targets.classify import RPV_BANDS

    assert not Band(1, 5.0, open_lo=True).contains(5.0) and Band(1, 5.0, open_lo=True).contains(5.01)
    assert Band(0, 5.0).contains(5.0)
    assert banded(5.0, RPV_BANDS) == 0 and banded(5.01, RPV_BANDS) == 1
    with pytest.raises(ValueError, match=r"^nan falls in no band$"):
        banded(float("nan"), RPV_BANDS)  # a NaN never gets a grade
