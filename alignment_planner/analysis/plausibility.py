"""Plans that cannot be what the surgeon meant (issue 15 §5): the same cut entered twice,
closures that add up to more bone than the vertebra has, and angles that pass ±180° (a planned
LL of −95° printed for a spine folded over itself). Warned about, or refused when the result could
not be drawn at all; never silently computed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import distance
from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.wedge import Wedge

FOLD_LIMIT_DEG = 180.0


def duplicate_warnings(osteotomies: Sequence[Osteotomy]) -> list[str]:
    """More than one cut at one level is almost always a double click on Add."""
    by_level: dict[str, list[Osteotomy]] = defaultdict(list)
    for osteotomy in osteotomies:
        by_level[osteotomy.level].append(osteotomy)
    warnings = []
    for level, cuts in by_level.items():
        if len(cuts) > 1:
            names = " + ".join(f"{o.type} {o.angle_text}" for o in cuts)
            total = sum(o.angle_deg for o in cuts)
            warnings.append(
                f"{len(cuts)} cuts at {level} ({names} = {total:g}° in total): was one added twice? "
                "Each is simulated, so the corrections add up"
            )
    return warnings


def cumulative_closure_warnings(skeleton: Skeleton, wedges: Sequence[Wedge]) -> list[str]:
    """Closing wedges through one vertebra take bone from the same posterior wall: their total
    must fit in it (clinical.md §3.2), not only each on its own."""
    by_level: dict[str, list[Wedge]] = defaultdict(list)
    for w in wedges:
        if w.kind == "closure" and w.mm is not None and w.osteotomy.level in LEVEL_INDEX:
            by_level[w.osteotomy.level].append(w)
    warnings = []
    for level, group in by_level.items():
        if len(group) < 2:
            continue
        try:
            room = distance(skeleton.point(level, "post_sup"), skeleton.point(level, "post_inf"))
        except NotMeasurable:
            continue
        index = LEVEL_INDEX[level]
        if any(_takes_disc_above(w) for w in group) and index > 0:
            above = LEVELS[index - 1]
            if skeleton.has_point(above, "post_inf"):
                room += distance(skeleton.point(level, "post_sup"), skeleton.point(above, "post_inf"))
        total = sum(w.mm for w in group if w.mm is not None)
        if total > room:
            warnings.append(
                f"{level}: the {len(group)} wedges close {total:.1f} mm posteriorly in total, more "
                f"than the {room:.1f} mm of bone there: they would not fit (clinical.md §3.2)"
            )
    return warnings


def _takes_disc_above(w: Wedge) -> bool:
    """An extended PSO may also take the disc above (its registered wedge rule says so)."""
    rule = PROCEDURE_TYPES[w.osteotomy.type].wedge_rule
    return getattr(rule, "room", None) == "posterior_wall_and_disc_above"


def check_foldable(osteotomies: Sequence[Osteotomy]) -> None:
    """Refuse cuts whose rotations add up to half a turn: the spine above would point down."""
    total = sum(o.angle_deg for o in osteotomies)
    if abs(total) >= FOLD_LIMIT_DEG:
        raise NotMeasurable(
            f"the cuts add up to {total:g}°: the spine above them would turn over on itself, which "
            "cannot be drawn; remove the extra cuts"
        )


def unwrapped(
    preop: Measurements, postop: Measurements, turned_deg: float
) -> tuple[Measurements, list[str]]:
    """Planned angles that went past ±180° (and came back with the wrong sign) are replaced by
    "not measurable" with the value they would have had. ``turned_deg`` bounds how far any angle
    could move: the sum of |cut angles| and |pelvic rotation|."""
    values = dict(postop.values)
    warnings = []
    for parameter in PARAMETERS:
        if parameter.unit != "deg":
            continue
        before, after = preop.value(parameter.key), postop.value(parameter.key)
        if before is None or after is None or abs(before) + turned_deg <= FOLD_LIMIT_DEG:
            continue
        candidate = min((after - 360.0, after, after + 360.0), key=lambda u: abs(u - before))
        if abs(candidate) > FOLD_LIMIT_DEG:
            reason = (
                f"would be {candidate:.1f}°, past ±180°: the angle wraps round and would print "
                f"as {after:.1f}°"
            )
            values[parameter.key] = Value(None, reason)
            warnings.append(f"planned {parameter.key} {reason}; check the planned cuts")
    return Measurements(values, postop.segmental), warnings
