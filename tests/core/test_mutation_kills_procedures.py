"""Tests that kill survivors of ``bash tools/mutation.sh procedures`` (issue 15 §7): is an osteotomy
applicable, and what the refusal says (contract.md §4.1 for fusions, clinical.md §3.3 for the
default hinges: SPO between the two posterior corners of the disc, PSO on the anterior wall)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment_planner.errors import ProcedureError
from alignment_planner.plan.model import Osteotomy, Plan
from alignment_planner.procedures.check import check_osteotomy
from tests.core.issue15_plans import EXISTING_L2_S1, flatback


def _refusal(osteotomy: Osteotomy, image_size: tuple[int, int] | None = None, plan: Plan | None = None) -> str:
    with pytest.raises(ProcedureError) as error:
        check_osteotomy(plan or flatback(), osteotomy, image_size=image_size)
    return str(error.value)


def test_an_unknown_type_lists_the_known_ones() -> None:
    assert _refusal(Osteotomy("XYZ", "L3", 10.0)) == (
        "unknown osteotomy type 'XYZ' (known: SPO, ACR, INTERBODY, PSO, EPSO, VCR, KYPHOPLASTY, TDR)"
    )


@pytest.mark.parametrize("angle", [90.0, -90.0, float("nan"), float("inf")])
def test_an_angle_must_lie_strictly_between_minus_90_and_90_degrees(angle: float) -> None:
    assert _refusal(Osteotomy("PSO", "L3", angle)) == (
        "PSO at L3: the angle must be a number of degrees between −90 and 90"
    )


@pytest.mark.parametrize("angle", [89.9, -89.9, 0.0])
def test_an_angle_inside_the_open_interval_is_accepted(angle: float) -> None:
    check_osteotomy(flatback(), Osteotomy("PSO", "L3", angle))


def test_the_default_hinge_names_the_landmarks_it_needs() -> None:
    """PSO hinge = midpoint of the anterior wall (L3.ant_sup, L3.ant_inf), clinical.md §3.3."""
    plan = flatback()
    one = replace(plan, landmarks=plan.landmarks.with_point("L3", "ant_inf", None))
    assert _refusal(Osteotomy("PSO", "L3", 30.0), plan=one) == (
        "PSO at L3: the default hinge needs L3.ant_inf: place it first or drag the hinge onto the image"
    )
    both = replace(one, landmarks=one.landmarks.with_point("L3", "ant_sup", None))
    assert _refusal(Osteotomy("PSO", "L3", 30.0), plan=both) == (
        "PSO at L3: the default hinge needs L3.ant_sup and L3.ant_inf: place them first or drag the "
        "hinge onto the image"
    )


@pytest.mark.parametrize(("hinge", "inside"), [
    ((0.0, 0.0), True), ((2000.0, 5000.0), True), ((-0.5, 10.0), False), ((10.0, -0.5), False),
    ((2000.5, 10.0), False), ((10.0, 5000.5), False),
])
def test_an_explicit_hinge_must_lie_on_the_image_edges_included(hinge: tuple[float, float], inside: bool) -> None:
    osteotomy = Osteotomy("PSO", "L3", 30.0, hinge)
    if inside:
        check_osteotomy(flatback(), osteotomy, image_size=(2000, 5000))
        check_osteotomy(flatback(), osteotomy)  # no image size known: not bounded
    else:
        assert _refusal(osteotomy, (2000, 5000)) == (
            f"PSO at L3: the hinge ({hinge[0]:.0f}, {hinge[1]:.0f}) is outside the 2000×5000 image"
        )


@pytest.mark.parametrize("hinge", [(float("nan"), 10.0), (10.0, float("inf"))])
def test_an_explicit_hinge_must_be_a_finite_point(hinge: tuple[float, float]) -> None:
    assert _refusal(Osteotomy("PSO", "L3", 30.0, hinge)) == "PSO at L3: the hinge is not a finite point"


def test_a_disc_cut_inside_an_existing_fusion_says_what_remains_possible() -> None:
    """contract.md §4.1: no mobile disc or facet inside an existing fusion; a PSO, EPSO or VCR
    through the fusion mass remains."""
    message = _refusal(Osteotomy("SPO", "L3-L4", 10.0), plan=flatback(fusions=(EXISTING_L2_S1,)))
    assert message.startswith("SPO at L3-L4 is inside ")
    assert message.endswith(
        ": no mobile disc or facet is left there (contract.md §4.1); a PSO, EPSO or VCR through the "
        "fusion mass is possible"
    )
    check_osteotomy(flatback(fusions=(EXISTING_L2_S1,)), Osteotomy("PSO", "L3", 30.0))
