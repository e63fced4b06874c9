"""Osteotomy simulation and compensation in the core (contract.md §2, clinical.md §3.3, §4.5)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Plan
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = PixelSpacing.isotropic(0.2)


def _plan(*osteotomies: Osteotomy, spacing: PixelSpacing = SPACING, **kw: object) -> Plan:
    return Plan(
        landmarks=build_landmarks(SpineSpec(), spacing=spacing),
        image=ImageRef(pixel_spacing=spacing),
        osteotomies=osteotomies,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    "osteotomy",
    [Osteotomy("PSO", "L3", 30.0), Osteotomy("SPO", "L1-L2", 10.0), Osteotomy("ACR", "L4-L5", 20.0),
     Osteotomy("VCR", "L1", 40.0), Osteotomy("KYPHOPLASTY", "L2", 8.0), Osteotomy("EPSO", "L4", 45.0)],
    ids=lambda o: f"{o.type}-{o.level}",
)
def test_lumbar_cut_adds_exactly_its_angle_and_leaves_the_pelvis(osteotomy: Osteotomy) -> None:
    analysis = analyze(_plan(osteotomy))
    pre, post = analysis.preop.values, analysis.postop.values
    assert post["LL"].value - pre["LL"].value == pytest.approx(osteotomy.angle_deg, abs=1e-9)  # type: ignore[operator]
    for key in ("PI", "PT", "SS"):
        assert post[key].value == pytest.approx(pre[key].value, abs=1e-9), key
    # Everything entirely above the cut moves rigidly.
    for key in ("TK", "CL"):
        assert post[key].value == pytest.approx(pre[key].value, abs=1e-9), key
    assert post["T1S"].value - pre["T1S"].value == pytest.approx(-osteotomy.angle_deg, abs=1e-9)  # type: ignore[operator]


def test_sva_change_matches_the_closed_form() -> None:
    """clinical.md §3.3 step 3: ΔSVA = (C7−A)x(cos θ − 1) − (C7−A)y sin θ."""
    theta = 27.0
    analysis = analyze(_plan(Osteotomy("PSO", "L3", theta)))
    skeleton = analysis.preop_skeleton
    assert skeleton is not None
    (ax, ay), = [a.hinge for a in analysis.applied]
    c7 = skeleton.centre("C7")
    dx, dy = c7[0] - ax, c7[1] - ay
    t = math.radians(theta)
    expected = dx * (math.cos(t) - 1) - dy * math.sin(t)
    change = analysis.postop.value("SVA") - analysis.preop.value("SVA")  # type: ignore[operator]
    assert change == pytest.approx(expected, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.permutations([Osteotomy("PSO", "L3", 25.0), Osteotomy("SPO", "T11-T12", 8.0),
                        Osteotomy("SPO", "T10-T11", 6.0), Osteotomy("ACR", "L4-L5", 15.0)]))
def test_order_in_the_file_never_matters(order: list[Osteotomy]) -> None:
    reference = analyze(_plan(Osteotomy("ACR", "L4-L5", 15.0), Osteotomy("PSO", "L3", 25.0),
                              Osteotomy("SPO", "T11-T12", 8.0), Osteotomy("SPO", "T10-T11", 6.0)))
    shuffled = analyze(_plan(*order))
    for key, value in reference.postop.values.items():
        assert shuffled.postop.values[key].value == pytest.approx(value.value, abs=1e-9), key


def test_explicit_hinge_is_carried_by_the_cuts_below() -> None:
    """An explicit hinge equal to the default one must give the same result (it moves along)."""
    plan = _plan(Osteotomy("PSO", "L4", 20.0), Osteotomy("SPO", "L1-L2", 10.0))
    l1 = plan.landmarks.vertebrae["L1"]
    l2 = plan.landmarks.vertebrae["L2"]
    hinge = ((l1.post_inf[0] + l2.post_sup[0]) / 2, (l1.post_inf[1] + l2.post_sup[1]) / 2)  # type: ignore[index]
    explicit = replace(plan, osteotomies=(plan.osteotomies[0], replace(plan.osteotomies[1], hinge=hinge)))
    a, b = analyze(plan), analyze(explicit)
    for key, value in a.postop.values.items():
        assert b.postop.values[key].value == pytest.approx(value.value, abs=1e-9), key


def test_anisotropic_spacing_simulates_in_millimetres() -> None:
    iso = analyze(_plan(Osteotomy("PSO", "L3", 30.0)))
    aniso = analyze(_plan(Osteotomy("PSO", "L3", 30.0), spacing=PixelSpacing(0.15, 0.3)))
    for key in ("LL", "TPA", "GT", "SVA", "PI", "T1S"):
        assert aniso.postop.value(key) == pytest.approx(iso.postop.value(key), abs=1e-9), key


def test_pt_target_compensation_rotates_about_the_hip_axis() -> None:
    base = analyze(_plan(Osteotomy("PSO", "L3", 30.0)))
    comp = analyze(_plan(Osteotomy("PSO", "L3", 30.0), compensation=Compensation("pt_target", 5.0)))
    assert comp.postop.value("PT") == pytest.approx(5.0, abs=1e-9)
    phi = base.postop.value("PT") - 5.0  # type: ignore[operator]
    assert comp.compensation_deg == pytest.approx(phi)
    assert comp.postop.value("SS") == pytest.approx(base.postop.value("SS") + phi, abs=1e-9)  # type: ignore[operator]
    for key in ("PI", "LL", "TPA", "GT", "TK"):
        assert comp.postop.value(key) == pytest.approx(base.postop.value(key), abs=1e-9), key
    assert comp.postop.value("SVA") > base.postop.value("SVA")  # type: ignore[operator]  # C7 moves forward


def test_missing_hinge_landmarks_explain_the_planned_values() -> None:
    plan = _plan(Osteotomy("PSO", "L3", 30.0))
    plan = replace(plan, landmarks=plan.landmarks.with_point("L3", "ant_inf", None))
    analysis = analyze(plan)
    reason = analysis.postop.values["LL"].reason
    assert reason and "PSO at L3" in reason and "L3.ant_inf" in reason
    assert analysis.preop.values["LL"].measured


def test_compensation_without_pelvis_keeps_only_invariant_predictions() -> None:
    plan = _plan(Osteotomy("PSO", "L3", 30.0), compensation=Compensation("pt_target", 20.0))
    plan = replace(plan, landmarks=plan.landmarks.with_femoral_heads(()))
    analysis = analyze(plan)
    assert analysis.postop.values["LL"].measured
    sva = analysis.postop.values["SVA"]
    assert sva.value is None and sva.reason and "pt_target needs PT" in sva.reason


def test_angle_outside_the_typical_range_is_a_warning() -> None:
    analysis = analyze(_plan(Osteotomy("SPO", "L2-L3", 25.0)))
    assert any("outside the typical 5–15°" in w for w in analysis.warnings)


def test_the_preop_memo_never_serves_another_plans_values() -> None:
    """An Analyzer reuses the last pre-op result while only the osteotomies change (slider speed);
    a different facing, calibration or landmark set must be measured afresh."""
    from alignment_planner.analysis.pipeline import Analyzer

    analyzer = Analyzer()
    base = _plan(Osteotomy("PSO", "L3", 30.0))
    first = analyzer.analyze(base)
    again = analyzer.analyze(replace(base, osteotomies=(Osteotomy("PSO", "L3", 35.0),)))
    assert again.preop is first.preop  # reused: the same landmarks object
    variants = [
        replace(base, image=ImageRef(pixel_spacing=PixelSpacing.isotropic(0.4))),
        replace(base, facing="left"),
        replace(base, landmarks=base.landmarks.with_point("L1", "ant_sup", (0.0, 0.0))),
    ]
    for plan in variants:
        memoised = analyzer.analyze(plan)
        analyzer.forget()
        fresh = analyzer.analyze(plan)
        assert memoised.preop == fresh.preop and memoised.warnings == fresh.warnings
        assert memoised.preop != first.preop
        assert analyze(plan).preop == fresh.preop  # the plain function measures afresh
