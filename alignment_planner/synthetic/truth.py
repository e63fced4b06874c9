"""Expected values of a phantom spine from its own construction, independently of the measurement
and simulation code (issue 15 §7): the angles from the segment angles the spine was built with,
the positions from its exact construction points with the clinical.md §1.2 formulas written out
again here, and the planned values from rotating those points by hand (clinical.md §3.3) with the
pelvis released as clinical.md §4.6 says for "pt_target".

Only default hinges and the "none"/"pt_target" compensation models are supported: that is what
the sample cases use. The sample-case test compares ``analyze`` with these numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.plan.model import Compensation, Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.synthetic.spine_model import SpineSpec, build_anatomical

Point = tuple[float, float]
Points = dict[str, dict[str, Point]]


def _at_disc(cut: Osteotomy) -> bool:
    return PROCEDURE_TYPES[cut.type].site == "disc"


def _rotation(level: str, below: str, spec: SpineSpec) -> float:
    """How far the superior endplate of ``level`` is turned (lordosis +) from that of ``below``."""
    return spec.segment_lordosis.get(f"{level}-{below}", 0.0) + spec.body_wedge.get(level, 0.0)


def _wedge(level: str, below: str, spec: SpineSpec) -> float:
    """The body's own wedge: inferior to superior endplate of ``level``."""
    segment = spec.segment_lordosis.get(f"{level}-{below}", 0.0)
    return segment * (1.0 - spec.disc_share) + spec.body_wedge.get(level, 0.0)


def construction_inclinations(spec: SpineSpec) -> dict[tuple[str, str], float]:
    """incl of every endplate (level, "sup"|"inf") from the segment angles alone."""
    sacral_slope = spec.pelvic_incidence - spec.pelvic_tilt
    result = {("S1", "sup"): sacral_slope}
    incl = sacral_slope
    for index in range(LEVEL_INDEX["L5"], LEVEL_INDEX[spec.top_level] - 1, -1):
        level, below = LEVELS[index], LEVELS[index + 1]
        incl -= _rotation(level, below, spec)  # turning lordotically lowers the inclination
        result[(level, "sup")] = incl
        result[(level, "inf")] = incl + _wedge(level, below, spec)
    return result


def _moves(cut: Osteotomy, level: str, side: str) -> bool:
    """Does ``cut`` move this endplate (contract.md §2 "moves")?"""
    if _at_disc(cut):
        upper = cut.level.split("-")[0]
        return LEVEL_INDEX[level] <= LEVEL_INDEX[upper]
    index, at = LEVEL_INDEX[level], LEVEL_INDEX[cut.level]
    return index < at or (index == at and side == "sup")


def _tilt(v: Point) -> float:
    return math.degrees(math.atan2(v[0], v[1]))


def _incl(posterior: Point, anterior: Point) -> float:
    return math.degrees(math.atan2(-(anterior[1] - posterior[1]), anterior[0] - posterior[0]))


def _sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def _centre(points: Points, level: str) -> Point:
    corners = [points[level][n] for n in ("ant_sup", "post_sup", "post_inf", "ant_inf")]
    return (sum(p[0] for p in corners) / 4.0, sum(p[1] for p in corners) / 4.0)


def _turn(p: Point, about: Point, degrees: float) -> Point:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    x, y = p[0] - about[0], p[1] - about[1]
    return (about[0] + c * x - s * y, about[1] + s * x + c * y)


