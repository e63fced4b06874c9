"""Tests that kill survivors of ``bash tools/mutation.sh procedures`` in procedures/wedge.py (issue 15
§7): how much bone each osteotomy closes or opens (clinical.md §3.2), whether a closing wedge fits
in its posterior wall, a VCR's resected height, and the words the surgeon reads about them
(``Wedge.describe`` in the table and report, ``Wedge.where`` in the exported records).

Every value is worked out by hand on a square-cut column in the anatomical frame (x towards the
patient's front, y up, millimetres): each body 40 mm deep and 25 mm tall, each disc 10 mm tall,
posterior walls on x = 0, L3's body from y = 0 to 25.
"""

from __future__ import annotations

import math

import pytest

from alignment_planner.anatomy.levels import LEVEL_INDEX
from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.wedge import Wedge, spo_radius

DEPTH = 40.0
"""Anteroposterior depth of every body: the hinge on the anterior wall is d = 40 mm from the
posterior wall (clinical.md §3.2's table has a d = 40 mm column)."""
HEIGHT = 25.0
"""Height of every posterior wall (the room a PSO has)."""
DISC = 10.0
"""Height of every disc at its back (the extra room an extended PSO has)."""


def _body(level: str) -> dict[str, Point]:
    bottom = (LEVEL_INDEX["L3"] - LEVEL_INDEX[level]) * (HEIGHT + DISC)
    return {
        "post_sup": (0.0, bottom + HEIGHT),
        "ant_sup": (DEPTH, bottom + HEIGHT),
        "post_inf": (0.0, bottom),
        "ant_inf": (DEPTH, bottom),
    }


def _column(*levels: str, without: tuple[str, ...] = ()) -> Skeleton:
    """The bodies of ``levels``, leaving out the corners named "L2.post_inf" … in ``without``."""
    points = {level: _body(level) for level in levels}
    for name in without:
        level, corner = name.split(".")
        del points[level][corner]
    return Skeleton(points, ())


def _wedge(skeleton: Skeleton, type_key: str, level: str, angle: float, *, calibrated: bool = True) -> Wedge:
    """The registry's wedge of one cut, with the type's default hinge (contract.md §2)."""
    kind = PROCEDURE_TYPES[type_key]
    osteotomy = Osteotomy(type_key, level, angle)
    return kind.wedge(skeleton, osteotomy, kind.default_hinge(skeleton, level), calibrated=calibrated)


def _symmetric(d: float, theta: float) -> float:
    """clinical.md §3.2: the gap of an isosceles wedge, b = 2·d·tan(θ/2)."""
    return 2.0 * d * math.tan(math.radians(theta) / 2.0)


def _fields(w: Wedge) -> tuple[object, ...]:
    return (w.osteotomy, w.kind, w.where, w.reason, w.warning)


# --- PSO and extended PSO: closure at the posterior wall and whether it fits -------------------------


def test_a_30_degree_pso_hinged_40_mm_in_front_closes_21_4_mm_and_fits_a_25_mm_wall() -> None:
    # clinical.md §3.2 table: θ 30°, d 40 mm → 21.4 mm (symmetric wedge).
    w = _wedge(_column("L2", "L3", "L4"), "PSO", "L3", 30.0)
    assert w.mm == pytest.approx(21.436, abs=1e-3)
    assert _fields(w) == (
        Osteotomy("PSO", "L3", 30.0), "closure",
        "posterior wall, 2·d·tan(θ/2) with d = 40.0 mm from the hinge", None, None,
    )
    assert w.describe() == "posterior closure 21.4 mm"


def test_a_35_degree_pso_closing_25_2_mm_does_not_fit_a_25_mm_posterior_wall() -> None:
    # clinical.md §3.2 table: θ 35°, d 40 mm → 25.2 mm, more than the 25 mm wall.
    w = _wedge(_column("L2", "L3", "L4"), "PSO", "L3", 35.0)
    assert w.mm == pytest.approx(25.224, abs=1e-3)
    assert w.warning == (
        "PSO at L3: the 35.0° wedge closes 25.2 mm posteriorly, more than the 25.0 mm posterior "
        "wall of L3: it would not fit (clinical.md §3.2)"
    )


