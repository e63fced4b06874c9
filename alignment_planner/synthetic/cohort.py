"""Synthetic plans with follow-up films whose miss is known: the fixture for ``outcomes`` tests,
its benchmark and the teaching cases' follow-ups (issue 19).

Each plan is a phantom flatback (alignment_planner.synthetic.spine_model) with a PSO and a
compensation model. Its follow-up is built from the plan's own geometry, never from measuring it:
the planned cuts with the pelvis fixed, then the pelvis turned about the hip axis to the PT the
"patient" reached, optionally with a reciprocal thoracic kyphosis change above the fusion. So the
achieved PT, and planned − achieved, are known by construction.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.files.plan_writer import plan_to_dict
from alignment_planner.plan.model import Compensation, FollowUp, ImageRef, Osteotomy, Plan
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.synthetic.followup_film import followup_landmarks
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

SPACING = 0.2
CUT = next(k for k, kind in PROCEDURE_TYPES.items() if kind.hinge_rule == "anterior_wall")
"""A pedicle subtraction osteotomy (the registry's first anterior-wall closing wedge)."""


def flatback_spec(rng: random.Random) -> SpineSpec:
    base = SpineSpec()
    segments = dict(base.segment_lordosis)
    loss = rng.uniform(15.0, 35.0)  # lordosis lost in the lower lumbar spine
    for disc, share in (("L3-L4", 0.3), ("L4-L5", 0.4), ("L5-S1", 0.3)):
        segments[disc] -= loss * share
    return SpineSpec(
        pelvic_incidence=rng.uniform(45.0, 70.0), pelvic_tilt=rng.uniform(22.0, 35.0),
        segment_lordosis=segments,
    )


def cohort_plan(
    seed: int,
    *,
    pt_miss_deg: float = 0.0,
    pt_miss_sd: float = 2.0,
    response: float | None = None,
    kyphosis_gain_deg: float = 0.0,
    model: str = "yamato2016",
    spacing_mm: float = SPACING,
    hip_pixel: tuple[float, float] = (1200.0, 4300.0),
) -> Plan:
    """One plan with one follow-up. Without ``response``: achieved PT = planned PT − miss, miss
    drawn from N(``pt_miss_deg``, ``pt_miss_sd``), so planned − achieved PT has that mean. With
    ``response`` b: achieved PT = pre-op PT + b·ΔLL + N(0, ``pt_miss_sd``) (a surgeon's own
    pelvic response). ``kyphosis_gain_deg`` opens T10-T11 in kyphosis (a reciprocal TK increase)."""
    rng = random.Random(seed)
    spacing = PixelSpacing.isotropic(spacing_mm)
    landmarks = build_landmarks(flatback_spec(rng), spacing=spacing, hip_pixel=hip_pixel)
    level = rng.choice(("L3", "L4", "L2"))
    plan = Plan(
        landmarks=landmarks,
        image=ImageRef(pixel_spacing=spacing, calibration_source="synthetic"),
        facing="right",
        osteotomies=(Osteotomy(CUT, level, round(rng.uniform(20.0, 35.0), 1)),),
        compensation=Compensation(model),
    )
    analysis = analyze(plan)
    planned_pt, pre_pt = analysis.postop.values["PT"].value, analysis.preop.values["PT"].value
    pre_ll, planned_ll = analysis.preop.values["LL"].value, analysis.postop.values["LL"].value
    assert planned_pt is not None and pre_pt is not None
    assert pre_ll is not None and planned_ll is not None
    noise = rng.gauss(0.0, pt_miss_sd)
    if response is None:
        achieved_pt = planned_pt - (pt_miss_deg + noise)
    else:
        achieved_pt = pre_pt + response * (planned_ll - pre_ll) + noise
    landmarks = followup_landmarks(plan, achieved_pt, kyphosis_gain_deg=kyphosis_gain_deg)
    followup = FollowUp(
        label="1 year", date="2027-06-01",
        image=ImageRef(pixel_spacing=spacing, calibration_source="synthetic"), facing="right",
        landmarks=landmarks,
        # Kept on round-trip: what was injected, for tests to compare with what is measured.
        extra={"x-synthetic": {"pt_planned_minus_achieved": planned_pt - achieved_pt,
                               "tk_gain_deg": kyphosis_gain_deg}},
    )
    return replace(plan, followups=(followup,))


def cohort_document(seed: int, **kwargs: Any) -> dict[str, Any]:
    return plan_to_dict(cohort_plan(seed, **kwargs))
