"""The landmarks a procedure needs before it can be simulated and drawn (issue 17 §2).

A Standard landmarking asks only for what the parameters need, so a PSO at L3 usually finds L3
without corners. Rather than invent them, the planner asks for exactly these points first: the
ones the type's hinge rule is built from (``ProcedureType.hinge_landmarks``), and the ones the
wedge, the cut line and the planned film are drawn from.
"""

from __future__ import annotations

from alignment_planner.anatomy.landmarking import Step
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import CORNERS, parse_disc
from alignment_planner.measurements.guide import steps_for_requirements
from alignment_planner.measurements.registry import BodyCentre, Corner, Requirement
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES


def requirements_for(type_key: str, level: str) -> tuple[Requirement, ...]:
    """What an osteotomy of ``type_key`` at ``level`` reads from the landmarks with a default hinge.

    A cut through a vertebra is drawn from all four of its corners (wedge depth from the posterior
    wall, cut line through both walls); a cut at a disc from the two endplates facing the disc and
    the body above it (the side that turns).
    """
    kind = PROCEDURE_TYPES[type_key]
    found: list[Requirement] = []
    for name in kind.hinge_landmarks(level):
        point_level, _, point = name.partition(".")
        found.append(Corner(point_level, point))
    if kind.site == "vertebra":
        found += [Corner(level, corner) for corner in CORNERS]
    else:
        disc = parse_disc(level)
        if disc is None:
            raise ValueError(f'"{level}" is not a disc level')
        upper, lower = disc
        found += [Corner(upper, "post_inf"), Corner(upper, "ant_inf")]
        found += [Corner(lower, "post_sup"), Corner(lower, "ant_sup"), BodyCentre(upper)]
    unique: list[Requirement] = []
    for requirement in found:
        if requirement not in unique:
            unique.append(requirement)
    return tuple(unique)


def missing_steps(landmarks: Landmarks, osteotomy: Osteotomy) -> tuple[Step, ...]:
    """The wizard steps still needed before ``osteotomy`` can be simulated and drawn, in reading
    order (empty when every point is placed)."""
    return steps_for_requirements(requirements_for(osteotomy.type, osteotomy.level), landmarks)
