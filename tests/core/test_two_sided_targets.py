"""Two-sided targets, the SRS-Schwab modifier bands exactly, a separate "success" preset, judged on
the printed value, and planners that aim inside a band and flag over-correction (clinical.md §2.2,
§4.7; contract.md §4.4; issue 15 §2, §6)."""

from __future__ import annotations

import json

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.cli.main import main
from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.plan.model import Osteotomy
from alignment_planner.planning.search import Goal, search, target_from_preset
from alignment_planner.targets.classify import classify
from alignment_planner.targets.presets import (
    PresetError,
    builtin_presets,
    evaluate,
    load_preset,
    preset_by_id,
)
from alignment_planner.targets.verdicts import verdict_record
from tests.core.issue15_plans import FLATBACK_FILE, NORMAL_FILE, flatback, normal


def _m(**values: float) -> Measurements:
    return Measurements({p.key: Value(values.get(p.key), None if p.key in values else "absent") for p in PARAMETERS}, {})


def _status(preset: str, key: str, value: float) -> str:
    return next(v.status for v in evaluate(preset_by_id(preset), _m(**{key: value}), None) if v.target.key == key)


def test_over_correction_is_outside_not_within() -> None:
    """Issue example: a 30° PSO on the normal case gave PI−LL −35° (−5 − 30) and SVA about
    −196 mm, judged "within". PI−LL below −10° and SVA below −30 mm are over-correction."""
    analysis = analyze(normal(Osteotomy("PSO", "L3", 30.0)))
    assert analysis.postop.value("PI_LL") == pytest.approx(-35.0, abs=0.02)
    verdicts = verdict_record(preset_by_id("srs-schwab"), analysis.postop, None)
    assert verdicts["PI_LL"] == "outside" and verdicts["SVA"] == "outside"
    assert verdict_record(preset_by_id("srs-schwab"), analysis.preop, None)["PI_LL"] == "within"


def test_two_psos_on_the_flatback_are_not_all_green() -> None:
    """Issue example: two PSOs gave SVA −222 mm, all green."""
    analysis = analyze(flatback(Osteotomy("PSO", "L3", 30.0), Osteotomy("PSO", "L4", 30.0)))
    sva = analysis.postop.value("SVA")
    assert sva is not None and sva < -30.0
    assert verdict_record(preset_by_id("srs-schwab"), analysis.postop, None)["SVA"] == "outside"


@pytest.mark.parametrize(
    ("key", "value", "status"),
    [("SVA", 39.9, "within"), ("SVA", 40.0, "borderline"), ("SVA", 95.0, "borderline"), ("SVA", 95.1, "outside"),
     ("SVA", -30.0, "within"), ("SVA", -30.1, "outside"),
     ("PI_LL", -10.0, "within"), ("PI_LL", -10.1, "outside"), ("PI_LL", 9.9, "within"), ("PI_LL", 10.0, "borderline"),
     ("PT", 19.9, "within"), ("PT", 20.0, "borderline"), ("PT", 30.0, "borderline"), ("PT", 30.1, "outside"),
     ("PT", -0.1, "borderline"), ("TPA", -5.0, "within"), ("TPA", -5.1, "outside"), ("TPA", 19.9, "within")],
)
def test_srs_schwab_preset_uses_the_modifier_bands_exactly(key: str, value: float, status: str) -> None:
    """clinical.md §2.2: 0 < 10° / 20° / 40 mm; + up to 20° / 30° / 95 mm (the note used to say
    "the modifier's 0 band" while using SVA < 50 mm)."""
    assert _status("srs-schwab", key, value) == status


def test_success_thresholds_are_a_separate_labelled_preset() -> None:
    """clinical.md §4.7: the 50 mm "success" of Schwab 2010 / Lafage 2012 is looser and labelled."""
    success = preset_by_id("success-2012")
    assert "success" in success.name.lower() and "Lafage" in success.citation
    assert _status("success-2012", "SVA", 50.0) == "within" and _status("srs-schwab", "SVA", 50.0) == "borderline"
    assert _status("success-2012", "PT", 25.0) == "within" and _status("success-2012", "PT", 25.1) == "borderline"


def test_every_lower_bound_is_sourced_or_marked_an_engineering_choice() -> None:
    for preset in builtin_presets():
        for target in preset.targets:
            assert target.within.low is not None and target.within.high is not None, (preset.id, target.key)
            assert target.low_source.strip(), (preset.id, target.key)


def test_a_one_sided_or_unsourced_target_file_is_refused() -> None:
    base = {"format": "alignment-planner-targets", "version": 1, "id": "x", "name": "x", "citation": "c"}
    one_sided = {**base, "targets": [{"key": "SVA", "within": {"max": 40}, "low_source": "⚙"}]}
    with pytest.raises(PresetError, match=r"targets\[0\]\.within: give both min and max"):
        load_preset("x.json", json.dumps(one_sided))
    unsourced = {**base, "targets": [{"key": "SVA", "within": {"min": -30, "max": 40}}]}
    with pytest.raises(PresetError, match=r"targets\[0\]\.low_source"):
        load_preset("x.json", json.dumps(unsourced))