def test_a_closure_exactly_as_tall_as_the_posterior_wall_fits() -> None:
    # The wedge fits while its closure does not exceed the wall: equal is still inside the bone.
    # The hinge is 32 mm from a vertical wall whose height is 2·32·tan(17.5°) (§3.2, θ = 35°).
    wall = 2 * 32 * math.tan(math.radians(35) / 2)
    s = Skeleton({"L3": {"post_sup": (0.0, wall), "post_inf": (0.0, 0.0), "ant_sup": (32.0, wall),
                         "ant_inf": (32.0, 0.0)}}, ())
    osteotomy = Osteotomy("PSO", "L3", 35.0)
    w = PROCEDURE_TYPES["PSO"].wedge(s, osteotomy, (32.0, wall / 2), calibrated=True)
    assert w.mm == wall
    assert w.warning is None


def test_an_extended_pso_may_also_take_the_disc_above() -> None:
    # Room = 25 mm wall + 10 mm disc above = 35 mm. 45° closes 2·40·tan 22.5° = 33.1 mm: it fits
    # (a PSO of the same angle would not); 50° closes 2·40·tan 25° = 37.3 mm: it does not.
    s = _column("L2", "L3", "L4")
    fits = _wedge(s, "EPSO", "L3", 45.0)
    assert fits.mm == pytest.approx(33.137, abs=1e-3)
    assert fits.warning is None
    assert _wedge(s, "PSO", "L3", 45.0).warning is not None
    too_much = _wedge(s, "EPSO", "L3", 50.0)
    assert too_much.mm == pytest.approx(37.305, abs=1e-3)
    assert too_much.warning == (
        "EPSO at L3: the 50.0° wedge closes 37.3 mm posteriorly, more than the 35.0 mm of the "
        "posterior wall of L3 and the disc above: it would not fit (clinical.md §3.2)"
    )


def test_an_extended_pso_without_the_disc_above_placed_is_limited_to_its_own_wall() -> None:
    # L2's posteroinferior corner is not placed: the disc's height is unknown, the room is the
    # 25 mm wall alone, and the closure is still measured (it needs only L3's wall).
    w = _wedge(_column("L2", "L3", "L4", without=("L2.post_inf",)), "EPSO", "L3", 35.0)
    assert w.mm == pytest.approx(25.224, abs=1e-3)
    assert w.warning == (
        "EPSO at L3: the 35.0° wedge closes 25.2 mm posteriorly, more than the 25.0 mm posterior "
        "wall of L3: it would not fit (clinical.md §3.2)"
    )


def test_an_extended_pso_at_c3_counts_the_c2_c3_disc() -> None:
    # C3's disc above is C2-C3 (C2 is the first level of the chart): 33.1 mm fits in 25 + 10 mm.
    assert _wedge(_column("C2", "C3", "C4"), "EPSO", "C3", 45.0).warning is None


def test_an_extended_pso_at_c2_has_no_disc_above_in_the_chart() -> None:
    # Nothing above C2 is charted: its room is its own 25 mm wall, never a disc borrowed from the
    # other end of the spine (S1 is placed here too).
    w = _wedge(_column("C2", "C3", "S1"), "EPSO", "C2", 35.0)
    assert w.warning == (
        "EPSO at C2: the 35.0° wedge closes 25.2 mm posteriorly, more than the 25.0 mm posterior "
        "wall of C2: it would not fit (clinical.md §3.2)"
    )


def test_a_pso_whose_wall_is_not_placed_says_which_corner_is_missing() -> None:
    w = _wedge(_column("L2", "L3", "L4", without=("L3.post_sup",)), "PSO", "L3", 30.0)
    assert w == Wedge(Osteotomy("PSO", "L3", 30.0), "closure", None, "", "missing L3.post_sup")
    assert w.describe() == "posterior closure not measurable (missing L3.post_sup)"


def test_on_an_uncalibrated_film_the_closure_is_not_given_in_mm_but_its_basis_is() -> None:
    # Without a scale no length is in mm; the record still says how the closure is measured.
    w = _wedge(_column("L2", "L3", "L4"), "PSO", "L3", 35.0, calibrated=False)
    assert w == Wedge(
        Osteotomy("PSO", "L3", 35.0), "closure", None,
        "posterior wall, 2·d·tan(θ/2) with d = 40.0 mm from the hinge", "uncalibrated image",
    )
    assert w.describe() == "posterior closure not measurable (uncalibrated image)"


def test_the_hinge_depth_is_measured_to_the_line_of_a_crushed_posterior_wall() -> None:
    # A vertebra plana: its posterior wall is 0.5 mm tall but still a vertical line on x = 0.
    # The hinge 40 mm in front of it and 19.75 mm above its middle is d = 40 mm from that line
    # (not 44.5 mm from its upper corner): the closure is 2·40·tan 15° = 21.4 mm.
    s = Skeleton({"L3": {"post_sup": (0.0, 0.5), "post_inf": (0.0, 0.0), "ant_sup": (40.0, 0.5),
                         "ant_inf": (40.0, 0.0)}}, ())
    w = PROCEDURE_TYPES["PSO"].wedge(s, Osteotomy("PSO", "L3", 30.0), (40.0, 20.0), calibrated=True)
    assert w.where == "posterior wall, 2·d·tan(θ/2) with d = 40.0 mm from the hinge"
    assert w.mm == pytest.approx(21.436, abs=1e-3)


