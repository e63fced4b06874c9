"""Is this osteotomy applicable to this plan? One check for the GUI, the solver and the CLI, each
message naming the procedure and the problem (issue 4, "Bad input"); the plan is never changed.
"""

from __future__ import annotations

import math

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVEL_LIST_TEXT, describe_bad_disc, parse_disc
from alignment_planner.errors import ProcedureError
from alignment_planner.plan.model import Osteotomy, Plan
from alignment_planner.procedures.fusion import blocking_fusion, fusion_message
from alignment_planner.procedures.registry import PROCEDURE_TYPES


def check_osteotomy(
    plan: Plan, osteotomy: Osteotomy, *, image_size: tuple[int, int] | None = None
) -> None:
    """Raise ``ProcedureError`` when ``osteotomy`` cannot be simulated on ``plan``.

    ``image_size`` (width, height in pixels), when known, bounds an explicit hinge.
    """
    kind = PROCEDURE_TYPES.get(osteotomy.type)
    name = f"{osteotomy.type} at {osteotomy.level}"
    if kind is None:
        known = ", ".join(PROCEDURE_TYPES)
        raise ProcedureError(f"unknown osteotomy type {osteotomy.type!r} (known: {known})")
    if kind.site == "disc":
        if parse_disc(osteotomy.level) is None:
            raise ProcedureError(
                f"{osteotomy.type} is done at a disc: {describe_bad_disc(osteotomy.level)}"
            )
    elif osteotomy.level not in LEVEL_INDEX:
        raise ProcedureError(
            f"{osteotomy.type} is done at a vertebra: unknown level {osteotomy.level!r} "
            f"(levels are {LEVEL_LIST_TEXT})"
        )
    fusion = blocking_fusion(plan, osteotomy)
    if fusion is not None:
        raise ProcedureError(fusion_message(osteotomy, fusion))
    if not math.isfinite(osteotomy.angle_deg) or not -90.0 < osteotomy.angle_deg < 90.0:
        raise ProcedureError(f"{name}: the angle must be a number of degrees between −90 and 90")
    if osteotomy.hinge is None:
        missing = [key for key in kind.hinge_landmarks(osteotomy.level) if not _placed(plan, key)]
        if missing:
            raise ProcedureError(
                f"{name}: the default hinge needs {' and '.join(missing)}: place "
                f"{'it' if len(missing) == 1 else 'them'} first or drag the hinge onto the image"
            )
    else:
        x, y = osteotomy.hinge
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ProcedureError(f"{name}: the hinge is not a finite point")
        if image_size is not None:
            width, height = image_size
            if not (0.0 <= x <= width and 0.0 <= y <= height):
                raise ProcedureError(
                    f"{name}: the hinge ({x:.0f}, {y:.0f}) is outside the {width}×{height} image"
                )
    moved_levels, _partial = kind.moving_part(osteotomy.level)
    if not any(level in plan.landmarks.vertebrae for level in moved_levels):
        raise ProcedureError(f"{name}: nothing is placed cranial to the cut, so nothing would move")


def _placed(plan: Plan, key: str) -> bool:
    level, _, point = key.partition(".")
    return plan.landmarks.point(level, point) is not None
