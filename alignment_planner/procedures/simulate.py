"""Osteotomy simulation and pelvic compensation in physical space (clinical.md §3.3, §4.5).

Everything happens in the anatomical frame in millimetres: with anisotropic pixels a rotation in
pixel space would be wrong (contract.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import Point
from alignment_planner.geometry.transforms import Rigid2D
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES


@dataclass(frozen=True, slots=True)
class AppliedOsteotomy:
    osteotomy: Osteotomy
    hinge: Point
    """Where the hinge was when this cut was closed, after the cuts below it (anatomical frame)."""


def apply_osteotomies(
    skeleton: Skeleton, osteotomies: tuple[Osteotomy, ...], frame: AnatomicalFrame
) -> tuple[Skeleton, tuple[AppliedOsteotomy, ...]]:
    """Apply the cuts from caudal to cranial, carrying each hinge along (clinical.md §3.3 step 4).

    Raises ``NotMeasurable`` naming the procedure when a default hinge's landmarks are missing.
    """
    ordered = sorted(
        osteotomies, key=lambda o: -PROCEDURE_TYPES[o.type].cut_position(o.level)
    )  # stable: cuts at the same place keep their file order
    carried = Rigid2D()  # composition of every rotation applied so far (all are caudal to this cut)
    current = skeleton
    applied: list[AppliedOsteotomy] = []
    for osteotomy in ordered:
        hinge = carried.apply(initial_hinge(skeleton, osteotomy, frame))
        current = rotate_segment(current, osteotomy.type, osteotomy.level, hinge, osteotomy.angle_deg)
        carried = carried.then(Rigid2D.rotation_about(hinge, osteotomy.angle_deg))
        applied.append(AppliedOsteotomy(osteotomy, hinge))
    return current, tuple(applied)


def rotate_segment(s: Skeleton, type_key: str, level: str, hinge: Point, angle_deg: float) -> Skeleton:
    """Close one cut: everything cranial to it turns by ``angle_deg`` about ``hinge`` (where the
    hinge is now, after the cuts below it)."""
    kind = PROCEDURE_TYPES[type_key]
    whole_levels, partial = kind.moving_part(level)
    moved = s.moved(Rigid2D.rotation_about(hinge, angle_deg), whole_levels, points_of=partial)
    if kind.site == "vertebra":
        moved = _move_explicit_centre(moved, level, hinge, angle_deg)
    return moved


def initial_hinge(skeleton: Skeleton, osteotomy: Osteotomy, frame: AnatomicalFrame) -> Point:
    """The hinge before anything moves (anatomical frame): explicit, or the type's default."""
    if osteotomy.hinge is not None:
        return frame.to_anatomical(osteotomy.hinge)
    kind = PROCEDURE_TYPES[osteotomy.type]
    try:
        return kind.default_hinge(skeleton, osteotomy.level)
    except NotMeasurable:
        needed = " and ".join(kind.hinge_landmarks(osteotomy.level))
        raise NotMeasurable(
            f"{osteotomy.type} at {osteotomy.level}: the default hinge needs {needed} "
            "(place them or give an explicit hinge)"
        ) from None


def _move_explicit_centre(s: Skeleton, level: str, hinge: Point, angle_deg: float) -> Skeleton:
    """An explicit centre of the cut vertebra lies between the two cut planes: give it half the
    rotation (an approximation; the mean-of-corners centre needs none, its corners moved)."""
    named = s.points.get(level)
    if named is None or "center" not in named:
        return s
    half = Rigid2D.rotation_about(hinge, angle_deg / 2.0)
    return s.moved(half, frozenset(), points_of=(level, ("center",)))


def apply_compensation(skeleton: Skeleton, phi_deg: float) -> Skeleton:
    """The trunk and pelvis turned about the hip axis by −φ (clinical.md §3.3 step 5, §4.6): the
    pelvis turns on the femoral heads, which stay where they are with the femora (both centres
    lie on the axis it turns about; turning them about their midpoint on the film would move
    each by half their separation times φ, which no hip does)."""
    if phi_deg == 0.0:
        return skeleton
    return skeleton.moved(Rigid2D.rotation_about(skeleton.hip_axis(), -phi_deg), frozenset(skeleton.points))
