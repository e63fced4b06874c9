"""A follow-up film's landmarks, built from the plan's own geometry with a chosen miss (issue 19):
the cuts achieve a fraction of their planned angle, the thoracic spine above T11 gains reciprocal
kyphosis, and the pelvis ends at a chosen PT. Nothing here measures the result: the achieved PT
is set by construction (a turn about the hip axis, clinical.md §3.3 step 5), so tests know it.
"""

from __future__ import annotations

from dataclasses import replace

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.analysis.registration import skeleton_landmarks
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX
from alignment_planner.geometry.transforms import Rigid2D
from alignment_planner.measurements.definitions import pelvic_tilt
from alignment_planner.plan.model import Compensation, Plan
from alignment_planner.procedures.simulate import apply_compensation

RECIPROCAL_HINGE = ("T11", "ant_sup")
"""Reciprocal kyphosis opens the T10–T11 disc: T10 and above tip forward about T11's front."""


def followup_landmarks(
    plan: Plan,
    achieved_pt: float,
    *,
    correction_fraction: float = 1.0,
    kyphosis_gain_deg: float = 0.0,
) -> Landmarks:
    """The follow-up film's landmarks in the pre-op film's pixels and facing."""
    cuts = tuple(replace(o, angle_deg=o.angle_deg * correction_fraction) for o in plan.osteotomies)
    fixed = analyze(replace(plan, osteotomies=cuts, compensation=Compensation("none"), followups=()))
    skeleton, frame = fixed.postop_skeleton, fixed.frame
    if skeleton is None or frame is None:
        raise ValueError("the plan cannot be simulated: no follow-up can be built from it")
    if kyphosis_gain_deg:
        level, name = RECIPROCAL_HINGE
        cranial = frozenset(k for k in skeleton.points if LEVEL_INDEX[k] < LEVEL_INDEX[level])
        skeleton = skeleton.moved(
            Rigid2D.rotation_about(skeleton.point(level, name), -kyphosis_gain_deg), cranial
        )
    skeleton = apply_compensation(skeleton, pelvic_tilt(skeleton) - achieved_pt)
    return skeleton_landmarks(skeleton, frame)
