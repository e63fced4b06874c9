"""Tests that kill survivors of ``bash tools/mutation.sh procedures`` in procedures/wedge_outline.py
and procedures/cuts.py (issue 15 §7): the exact corners of the bone each cut removes or the gap it
opens on the pre-op film, and where a cut through a body divides the film (imaging.md B5).

Hand geometry on a square-cut column (each body 40 mm deep and 25 mm tall, discs 10 mm, posterior
walls on x = 0, L3's body from y = 0 to 25), then the whole column turned by 36.87° (cos 0.8,
sin 0.6) and moved by (100, 200): an outline drawn on a tilted spine is the tilted outline, and
the turn makes every x and y component count.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from alignment_planner.anatomy.levels import LEVEL_INDEX
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.wedge_outline import WedgeOutline, wedge_outline

BEHIND_WALL = 0.7 * 40.0
"""The posterior elements reach 70 % of the 40 mm body depth behind the posterior wall
(``POSTERIOR_ELEMENTS``): every closing wedge ends on the line x = −28 of the square column."""


def _tilted(p: Point) -> Point:
    """The square column's point on the tilted film: turned by atan(3/4) and moved by (100, 200)."""
    return (100.0 + 0.8 * p[0] - 0.6 * p[1], 200.0 + 0.6 * p[0] + 0.8 * p[1])