def _hinge(points: Points, cut: Osteotomy) -> Point:
    def mid(a: Point, b: Point) -> Point:
        return ((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0)

    rule = PROCEDURE_TYPES[cut.type].hinge_rule  # the contract.md §2 default hinges, by name
    if rule == "posterior_disc":
        upper, lower = cut.level.split("-")
        return mid(points[upper]["post_inf"], points[lower]["post_sup"])
    if rule == "posterosuperior":
        return points[cut.level]["post_sup"]
    return mid(points[cut.level]["ant_sup"], points[cut.level]["ant_inf"])


def _after_cuts(points: Points, cuts: Sequence[Osteotomy]) -> Points:
    """clinical.md §3.3 step 4: caudal first, each hinge found on the points as already moved."""

    def position(cut: Osteotomy) -> float:
        return LEVEL_INDEX[cut.level.split("-")[0]] + (0.5 if _at_disc(cut) else 0.0)

    moved = {level: dict(named) for level, named in points.items()}
    for cut in sorted(cuts, key=position, reverse=True):
        hinge = _hinge(moved, cut)
        for level, named in moved.items():
            for name, p in named.items():
                side = "sup" if name.endswith("sup") else "inf"
                if level != "S1" and _moves(cut, level, side):
                    named[name] = _turn(p, hinge, cut.angle_deg)
    return moved


def _values(points: Points, heads: tuple[Point, Point], angles: dict[str, float]) -> dict[str, float]:
    hip = ((heads[0][0] + heads[1][0]) / 2.0, (heads[0][1] + heads[1][1]) / 2.0)
    p_s1, a_s1 = points["S1"]["post_sup"], points["S1"]["ant_sup"]
    s = ((p_s1[0] + a_s1[0]) / 2.0, (p_s1[1] + a_s1[1]) / 2.0)
    pt = math.degrees(math.atan2(hip[0] - s[0], s[1] - hip[1]))
    ss = _incl(p_s1, a_s1)
    c7, t1, c2 = _centre(points, "C7"), _centre(points, "T1"), _centre(points, "C2")
    gt_tilt = _tilt(_sub(c7, s))
    values = {
        "PT": pt, "SS": ss, "PI": pt + ss,
        "SVA": c7[0] - p_s1[0], "cSVA": c2[0] - points["C7"]["post_sup"][0], "C2S1_SVA": c2[0] - p_s1[0],
        "TPA": _tilt(_sub(t1, hip)) + pt, "CPA": _tilt(_sub(c2, hip)) + pt,
        "L1PA": _tilt(_sub(_centre(points, "L1"), hip)) + pt,
        "T4PA": _tilt(_sub(_centre(points, "T4"), hip)) + pt,
        "GT": gt_tilt + pt, "ST": 90.0 - gt_tilt, "SSA": ss + 90.0 - gt_tilt,
        "T1SPI": _tilt(_sub(t1, hip)), "T9SPI": _tilt(_sub(_centre(points, "T9"), hip)),
    }
    values.update(angles)
    values["PI_LL"] = values["PI"] - values["LL"]
    values["LDI"] = 100.0 * values["L4S1"] / values["LL"]
    values["TS_CL"] = values["T1S"] - values["CL"]
    return values


def _cobbs(incl: dict[tuple[str, str], float]) -> dict[str, float]:
    """clinical.md §1.2 regional angles from endplate inclinations (lordosis +, kyphosis +)."""
    return {
        "LL": incl[("S1", "sup")] - incl[("L1", "sup")],
        "L4S1": incl[("S1", "sup")] - incl[("L4", "sup")],
        "TK": incl[("T4", "sup")] - incl[("T12", "inf")],
        "TK_T2T12": incl[("T2", "sup")] - incl[("T12", "inf")],
        "TK_T5T12": incl[("T5", "sup")] - incl[("T12", "inf")],
        "TLJ": incl[("T10", "sup")] - incl[("L2", "inf")],
        "CL": incl[("C7", "inf")] - incl[("C2", "inf")],
        "T1S": incl[("T1", "sup")],
    }


def expected_values(
    spec: SpineSpec, cuts: Sequence[Osteotomy] = (), compensation: Compensation | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """(pre-op, planned) values of every contract key, from the construction."""
    points, heads = build_anatomical(spec)
    incl = construction_inclinations(spec)
    preop = _values(points, heads, _cobbs(incl))
    moved = _after_cuts(points, cuts)
    # A cut turns every endplate it moves by its angle: inclination falls by that much.
    incl_post = {
        key: value - sum(c.angle_deg for c in cuts if key[0] != "S1" and _moves(c, *key))
        for key, value in incl.items()
    }
    phi = 0.0
    model = compensation.model if compensation else "none"
    if model == "pt_target" and compensation is not None and compensation.pt_deg is not None:
        phi = preop["PT"] - min(preop["PT"], compensation.pt_deg)  # §4.6: released, never beyond
    elif model != "none":
        raise ValueError(f"compensation {model!r} is not modelled by the construction")
    hip = ((heads[0][0] + heads[1][0]) / 2.0, (heads[0][1] + heads[1][1]) / 2.0)
    turned = {
        level: {name: _turn(p, hip, -phi) for name, p in named.items()} for level, named in moved.items()
    }
    turned_heads = (_turn(heads[0], hip, -phi), _turn(heads[1], hip, -phi))
    incl_post = {key: value + phi for key, value in incl_post.items()}
    postop = _values(turned, turned_heads, _cobbs(incl_post))
    return preop, postop