def test_lafage_2016_preset_pairs_its_own_title_with_its_reference() -> None:
    """Issue 15 §6: it quoted the 2017 PJK paper's title with the 2016 reference."""
    citation = preset_by_id("lafage-2016-age").citation
    assert "Defining spino-pelvic alignment thresholds" in citation and "2016;41:62" in citation
    assert "PJK" not in citation


@pytest.mark.parametrize(("value", "status", "grade"), [(19.94, "within", "0"), (19.96, "borderline", "+")])
def test_the_printed_number_is_the_one_judged(value: float, status: str, grade: str) -> None:
    """Issue 15 §6: "20.0" printed beside "within" computed from 19.96 is a contradiction."""
    assert f"{value:.1f}" == ("19.9" if grade == "0" else "20.0")
    assert _status("srs-schwab", "PT", value) == status
    assert classify(_m(PT=value), None).schwab.PT == grade


def test_measure_preset_adds_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    """contract.md §4.4: targets.preset, targets.preop/postop KEY → verdict, and a table column."""
    assert main(["measure", str(FLATBACK_FILE), "--json", "--preset", "srs-schwab"]) == 0
    targets = json.loads(capsys.readouterr().out)["targets"]
    assert targets["preset"] == "srs-schwab"
    # pre-op PT 31° > 30 (++), PI−LL 37 > 20, SVA 137 mm > 95, TPA 35° > 30: all outside
    assert targets["preop"] == {"PI_LL": "outside", "PT": "outside", "SVA": "outside", "TPA": "outside"}
    assert set(targets["postop"]) == {"PI_LL", "PT", "SVA", "TPA"}
    assert main(["measure", str(NORMAL_FILE), "--preset", "srs-schwab"]) == 0
    assert "verdict (srs-schwab)" in capsys.readouterr().out
    assert main(["measure", str(NORMAL_FILE), "--preset", "nope"]) == 2
    assert "unknown target preset" in capsys.readouterr().err


def test_a_preset_goal_aims_at_the_nearest_edge_of_its_band() -> None:
    """LL@ideal-ll on the flatback (PI 62, LL 25): Schwab LL = PI ± 9 → 53…71; the least correction
    reaches 53°, not the far edge 71° (a mutation survivor)."""
    preop = analyze(flatback()).preop
    target = target_from_preset(preset_by_id("ideal-ll"), "LL", preop, 67.0)
    assert target == pytest.approx(62.0 - 9.0, abs=0.01)
    inside = target_from_preset(preset_by_id("ideal-ll"), "LL", preop, 67.0, margin=3.0)
    assert inside == pytest.approx(62.0 - 9.0 + 3.0, abs=0.01)


def test_goals_narrow_by_the_margin_and_collapse_to_the_centre() -> None:
    assert Goal("PI_LL", -10.0, 10.0).inside_by(3.0) == Goal("PI_LL", -7.0, 7.0)
    assert Goal("PI_LL", -1.0, 1.0).inside_by(3.0) == Goal("PI_LL", 0.0, 0.0)
    assert Goal("SVA", None, 40.0).inside_by(5.0) == Goal("SVA", None, 35.0)


def test_suggest_flags_over_correction_instead_of_meeting_every_goal() -> None:
    """SVA < 40 on the normal adult (SVA −2) is met by any PSO, which drives PI−LL below −10°."""
    options = search(normal(), [Goal("SVA", None, 40.0)], types=("PSO",), pairs=False, limit=3)
    assert options
    for option in options:
        assert option.overcorrected and not option.meets_all_goals
        assert "OVER-CORRECTS" in option.describe() and "meets every goal" not in option.describe()
        assert any(key == "PI_LL" and value < -10.0 for key, value, _ in option.overcorrected)


@pytest.mark.parametrize(
    ("preset", "key", "value", "status", "over"),
    [
        ("srs-schwab", "PI_LL", -12.0, "outside", True),  # more lordosis than PI − 10°
        ("srs-schwab", "PI_LL", 12.0, "borderline", False),  # short of the target: under-corrected
        ("srs-schwab", "PI_LL", 25.0, "outside", False),
        ("srs-schwab", "PI_LL", -10.0, "within", False),  # the edge itself is within
        ("srs-schwab", "SVA", -35.0, "outside", True),  # hyperextension, below −30 mm
        ("srs-schwab", "SVA", 60.0, "borderline", False),  # the SRS-Schwab "+" modifier band
        ("srs-schwab", "SVA", 100.0, "outside", False),
        ("srs-schwab", "TPA", -6.0, "outside", True),  # trunk behind the hips, below −5°
        ("srs-schwab", "PT", -3.0, "borderline", False),  # PT is not among the values judged over-corrected
    ],
)
def test_over_correction_is_named_below_the_lower_edge_only(
    preset: str, key: str, value: float, status: str, over: bool
) -> None:
    from alignment_planner.targets.overcorrection import is_overcorrection
    from alignment_planner.targets.verdict_text import verdict_words

    verdict = next(v for v in evaluate(preset_by_id(preset), _m(**{key: value}), None) if v.target.key == key)
    assert verdict.status == status
    assert is_overcorrection(verdict) is over
    assert ("over-corrected" in verdict_words(verdict)) is over