def _ccw(v: Point, degrees: float) -> Point:
    """clinical.md §3.3: R(θ)·v, counter-clockwise (the extension sense) in the anatomical frame."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def _plus(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def _body(level: str) -> dict[str, Point]:
    bottom = (LEVEL_INDEX["L3"] - LEVEL_INDEX[level]) * 35.0
    return {"post_sup": (0.0, bottom + 25.0), "ant_sup": (40.0, bottom + 25.0),
            "post_inf": (0.0, bottom), "ant_inf": (40.0, bottom)}


def _as_drawn(p: Point) -> Point:
    return p


def _column(*levels: str, place: Callable[[Point], Point] = _as_drawn) -> Skeleton:
    return Skeleton({level: {k: place(p) for k, p in _body(level).items()} for level in levels}, ())


def _outline(s: Skeleton, type_key: str, level: str, angle: float, hinge: Point) -> WedgeOutline:
    outline = wedge_outline(s, Osteotomy(type_key, level, angle), hinge)
    assert outline is not None
    return outline


def _same_points(got: tuple[Point, ...], expected: tuple[Point, ...]) -> None:
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g == pytest.approx(e, abs=1e-9)


def _same_wedge(got: WedgeOutline, hinge: Point, ray_ends: tuple[Point, Point]) -> None:
    """A closing wedge: apex at the hinge, its two ray ends in either order (the same triangle)."""
    assert got.kind == "removed" and got.cage is None
    apex, a, b = got.outline
    assert apex == pytest.approx(hinge, abs=1e-9)
    if a[1] > b[1]:
        a, b = b, a
    first, second = sorted(ray_ends, key=lambda p: p[1])
    assert a == pytest.approx(first, abs=1e-9) and b == pytest.approx(second, abs=1e-9)


# --- closing wedges through a body (PSO, EPSO) and through a disc (SPO) --------------------------


def test_a_pso_wedge_runs_from_the_anterior_wall_to_the_back_of_the_posterior_elements() -> None:
    # Hinge (40, 12.5) on the anterior wall, 30°: the rays end 40 + 28 = 68 mm behind it, at
    # y = 12.5 ± 68·tan 15°.
    s = _column("L2", "L3", "L4", place=_tilted)
    hinge = _tilted((40.0, 12.5))
    spread = 68.0 * math.tan(math.radians(15.0))
    ends = (_tilted((-BEHIND_WALL, 12.5 - spread)), _tilted((-BEHIND_WALL, 12.5 + spread)))
    _same_wedge(_outline(s, "PSO", "L3", 30.0, hinge), hinge, ends)
    _same_wedge(_outline(s, "EPSO", "L3", 30.0, hinge), hinge, ends)


def test_a_pso_hinged_at_the_posterior_wall_still_takes_the_posterior_elements() -> None:
    # Hinge moved to the middle of the posterior wall (0, 12.5): the rays reach the 28 mm of
    # posterior elements and no further, y = 12.5 ± 28·tan 15°.
    s = _column("L2", "L3", "L4", place=_tilted)
    hinge = _tilted((0.0, 12.5))
    spread = BEHIND_WALL * math.tan(math.radians(15.0))
    ends = (_tilted((-BEHIND_WALL, 12.5 - spread)), _tilted((-BEHIND_WALL, 12.5 + spread)))
    _same_wedge(_outline(s, "PSO", "L3", 30.0, hinge), hinge, ends)


def test_a_half_degree_pso_is_still_drawn() -> None:
    s = _column("L3")
    spread = 68.0 * math.tan(math.radians(0.25))
    ends = ((-BEHIND_WALL, 12.5 - spread), (-BEHIND_WALL, 12.5 + spread))
    _same_wedge(_outline(s, "PSO", "L3", 0.5, (40.0, 12.5)), (40.0, 12.5), ends)


def test_the_outline_scales_with_the_vertebra_however_small_the_units() -> None:
    # Sizes are relative to the vertebra (no assumed millimetres): the same column at 1/100 of the
    # size (a body 0.4 units deep) gives the same wedge at 1/100 of the size.
    s = _column("L3", place=lambda p: (p[0] / 100, p[1] / 100))
    spread = 68.0 * math.tan(math.radians(15.0))
    ends = ((-0.28, (12.5 - spread) / 100), (-0.28, (12.5 + spread) / 100))
    _same_wedge(_outline(s, "PSO", "L3", 30.0, (0.4, 0.125)), (0.4, 0.125), ends)


def test_an_spo_hinged_inside_the_disc_closes_to_the_back_of_the_laminae() -> None:
    # A Ponte with a mobile disc rotates inside the disc (clinical.md §3.1 grade 2): hinge 10 mm in
    # front of the posterior corners, at (10, −5). The rays end 10 + 28 = 38 mm behind it, at
    # y = −5 ± 38·tan 10°, on the same line as a PSO's.
    s = _column("L3", "L4", place=_tilted)
    hinge = _tilted((10.0, -5.0))
    spread = 38.0 * math.tan(math.radians(10.0))
    ends = (_tilted((-BEHIND_WALL, -5.0 - spread)), _tilted((-BEHIND_WALL, -5.0 + spread)))
    _same_wedge(_outline(s, "SPO", "L3-L4", 20.0, hinge), hinge, ends)


# --- VCR: the whole segment -----------------------------------------------------------------------


def test_a_vcr_outline_is_the_body_and_its_posterior_elements() -> None:
    s = _column("L2", "L3", "L4", place=_tilted)
    outline = _outline(s, "VCR", "L3", 40.0, _tilted((40.0, 12.5)))
    assert outline.kind == "removed" and outline.cage is None
    square = ((40.0, 25.0), (0.0, 25.0), (-BEHIND_WALL, 25.0), (-BEHIND_WALL, 0.0), (0.0, 0.0), (40.0, 0.0))
    _same_points(outline.outline, tuple(_tilted(p) for p in square))


# --- ACR / interbody: the disc opened in front, and its cage -------------------------------------


@pytest.mark.parametrize("type_key", ["ACR", "INTERBODY"])
def test_an_opened_disc_and_its_cage_have_the_upper_endplate_turned_up_about_the_hinge(type_key: str) -> None:
    # Hinge (0, −5) between the posterior corners, 20°: L3's inferior endplate turns up
    # counter-clockwise (the extension of §3.3). The cage spans 15 %–85 % of the disc (x 6 to 34)
    # between L4's superior endplate (y −10) and the turned endplate.
    s = _column("L3", "L4", place=_tilted)
    h = (0.0, -5.0)
    outline = _outline(s, type_key, "L3-L4", 20.0, _tilted(h))
    assert outline.kind == "opened"
    _same_points(outline.outline, tuple(_tilted(p) for p in (h, (40.0, 0.0), _plus(h, _ccw((40.0, 5.0), 20.0)))))
    cage = ((6.0, -10.0), _plus(h, _ccw((6.0, 5.0), 20.0)), _plus(h, _ccw((34.0, 5.0), 20.0)), (34.0, -10.0))
    assert outline.cage is not None
    _same_points(outline.cage, tuple(_tilted(p) for p in cage))


def test_an_opened_disc_turns_in_the_simulations_sense_even_with_the_hinge_in_front_of_it() -> None:
    # Hinge moved 10 mm in front of the disc, (50, −5): L3's anterior corner (40, 0) is behind it.
    # The simulation turns everything above the cut counter-clockwise by the lordosing angle
    # (clinical.md §3.3), which here lowers that corner: R(+20°)·(−10, 5) = (−11.11, 1.28). The
    # drawing shows that movement, not the opposite turn that would lift the corner.
    s = _column("L3", "L4", place=_tilted)
    h = (50.0, -5.0)
    outline = _outline(s, "ACR", "L3-L4", 20.0, _tilted(h))
    turned = _plus(h, _ccw((-10.0, 5.0), 20.0))
    assert turned[1] < 0.0
    _same_points(outline.outline, tuple(_tilted(p) for p in (h, (40.0, 0.0), turned)))


@pytest.mark.parametrize("hinge", [(0.0, -5.0), (50.0, -5.0), (20.0, -5.0)])
@pytest.mark.parametrize("angle", [15.0, -8.0])
def test_the_drawn_opening_ends_where_the_simulation_moves_the_upper_corner(
    hinge: Point, angle: float
) -> None:
    # Whatever the hinge and the sign of the angle, the opened front of the drawing is where the
    # simulation puts the upper vertebra's anterior-inferior corner.
    from alignment_planner.procedures.simulate import rotate_segment

    s = _column("L3", "L4", place=_tilted)
    outline = _outline(s, "ACR", "L3-L4", angle, _tilted(hinge))
    moved = rotate_segment(s, "ACR", "L3-L4", _tilted(hinge), angle).point("L3", "ant_inf")
    assert outline.outline[2] == pytest.approx(moved, abs=1e-9)


def test_a_corner_straight_above_the_hinge_turns_in_the_extension_sense() -> None:
    # Hinge (40, −5) right below L3's anterior corner (40, 0): both senses leave it at the same
    # height, and the drawing turns it counter-clockwise, as the simulation turns an extension.
    s = _column("L3", "L4")
    outline = _outline(s, "ACR", "L3-L4", 20.0, (40.0, -5.0))
    turned = _plus((40.0, -5.0), _ccw((0.0, 5.0), 20.0))
    assert turned[0] < 40.0
    assert outline.outline[2] == pytest.approx(turned, abs=1e-9)


# --- kyphoplasty: the anterior height restored ----------------------------------------------------


def test_a_kyphoplasty_outline_is_the_height_opened_at_the_anterior_wall() -> None:
    # The superior endplate turned up 10° about its posterior corner (0, 25).
    s = _column("L2", "L3", "L4", place=_tilted)
    outline = _outline(s, "KYPHOPLASTY", "L3", 10.0, _tilted((0.0, 25.0)))
    assert outline.kind == "opened" and outline.cage is None
    lifted = _plus((0.0, 25.0), _ccw((40.0, 0.0), 10.0))
    _same_points(outline.outline, tuple(_tilted(p) for p in ((0.0, 25.0), (40.0, 25.0), lifted)))


# --- cuts.py: which side of a cut through a body moves --------------------------------------------

PSO_CUT = PROCEDURE_TYPES["PSO"].cut_rule
KYPHOPLASTY_CUT = PROCEDURE_TYPES["KYPHOPLASTY"].cut_rule
L3_MIDLINE = ((40.0, 12.5), (0.0, 12.5))
"""A cut through L3's body runs through the middles of its anterior and posterior walls."""