def test_a_posterior_wall_reduced_to_a_point_is_measured_from_that_point() -> None:
    # Both posterior corners on one point: no line, so d is the distance to the point (3-4-5).
    s = Skeleton({"L3": {"post_sup": (0.0, 0.0), "post_inf": (0.0, 0.0), "ant_sup": (40.0, 25.0),
                         "ant_inf": (40.0, 0.0)}}, ())
    w = PROCEDURE_TYPES["PSO"].wedge(s, Osteotomy("PSO", "L3", 30.0), (30.0, 40.0), calibrated=True)
    assert w.where == "posterior wall, 2·d·tan(θ/2) with d = 50.0 mm from the hinge"
    assert w.mm == pytest.approx(_symmetric(50.0, 30.0), abs=1e-9)


# --- VCR: the posterior height resected (clinical.md §3.1 grade 5, issue 15 §6) ----------------------


def test_a_vcr_resects_the_body_and_both_discs_between_its_neighbours() -> None:
    # L2.post_inf (0, 35) to L4.post_sup (0, −10): 25 mm of body + 2 × 10 mm of disc = 45 mm.
    w = _wedge(_column("L2", "L3", "L4"), "VCR", "L3", 40.0)
    assert w.mm == pytest.approx(45.0, abs=1e-9)
    assert _fields(w) == (
        Osteotomy("VCR", "L3", 40.0), "resection", "L3 and the discs above and below (L2–L4 posterior)",
        None, None,
    )
    assert w.describe() == "resected height (posterior) 45.0 mm"


@pytest.mark.parametrize(
    ("level", "neighbours"), [("C3", ("C2", "C4")), ("L5", ("L4", "S1"))], ids=["below-C2", "above-S1"]
)
def test_a_vcr_next_to_an_end_of_the_chart_still_includes_both_discs(level: str, neighbours: tuple[str, str]) -> None:
    # C3 has C2 above it and L5 has S1 below it: both are charted neighbours.
    w = _wedge(_column(neighbours[0], level, neighbours[1]), "VCR", level, 40.0)
    assert w.mm == pytest.approx(45.0, abs=1e-9)
    assert w.where == f"{level} and the discs above and below ({neighbours[0]}–{neighbours[1]} posterior)"


@pytest.mark.parametrize(
    ("level", "placed"), [("C2", ("C2", "C3", "S1")), ("S1", ("L4", "L5", "S1"))], ids=["C2", "S1"]
)
def test_a_vcr_at_an_end_of_the_chart_measures_its_own_wall(level: str, placed: tuple[str, ...]) -> None:
    # No level above C2 or below S1 in the chart: the resected height is the 25 mm wall, never a
    # distance to the other end of the spine.
    w = _wedge(_column(*placed), "VCR", level, 40.0)
    assert w.mm == pytest.approx(HEIGHT, abs=1e-9)
    assert w.where == f"the posterior wall of {level} (neighbours not placed: discs not included)"


@pytest.mark.parametrize("missing", ["L2.post_inf", "L4.post_sup"])
def test_a_vcr_with_a_neighbour_corner_missing_measures_its_own_wall(missing: str) -> None:
    w = _wedge(_column("L2", "L3", "L4", without=(missing,)), "VCR", "L3", 40.0)
    assert w.mm == pytest.approx(HEIGHT, abs=1e-9)
    assert _fields(w) == (
        Osteotomy("VCR", "L3", 40.0), "resection",
        "the posterior wall of L3 (neighbours not placed: discs not included)", None, None,
    )
    assert w.describe() == "resected height (posterior) 25.0 mm"


def test_a_vcr_with_no_neighbours_and_no_wall_says_which_corner_is_missing() -> None:
    w = _wedge(_column("L3", without=("L3.post_sup",)), "VCR", "L3", 40.0)
    assert w == Wedge(Osteotomy("VCR", "L3", 40.0), "resection", None, "", "missing L3.post_sup")
    assert w.describe() == "resected height (posterior) not measurable (missing L3.post_sup)"


# --- SPO: laminar closure about the disc's centre of rotation ("1 mm per degree") -------------------


