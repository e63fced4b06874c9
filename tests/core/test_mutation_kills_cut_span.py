"""Tests that kill survivors of ``bash tools/mutation.sh procedures`` in
procedures/wedge_outline.py's ``cut_span`` (issue 15 §7): where the drawn cut line starts and ends.

The line runs through the hinge along the cut, from 10 % of the body's depth in front of the
anterior cortex (``FRONT_MARGIN``: it is seen to cross the cortex) to 70 % of the depth behind the
posterior wall (``POSTERIOR_ELEMENTS``: the back of the laminae, where the wedge ends too), and it
always reaches the hinge itself. Hand geometry on a square-cut L3 (40 mm deep, 25 mm tall,
posterior wall on x = 0, anterior cortex on x = 40, endplates on y = 0 and 25; a PSO's cut runs
through the mid-body line y = 12.5 from front to back), then turned by 36.87° (cos 0.8, sin 0.6)
and moved by (100, 200), so that both components of every point and of the cut's direction count.
"""

from __future__ import annotations

import pytest

from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.wedge_outline import cut_span

DEPTH = 40.0
IN_FRONT = 40.0 + 0.1 * DEPTH
"""The line's front end: 4 mm in front of the anterior cortex (x = 44 on the square body)."""
BEHIND = -0.7 * DEPTH
"""The line's back end: the back of the posterior elements, 28 mm behind the wall (x = −28)."""


def _tilted(p: Point) -> Point:
    """The square body's point on the tilted film: turned by atan(3/4) and moved by (100, 200)."""
    return (100.0 + 0.8 * p[0] - 0.6 * p[1], 200.0 + 0.6 * p[0] + 0.8 * p[1])


def _l3() -> Skeleton:
    corners = {"post_sup": (0.0, 25.0), "ant_sup": (40.0, 25.0), "post_inf": (0.0, 0.0), "ant_inf": (40.0, 0.0)}
    return Skeleton({"L3": {k: _tilted(p) for k, p in corners.items()}}, ())


def _span(hinge: Point) -> tuple[Point, Point]:
    span = cut_span(_l3(), Osteotomy("PSO", "L3", 20.0), _tilted(hinge))
    assert span is not None
    return span


def test_a_pso_line_crosses_the_anterior_cortex_and_ends_behind_the_laminae() -> None:
    # Hinge inside the body, off the mid-body line (y = 10): the line stays on y = 10, parallel to
    # the cut, from 4 mm in front of the cortex to 28 mm behind the posterior wall.
    front, back = _span((30.0, 10.0))
    assert front == pytest.approx(_tilted((IN_FRONT, 10.0)), abs=1e-9)
    assert back == pytest.approx(_tilted((BEHIND, 10.0)), abs=1e-9)


def test_a_hinge_on_the_anterior_cortex_line_runs_4_mm_in_front_of_it() -> None:
    front, back = _span((40.0, 12.5))
    assert front == pytest.approx(_tilted((IN_FRONT, 12.5)), abs=1e-9)
    assert back == pytest.approx(_tilted((BEHIND, 12.5)), abs=1e-9)


def test_a_hinge_in_front_of_the_body_starts_the_line_at_the_hinge() -> None:
    # 10 mm in front of the cortex, beyond the 4 mm margin: the line must still reach its hinge
    # (its front end is the hinge itself), then run back through the body to the laminae.
    front, back = _span((50.0, 12.5))
    assert front == pytest.approx(_tilted((50.0, 12.5)), abs=1e-9)
    assert back == pytest.approx(_tilted((BEHIND, 12.5)), abs=1e-9)


def test_a_hinge_behind_the_posterior_elements_ends_the_line_at_the_hinge() -> None:
    # 40 mm behind the wall, 12 mm beyond the laminae: the line ends at the hinge itself.
    front, back = _span((-40.0, 12.5))
    assert front == pytest.approx(_tilted((IN_FRONT, 12.5)), abs=1e-9)
    assert back == pytest.approx(_tilted((-40.0, 12.5)), abs=1e-9)


def test_no_line_without_the_corners_that_give_the_cut_its_direction() -> None:
    assert cut_span(Skeleton({}, ()), Osteotomy("PSO", "L3", 20.0), (0.0, 0.0)) is None
