"""``alignment-planner outcomes`` (contract.md §4.5) on synthetic cohorts with known misses."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.files.plan_writer import write_plan
from alignment_planner.procedures.personal_compensation import (
    MIN_PLANS,
    NotEnoughCases,
    fit_personal,
    leave_one_out_slopes,
)
from alignment_planner.synthetic.cohort import cohort_plan
from alignment_planner_launcher import main


def _cohort(folder: Path, count: int, **kwargs: Any) -> list[str]:
    paths = []
    for i in range(count):
        path = folder / f"plan_{i:03d}.json"
        write_plan(cohort_plan(i, **kwargs), path)
        paths.append(str(path))
    return paths


def _outcomes(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main(["outcomes", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("bias", [-4.0, 2.5])
def test_injected_pt_bias_is_recovered_within_its_standard_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bias: float
) -> None:
    paths = _cohort(tmp_path, 30, pt_miss_deg=bias, pt_miss_sd=3.0)
    summary = _outcomes(capsys, *paths)["summary"]
    pt = summary["per_key"]["PT"]
    assert pt["n"] == 30
    # Each plan's error is exactly the miss injected into its follow-up; the cohort's bias is
    # recovered within 2 standard errors of the injected mean.
    document = _outcomes(capsys, *paths)
    for plan, path in zip(document["plans"], paths, strict=True):
        injected = json.loads(Path(path).read_text())["followups"][0]["x-synthetic"]
        got = plan["followups"][0]["predicted_minus_achieved"]["PT"]
        assert got == pytest.approx(injected["pt_planned_minus_achieved"], abs=1e-5)
    assert abs(pt["bias"] - bias) <= 2.0 * pt["se"]
    assert pt["se"] == pytest.approx(pt["sd"] / math.sqrt(30), rel=1e-6)
    assert pt["mae"] >= abs(pt["bias"]) - 1e-9
    # SS = PI − PT: its error mirrors PT's; PI, LL and TPA are not touched by the pelvis.
    assert summary["per_key"]["SS"]["bias"] == pytest.approx(-pt["bias"], abs=1e-6)
    for key in ("PI", "LL", "TPA", "PI_LL"):
        assert abs(summary["per_key"][key]["bias"]) < 1e-6
    # Every compensation model's error is reported, and for the plans' own model it is the
    # plan's error; "pelvis fixed" predicts PT too high after a large PSO.
    models = summary["per_model"]
    assert {"none", "pt_ideal", "yamato2016", "pt_target (20°)"} <= set(models)
    assert models["yamato2016"]["PT"] == pt
    assert models["none"]["PT"]["bias"] > pt["bias"]
    for table in models.values():
        assert table["TPA"]["mae"] == pytest.approx(0.0, abs=1e-6)


def test_a_surgeons_pelvic_response_is_fitted_and_offered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _cohort(tmp_path, 24, response=-0.3, pt_miss_sd=1.5)
    document = _outcomes(capsys, *paths, "--personal", str(tmp_path / "personal.json"))
    fit = document["summary"]["personal_model"]
    assert fit["n"] == 24 and fit["label"] == "personal, n = 24 plans"
    assert abs(fit["slope"] - -0.3) <= 2.5 * fit["se"]
    assert 0 < fit["se"] < 0.1
    written = json.loads((tmp_path / "personal.json").read_text())
    assert written["model"] == "personal" and written["n"] == 24
    assert "personal (leave-one-out)" in document["summary"]["per_model"]
    # Its leave-one-out PT error is smaller than Yamato's −0.5 slope on the same patients.
    models = document["summary"]["per_model"]
    assert models["personal (leave-one-out)"]["PT"]["mae"] < models["yamato2016"]["PT"]["mae"]


def test_personal_fit_by_hand() -> None:
    pairs = [(10.0, -3.0), (20.0, -5.0), (30.0, -10.0), (15.0, -4.0), (25.0, -6.0),
             (12.0, -4.0), (18.0, -5.0), (22.0, -7.0), (28.0, -8.0), (16.0, -5.0)]
    sxx = sum(x * x for x, _ in pairs)
    b = sum(x * y for x, y in pairs) / sxx
    s = math.sqrt(sum((y - b * x) ** 2 for x, y in pairs) / 9)
    fit = fit_personal(pairs)
    assert fit.slope == pytest.approx(b, rel=1e-12)
    assert fit.se == pytest.approx(s / math.sqrt(sxx), rel=1e-12)
    loo = leave_one_out_slopes(pairs)
    rest = pairs[1:]
    assert loo[0] == pytest.approx(sum(x * y for x, y in rest) / sum(x * x for x, _ in rest))
    with pytest.raises(NotEnoughCases, match=f"at least {MIN_PLANS} plans"):
        fit_personal(pairs[: MIN_PLANS - 1])
    with pytest.raises(NotEnoughCases, match="no lordosis change"):
        fit_personal([(0.0, 1.0)] * MIN_PLANS)


def test_too_few_plans_refuse_the_personal_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _cohort(tmp_path, MIN_PLANS - 1)
    document = _outcomes(capsys, *paths)
    assert document["summary"]["personal_model"] is None
    assert f"at least {MIN_PLANS} plans" in document["summary"]["personal_note"]
    assert main(["outcomes", *paths, "--personal", str(tmp_path / "p.json")]) == 2
    assert f"at least {MIN_PLANS}" in capsys.readouterr().err
    assert not (tmp_path / "p.json").exists()


def test_plans_without_followup_are_skipped_with_a_note_and_csv_is_long_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _cohort(tmp_path, 2, pt_miss_deg=-3.0)
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"format": "alignment-planner-plan", "version": 1, "landmarks": {}}))
    document = _outcomes(capsys, *paths, str(bare), "--csv", str(tmp_path / "out.csv"))
    assert document["skipped"] == [f"{bare}: no follow-up film; skipped"]
    assert [p["plan"] for p in document["plans"]] == paths
    row = document["plans"][0]["followups"][0]
    assert row["predicted_minus_achieved"]["PT"] == pytest.approx(
        row["planned"]["PT"] - row["achieved"]["PT"], abs=1e-5
    )
    with (tmp_path / "out.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    pt_rows = [r for r in rows if r["key"] == "PT"]
    assert len(pt_rows) == 2 and pt_rows[0]["plan"] == paths[0] and pt_rows[0]["unit"] == "deg"
    assert float(pt_rows[0]["planned_minus_achieved"]) == pytest.approx(
        row["predicted_minus_achieved"]["PT"], abs=1e-4
    )
    assert main(["outcomes", *paths]) == 0
    table = capsys.readouterr().out
    assert "2 plan(s) with a follow-up" in table and "yamato2016" in table


def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "alignment-planner-plan", "version": 1, "landmarks": {}, '
                      '"followups": [{"label": ""}]}')
    assert main(["outcomes", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "followups[0].label" in err
    assert main(["outcomes", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_personal_model_is_a_registry_model_read_from_the_plan(tmp_path: Path) -> None:
    from alignment_planner.analysis.pipeline import analyze
    from alignment_planner.errors import PlanValidationError
    from alignment_planner.files.plan_reader import parse_plan, plan_from_dict
    from alignment_planner.files.plan_writer import plan_to_dict
    from alignment_planner.procedures.compensation import COMPENSATION_MODELS

    assert "personal" in COMPENSATION_MODELS
    doc = plan_to_dict(cohort_plan(1))
    doc["compensation"] = {"model": "personal", "slope": -0.3, "se": 0.04, "n": 23, "residual_sd": 3.0}
    plan = plan_from_dict(doc)
    analysis = analyze(plan)
    pre = analysis.preop.values
    planned = analysis.postop.values
    d_ll = planned["LL"].value - pre["LL"].value  # type: ignore[operator]
    # clinical.md §4.6 delta form with the surgeon's slope, released no further than the ideal.
    ideal = 0.47 * pre["PI"].value - 7.5  # type: ignore[operator]
    want = min(pre["PT"].value, max(pre["PT"].value - 0.3 * d_ll, min(pre["PT"].value, ideal)))  # type: ignore[operator,type-var]
    assert planned["PT"].value == pytest.approx(want, abs=1e-9)
    assert "personal, n = 23 plans" in analysis.compensation_label and "SE 0.04" in analysis.compensation_label
    for bad, field in (({"slope": -0.3, "se": 0.04, "n": 5}, "compensation.n"),
                       ({"se": 0.04, "n": 23}, "compensation.slope"),
                       ({"slope": 9.0, "se": 0.04, "n": 23}, "compensation.slope")):
        doc["compensation"] = {"model": "personal", **bad}
        with pytest.raises(PlanValidationError) as caught:
            parse_plan(json.dumps(doc))
        assert caught.value.field == field
