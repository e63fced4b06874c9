"""Compensation models (clinical.md §3.3 step 5, §4.5) and wedge geometry (§3.2)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.errors import PlanValidationError
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.procedures.compensation import COMPENSATION_MODELS, IDEAL_PT_FORMULAS
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = PixelSpacing.isotropic(0.2)


def _plan(*osteotomies: Osteotomy, compensation: Compensation | None = None, spacing: PixelSpacing | None = SPACING) -> Plan:
    return Plan(
        landmarks=build_landmarks(SpineSpec(pelvic_incidence=60.0, pelvic_tilt=28.0), spacing=SPACING),
        image=ImageRef(pixel_spacing=spacing) if spacing else None,
        osteotomies=osteotomies,
        compensation=compensation,
    )


PSO = Osteotomy("PSO", "L3", 30.0)


@pytest.mark.parametrize("model", sorted(COMPENSATION_MODELS))
def test_every_model_keeps_the_rotation_invariant_values(model: str) -> None:
    # The personal model carries its fit (issue 19 §4).
    fit = {"slope": -0.3, "se": 0.05, "n": 12} if model == "personal" else {}
    compensation = Compensation(model, 18.0 if model == "pt_target" else None, fit)
    fixed = analyze(_plan(PSO)).postop.values
    compensated = analyze(_plan(PSO, compensation=compensation))
    for key in ("PI", "LL", "TPA", "GT", "CPA", "L1PA", "PI_LL", "TK"):
        assert compensated.postop.values[key].value == pytest.approx(fixed[key].value, abs=1e-9), key
    phi = compensated.compensation_deg
    assert phi is not None
    pt, ss = compensated.postop.values["PT"].value, compensated.postop.values["SS"].value
    assert pt == pytest.approx(fixed["PT"].value - phi, abs=1e-9)  # type: ignore[operator]
    assert ss == pytest.approx(fixed["SS"].value + phi, abs=1e-9)  # type: ignore[operator]
    assert compensated.compensation_label


def test_pt_ideal_uses_the_chosen_formula() -> None:
    for key, formula in IDEAL_PT_FORMULAS.items():
        analysis = analyze(_plan(PSO, compensation=Compensation("pt_ideal", extra={"formula": key})))
        pi = analysis.preop.values["PI"].value
        assert analysis.postop.values["PT"].value == pytest.approx(formula(pi), abs=1e-9)  # type: ignore[arg-type]
        assert formula.name in analysis.compensation_label
    default = analyze(_plan(PSO, compensation=Compensation("pt_ideal")))
    assert default.postop.values["PT"].value == pytest.approx(0.47 * 60.0 - 7.5, abs=1e-6)


def test_yamato_regression_is_a_change_released_towards_the_ideal() -> None:
    """clinical.md §4.6: PT_post = max(PT_pre − 0.5·ΔLL, min(PT_pre, 0.47·PI − 7.5)).
    PI 60, PT 28: a 30° PSO (ΔLL = 30) would give 13°, the release stops at 0.47·60 − 7.5 = 20.7°;
    a 10° SPO gives 28 − 5 = 23°."""
    pso = analyze(_plan(PSO, compensation=Compensation("yamato2016")))
    assert pso.postop.values["PT"].value == pytest.approx(20.7, abs=1e-6)
    spo = analyze(_plan(Osteotomy("SPO", "L4-L5", 10.0), compensation=Compensation("yamato2016")))
    assert spo.postop.values["PT"].value == pytest.approx(23.0, abs=1e-6)
    assert "Yamato 2016" in pso.compensation_label and "ΔLL" in pso.compensation_label


def test_compensation_models_round_trip_and_are_validated(tmp_path: Path) -> None:
    plan = _plan(PSO, compensation=Compensation("pt_ideal", extra={"formula": "le_huec2016"}))
    write_plan(plan, tmp_path / "p.json")
    again = read_plan(tmp_path / "p.json")
    assert again.compensation is not None and again.compensation.extra["formula"] == "le_huec2016"
    doc = json.loads((tmp_path / "p.json").read_text())
    doc["compensation"] = {"model": "pt_ideal", "formula": "nobody2030"}
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(PlanValidationError, match=r"compensation\.formula.*nobody2030"):
        read_plan(tmp_path / "bad.json")
    doc["compensation"] = {"model": "guess"}
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(PlanValidationError, match="yamato2016"):  # the known models are listed
        read_plan(tmp_path / "bad.json")


def _pso_geometry(plan: Plan) -> tuple[float, float]:
    """Hinge-to-posterior-wall distance and posterior wall height of L3, in mm."""
    lm = plan.landmarks.vertebrae["L3"]
    mm = lambda p: (p[0] * 0.2, p[1] * 0.2)  # noqa: E731
    hinge = ((mm(lm.ant_sup)[0] + mm(lm.ant_inf)[0]) / 2, (mm(lm.ant_sup)[1] + mm(lm.ant_inf)[1]) / 2)
    a, b = mm(lm.post_sup), mm(lm.post_inf)
    length = math.dist(a, b)
    depth = abs((b[0] - a[0]) * (a[1] - hinge[1]) - (a[0] - hinge[0]) * (b[1] - a[1])) / length
    return depth, length


@pytest.mark.parametrize("angle", [20.0, 30.0, 35.0])
def test_pso_posterior_closure_is_the_symmetric_wedge(angle: float) -> None:
    plan = _plan(Osteotomy("PSO", "L3", angle))
    (wedge,) = analyze(plan).wedges
    depth, _height = _pso_geometry(plan)
    assert wedge.kind == "closure"
    assert wedge.mm == pytest.approx(2 * depth * math.tan(math.radians(angle) / 2), abs=1e-9)


def test_clinical_table_value() -> None:
    """clinical.md §3.2 table: θ 30°, d 40 mm → 21.4 mm (symmetric)."""
    from alignment_planner.procedures.wedge import _symmetric

    assert _symmetric(40.0, 30.0) == pytest.approx(21.4, abs=0.05)
    assert _symmetric(35.0, 25.0) == pytest.approx(15.5, abs=0.05)


def test_a_wedge_that_cannot_fit_is_warned_about_not_refused() -> None:
    plan = _plan(Osteotomy("PSO", "L3", 60.0))
    depth, height = _pso_geometry(plan)
    assert 2 * depth * math.tan(math.radians(30.0)) > height  # the premise
    analysis = analyze(plan)
    assert analysis.wedges[0].warning and "would not fit" in analysis.wedges[0].warning
    assert any("would not fit" in w for w in analysis.warnings)
    assert analysis.postop.values["LL"].value is not None  # still simulated
    assert analyze(_plan(Osteotomy("PSO", "L3", 25.0))).wedges[0].warning is None
    assert analyze(_plan(Osteotomy("VCR", "L3", 60.0))).wedges[0].warning is None


def test_spo_closure_follows_the_one_mm_per_degree_rule_and_openings_are_reported() -> None:
    spo, acr = analyze(_plan(Osteotomy("SPO", "L4-L5", 10.0), Osteotomy("ACR", "L2-L3", 20.0))).wedges
    assert spo.kind == "closure" and spo.mm == pytest.approx(10.0, abs=0.1)
    assert acr.kind == "opening" and acr.mm is not None and acr.mm > 5.0


def test_uncalibrated_wedges_say_why() -> None:
    (wedge,) = analyze(_plan(Osteotomy("PSO", "L3", 30.0), spacing=None)).wedges
    assert wedge.mm is None and wedge.reason == "uncalibrated image"