def test_a_pso_cut_moves_the_side_of_its_own_superior_endplate() -> None:
    # The wedge comes out of L3's body: its superior endplate's middle (20, 25) marks the moving
    # side, even with L2 placed.
    assert PSO_CUT.axis(_column("L2", "L3", "L4"), "L3") == (*L3_MIDLINE, (20.0, 25.0))


def test_a_kyphoplasty_cut_moves_the_side_of_the_vertebra_above() -> None:
    # Its hinge is the posterosuperior corner: the centre of L2 (20, 47.5) marks the moving side,
    # not L1's or L4's.
    s = _column("L1", "L2", "L3", "L4")
    assert KYPHOPLASTY_CUT.axis(s, "L3") == (*L3_MIDLINE, (20.0, 47.5))
    assert KYPHOPLASTY_CUT.axis(_column("L2", "L3"), "L3") == (*L3_MIDLINE, (20.0, 47.5))


def test_a_kyphoplasty_cut_without_the_vertebra_above_uses_its_own_superior_endplate() -> None:
    assert KYPHOPLASTY_CUT.axis(_column("L3", "L4"), "L3") == (*L3_MIDLINE, (20.0, 25.0))


def test_a_kyphoplasty_cut_at_c3_moves_the_side_of_c2() -> None:
    cut = KYPHOPLASTY_CUT.axis(_column("C2", "C3"), "C3")
    c2 = _body("C2")
    assert cut[2] == pytest.approx((20.0, (c2["post_sup"][1] + c2["post_inf"][1]) / 2), abs=1e-9)


def test_a_kyphoplasty_cut_at_c2_has_no_vertebra_above_in_the_chart() -> None:
    # Nothing is charted above C2: its own superior endplate marks the side, never S1's centre.
    c2 = _body("C2")
    cut = KYPHOPLASTY_CUT.axis(_column("C2", "S1"), "C2")
    assert cut[2] == pytest.approx((20.0, c2["post_sup"][1]), abs=1e-9)


def test_a_cut_through_a_body_whose_wall_is_missing_is_not_measurable() -> None:
    s = Skeleton({"L3": {k: p for k, p in _body("L3").items() if k != "post_inf"}}, ())
    with pytest.raises(NotMeasurable, match=r"missing L3\.post_inf"):
        PSO_CUT.axis(s, "L3")
