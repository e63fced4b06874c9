"""Follow-up films (contract.md §4.3): read strictly, round-trip, measured like a pre-op film with
their own calibration and facing; planned − achieved exact against hand-built geometry."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.analysis.followups import followup_results
from alignment_planner.analysis.pipeline import analyze
from alignment_planner.errors import PlanValidationError
from alignment_planner.files.plan_reader import parse_plan, plan_from_dict, read_plan
from alignment_planner.files.plan_writer import plan_to_dict, write_plan
from alignment_planner.output.records import json_record

from .helpers import GOLDEN_LANDMARKS, plan_doc

H = (1000.0, 2000.0)


def _turned(landmarks: dict[str, Any], phi: float, scale: float = 1.0, mirror: bool = False) -> Any:
    """Every point turned about the hip axis by −φ in the anatomical frame (x anterior, y up):
    clinical.md §3.3 step 5, PT → PT − φ. Then drawn at ``scale`` px per mm (the follow-up's own
    spacing is 1/scale) and, with ``mirror``, facing left."""
    c, s = math.cos(math.radians(-phi)), math.sin(math.radians(-phi))

    def move(p: list[float]) -> list[float]:
        ax, ay = p[0] - H[0], -(p[1] - H[1])
        rx, ry = c * ax - s * ay, s * ax + c * ay
        x, y = H[0] + rx, H[1] - ry
        if mirror:
            x = 2 * H[0] - x
        return [x * scale, y * scale]

    def walk(v: Any) -> Any:
        if isinstance(v, list) and len(v) == 2 and all(isinstance(t, float) for t in v):
            return move(v)
        if isinstance(v, list):
            return [walk(t) for t in v]
        if isinstance(v, dict):
            return {k: walk(t) for k, t in v.items()}
        return v

    return walk(copy.deepcopy(landmarks))


def _golden_plan(followups: list[dict[str, Any]]) -> dict[str, Any]:
    return plan_doc(GOLDEN_LANDMARKS, image={"pixel_spacing_mm": 1.0}, followups=followups)


@pytest.mark.parametrize("phi", [-7.5, 3.0, 12.25])
@pytest.mark.parametrize(("scale", "mirror"), [(1.0, False), (2.0, False), (2.0, True)])
def test_pelvis_turned_by_phi_gives_pt_minus_phi_and_pi_unchanged(
    phi: float, scale: float, mirror: bool
) -> None:
    followup = {
        "label": "1 year", "date": "2027-01-05",
        "image": {"pixel_spacing_mm": 1.0 / scale}, "facing": "left" if mirror else "right",
        "landmarks": _turned(GOLDEN_LANDMARKS, phi, scale, mirror),
    }
    plan = plan_from_dict(_golden_plan([followup]))
    [result] = followup_results(plan, analyze(plan))
    got = {k: v.value for k, v in result.achieved.values.items()}
    pre = {k: v.value for k, v in analyze(plan).preop.values.items()}
    # clinical.md §7.1 (PT 15, SS 40, PI 55, LL 55; its points are given to 0.001 px, hence 5e-3)
    # and §3.3 step 5: PT − φ, SS + φ, PI and LL unchanged, exactly (1e-9).
    assert (pre["PT"], pre["SS"], pre["PI"], pre["LL"]) == pytest.approx((15, 40, 55, 55), abs=5e-3)
    assert got["PT"] == pytest.approx(pre["PT"] - phi, abs=1e-9)
    assert got["SS"] == pytest.approx(pre["SS"] + phi, abs=1e-9)
    assert got["PI"] == pytest.approx(pre["PI"], abs=1e-9)
    assert got["LL"] == pytest.approx(pre["LL"], abs=1e-9)
    assert result.error["PT"] == pytest.approx(phi, abs=1e-9)
    assert result.error["SS"] == pytest.approx(-phi, abs=1e-9)
    assert result.error["PI"] == pytest.approx(0.0, abs=1e-9)
    assert result.error["LL"] == pytest.approx(0.0, abs=1e-9)
    # SVA by hand: C7 centre and the S1 posterosuperior corner turned about H, horizontal offset.
    c, s = math.cos(math.radians(-phi)), math.sin(math.radians(-phi))

    def ant(p: tuple[float, float]) -> float:
        ax, ay = p[0] - H[0], -(p[1] - H[1])
        return c * ax - s * ay

    sva = ant((988.797, 1290.552)) - ant((958.797, 1890.552))
    assert got["SVA"] == pytest.approx(sva, abs=1e-9)
    assert result.error["SVA"] == pytest.approx(30.0 - sva, abs=1e-9)


def test_followup_with_compensation_compares_with_the_compensated_prediction() -> None:
    doc = _golden_plan([{"label": "6 weeks", "landmarks": _turned(GOLDEN_LANDMARKS, 5.0)}])
    # The plan has no cut, so a release model would keep the pelvis (nothing is corrected): the
    # surgeon states the expected pelvis explicitly ("absolute", clinical.md §4.6).
    doc["compensation"] = {"model": "pt_target", "pt_deg": 12.0, "absolute": True}
    plan = plan_from_dict(doc)
    analysis = analyze(plan)
    [result] = followup_results(plan, analysis)
    # Planned PT 12 (pelvis turned 3°), achieved pre-op PT − 5 (≈ 10): planned − achieved ≈ +2.
    pre_pt = analysis.preop.values["PT"].value
    assert pre_pt is not None
    assert analysis.postop.values["PT"].value == pytest.approx(12.0, abs=1e-9)
    assert result.error["PT"] == pytest.approx(12.0 - (pre_pt - 5.0), abs=1e-9)
    assert result.error["PI"] == pytest.approx(0.0, abs=1e-9)


def test_measure_json_has_the_contract_followups() -> None:
    doc = _golden_plan([
        {"label": "6 weeks", "date": "2026-11-02", "landmarks": _turned(GOLDEN_LANDMARKS, 4.0)},
        {"label": "1 year", "date": "2027-09-01", "landmarks": {}},
    ])
    plan = plan_from_dict(doc)
    record = json_record("p.json", plan, analyze(plan))
    first, second = record["followups"]
    assert (first["label"], first["date"]) == ("6 weeks", "2026-11-02")
    assert first["values"]["PT"] == pytest.approx(11.0, abs=5e-3)
    assert first["predicted_minus_achieved"]["PT"] == pytest.approx(4.0, abs=1e-6)
    assert set(first["values"]) == set(record["preop"]) == set(first["predicted_minus_achieved"])
    assert second["values"]["PT"] is None and second["predicted_minus_achieved"]["PT"] is None
    assert second["not_measurable"]["PT"]
    json.dumps(record)
    assert "followups" not in json_record("q.json", plan_from_dict(plan_doc(GOLDEN_LANDMARKS)),
                                          analyze(plan_from_dict(plan_doc(GOLDEN_LANDMARKS))))


def test_followups_round_trip_with_unknown_keys(tmp_path: Path) -> None:
    followup = {
        "label": "6 weeks", "date": "2026-11-02",
        "image": {"path": "post.png", "pixel_spacing_mm": [0.2, 0.25],
                  "calibration": {"source": "ruler", "detail": "30 mm ball", "x-mine": 1}},
        "facing": "right", "landmarks": _turned(GOLDEN_LANDMARKS, 2.0), "x-reader": "AB",
    }
    doc = _golden_plan([followup, {"label": "1 year", "landmarks": {}}])
    path = tmp_path / "p.json"
    write_plan(plan_from_dict(doc), path)
    again = read_plan(path)
    assert plan_to_dict(again)["followups"] == doc["followups"]
    assert again.followups[0].calibration.spacing is not None
    assert again.followups[0].calibration.spacing.as_list() == [0.2, 0.25]
    assert again.followups[1].image is None


@pytest.mark.parametrize(
    ("followups", "field", "words"),
    [
        ({"label": "x"}, "followups", "expected a list"),
        (["x"], "followups[0]", "expected an object"),
        ([{"landmarks": {}}], "followups[0].label", "expected a name"),
        ([{"label": " ", "landmarks": {}}], "followups[0].label", "expected a name"),
        ([{"label": "a", "date": "2026-13-01"}], "followups[0].date", "YYYY-MM-DD"),
        ([{"label": "a", "date": "20261101"}], "followups[0].date", "YYYY-MM-DD"),
        ([{"label": "a", "date": "2026-W45-1"}], "followups[0].date", "YYYY-MM-DD"),
        ([{"label": "a", "date": 20261101}], "followups[0].date", "expected text"),
        ([{"label": "a", "facing": "up"}], "followups[0].facing", '"left" or "right"'),
        ([{"label": "a", "image": {"pixel_spacing_mm": -1}}],
         "followups[0].image.pixel_spacing_mm", "greater than 0"),
        ([{"label": "a", "landmarks": {"L9": {}}}], "followups[0].landmarks.L9", "unknown level"),
        ([{"label": "a", "landmarks": {"L3": {"ant_sup": "abc"}}}],
         "followups[0].landmarks.L3.ant_sup", "two finite numbers"),
    ],
)
def test_bad_followups_name_the_field(followups: Any, field: str, words: str) -> None:
    text = json.dumps(plan_doc({}, followups=followups))
    with pytest.raises(PlanValidationError) as caught:
        parse_plan(text, source="plan.json")
    assert caught.value.field == field
    assert words in str(caught.value)
    assert str(caught.value).startswith("plan.json: " + field)


def test_planned_spine_registered_on_the_sacrum_lands_on_a_rigidly_turned_followup() -> None:
    from alignment_planner.analysis.followups import measure_followup
    from alignment_planner.analysis.registration import registered_on_sacrum, starting_layout
    from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
    from alignment_planner.synthetic.cohort import cohort_plan

    plan = cohort_plan(3, pt_miss_deg=-4.0)
    analysis = analyze(plan)
    [followup] = plan.followups
    film = measure_followup(followup)
    assert analysis.postop_skeleton is not None and film.skeleton is not None and film.frame
    laid = registered_on_sacrum(analysis.postop_skeleton, film.skeleton, film.frame)
    # The follow-up is the planned body turned about the hips: registering on S1 finds that turn,
    # so every planned point lands on the follow-up's (to 1e-6 px).
    for level, vertebra in followup.landmarks.vertebrae.items():
        for name in ("ant_sup", "post_sup", "post_inf", "ant_inf"):
            want, got = vertebra.point(name), laid.point(level, name)
            if want is not None:
                assert got is not None
                assert got == pytest.approx(want, abs=1e-6)
    # A starting layout only once the hips and S1 are placed on the follow-up.
    only_s1 = followup.landmarks
    only_s1 = type(only_s1)((), {"S1": only_s1.vertebrae["S1"]})
    from alignment_planner.geometry.frame import AnatomicalFrame

    frame = AnatomicalFrame(0.2, 0.2, "right")
    with pytest.raises(NotMeasurable, match="femoral heads"):
        starting_layout(analysis.postop_skeleton, Skeleton.from_landmarks(only_s1, frame), frame)
    layout = starting_layout(analysis.postop_skeleton, film.skeleton, film.frame)
    assert "S1" not in layout and "L1" in layout
