from __future__ import annotations

import math

import pytest

from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import DegenerateGeometry, incl, tilt, wrap180
from alignment_planner.geometry.transforms import Rigid2D


def test_tilt_is_positive_when_leaning_anteriorly() -> None:
    assert tilt((0, 0), (1, 1)) == pytest.approx(45.0)
    assert tilt((0, 0), (-1, 1)) == pytest.approx(-45.0)
    assert tilt((0, 0), (0, 5)) == pytest.approx(0.0)


def test_incl_is_positive_when_anterior_corner_is_lower() -> None:
    # A normal sacrum: the anterior corner lies below the posterior one.
    assert incl((0, 0), (10, -10)) == pytest.approx(45.0)
    assert incl((0, 0), (10, 10)) == pytest.approx(-45.0)


def test_coincident_points_are_degenerate() -> None:
    with pytest.raises(DegenerateGeometry):
        incl((1, 1), (1, 1))
    with pytest.raises(DegenerateGeometry):
        tilt((2, 3), (2, 3))


@pytest.mark.parametrize(
    ("angle", "wrapped"), [(0, 0), (180, 180), (-180, 180), (190, -170), (-190, 170), (540, 180)]
)
def test_wrap180(angle: float, wrapped: float) -> None:
    assert wrap180(angle) == pytest.approx(wrapped)


def test_frame_maps_pixels_to_anatomical_millimetres_and_back() -> None:
    frame = AnatomicalFrame(row_spacing=0.2, column_spacing=0.1, facing="left")
    assert frame.to_anatomical((100.0, 50.0)) == pytest.approx((-10.0, -10.0))
    assert frame.to_pixel(frame.to_anatomical((123.4, 567.8))) == pytest.approx((123.4, 567.8))


def test_rotation_is_counter_clockwise_about_the_hinge() -> None:
    rotation = Rigid2D.rotation_about((1.0, 1.0), 90.0)
    # A point above the hinge moves posteriorly (clinical.md §3.3 step 2).
    assert rotation.apply((1.0, 2.0)) == pytest.approx((0.0, 1.0))
    assert rotation.apply((1.0, 1.0)) == pytest.approx((1.0, 1.0))
    composed = rotation.then(Rigid2D.rotation_about((0.0, 0.0), 30.0))
    assert composed.angle_deg == pytest.approx(120.0)
    p = (3.0, -2.0)
    q = Rigid2D.rotation_about((0.0, 0.0), 30.0).apply(rotation.apply(p))
    assert composed.apply(p) == pytest.approx(q)
    assert math.isclose(Rigid2D().angle_deg, 0.0)