@pytest.mark.parametrize(
    ("disc", "radius", "radius_text"), [("L4-L5", 57.3, "57.3"), ("T11-T12", 43.0, "43")], ids=["lumbar", "thoracic"]
)
def test_an_spo_closes_the_laminae_at_the_regional_radius(disc: str, radius: float, radius_text: str) -> None:
    # clinical.md §3.2: R = 57.3 mm in the lumbar spine (1 mm per degree); thoracic R = 43 mm (⚙).
    upper, lower = disc.split("-")
    w = _wedge(_column(upper, lower), "SPO", disc, 10.0)
    assert w.mm == pytest.approx(_symmetric(radius, 10.0), abs=1e-9)
    assert _fields(w) == (
        Osteotomy("SPO", disc, 10.0), "closure",
        f"posterior elements, 2·R·tan(θ/2) with R ≈ {radius_text} mm for this region", None, None,
    )


def test_a_lumbar_10_degree_spo_closes_about_10_mm() -> None:
    w = _wedge(_column("L4", "L5"), "SPO", "L4-L5", 10.0)
    assert w.describe() == "posterior closure 10.0 mm"


def test_a_cervical_spo_closes_at_half_the_lumbar_radius() -> None:
    assert spo_radius("C5-C6") == pytest.approx(57.3 / 2)
    assert _wedge(_column("C5", "C6"), "SPO", "C5-C6", 10.0).mm == pytest.approx(_symmetric(28.65, 10.0), abs=1e-9)


# --- ACR / interbody cage: the disc opened at its front ----------------------------------------------


@pytest.mark.parametrize("type_key", ["ACR", "INTERBODY"])
def test_an_anterior_opening_is_measured_at_the_front_of_the_disc(type_key: str) -> None:
    # Hinge between the posterior corners (0, −5), disc front (40, −5): d = 40 mm, and a 20° cage
    # opens 2·40·tan 10° = 14.1 mm anteriorly.
    w = _wedge(_column("L3", "L4"), type_key, "L3-L4", 20.0)
    assert w.mm == pytest.approx(14.106, abs=1e-3)
    assert _fields(w) == (
        Osteotomy(type_key, "L3-L4", 20.0), "opening",
        "anterior disc, 2·d·tan(θ/2) with d = 40.0 mm from the hinge", None, None,
    )
    assert w.describe() == "anterior opening 14.1 mm"


def test_an_anterior_opening_without_the_disc_front_says_which_corner_is_missing() -> None:
    s = _column("L3", "L4", without=("L3.ant_inf",))
    osteotomy = Osteotomy("ACR", "L3-L4", 20.0)
    w = PROCEDURE_TYPES["ACR"].wedge(s, osteotomy, (0.0, -5.0), calibrated=True)
    assert w == Wedge(osteotomy, "opening", None, "", "missing L3.ant_inf")
    assert w.describe() == "anterior opening not measurable (missing L3.ant_inf)"


def test_an_anterior_opening_at_a_vertebra_says_it_is_not_a_disc() -> None:
    osteotomy = Osteotomy("ACR", "L3", 20.0)
    w = PROCEDURE_TYPES["ACR"].wedge(_column("L3", "L4"), osteotomy, (0.0, 0.0), calibrated=True)
    assert w == Wedge(osteotomy, "opening", None, "", '"L3" is not a disc level')


# --- Kyphoplasty: the anterior wall height restored --------------------------------------------------


def test_a_kyphoplasty_restores_the_chord_of_the_anterior_wall_turned_about_the_posterior_corner() -> None:
    # Hinge at L3.post_sup (0, 25), anterior corner (40, 25): d = 40 mm; 10° lifts it along a
    # chord of 2·40·sin 5° = 6.97 mm.
    w = _wedge(_column("L2", "L3", "L4"), "KYPHOPLASTY", "L3", 10.0)
    assert w.mm == pytest.approx(2 * 40 * math.sin(math.radians(5)), abs=1e-9)
    assert _fields(w) == (
        Osteotomy("KYPHOPLASTY", "L3", 10.0), "opening",
        "anterior wall height gained, 2·d·sin(θ/2) with d = 40.0 mm from the hinge", None, None,
    )
    assert w.describe() == "anterior opening 7.0 mm"


def test_a_kyphoplasty_without_the_anterior_corner_says_which_corner_is_missing() -> None:
    w = _wedge(_column("L2", "L3", "L4", without=("L3.ant_sup",)), "KYPHOPLASTY", "L3", 10.0)
    assert w == Wedge(Osteotomy("KYPHOPLASTY", "L3", 10.0), "opening", None, "", "missing L3.ant_sup")
