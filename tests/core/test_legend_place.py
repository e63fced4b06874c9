"""Where the legend goes on a rendered film (alignment_planner/scene/legend.py): a corner free of
the drawing, else a free place along an edge, never on a landmark or a reserved mark."""

from __future__ import annotations

from alignment_planner.scene.labels import Box
from alignment_planner.scene.legend import place_legend
from alignment_planner.scene.primitives import Handle, Line, Overlay, Polygon

FILM = Box(0.0, 0.0, 400.0, 1000.0)
SIZE = (120.0, 80.0)


def test_an_empty_film_gets_the_bottom_left_corner() -> None:
    box = place_legend(Overlay(), FILM, SIZE, margin=8.0, handle_radius=5.0)
    assert box == Box(8.0, 912.0, 128.0, 992.0)


def test_a_body_in_the_bottom_left_corner_sends_the_legend_to_the_bottom_right() -> None:
    body = Polygon("L5", ((20.0, 900.0), (100.0, 900.0), (100.0, 980.0), (20.0, 980.0)), "body")
    box = place_legend(Overlay((body,)), FILM, SIZE, margin=8.0, handle_radius=5.0)
    assert box == Box(272.0, 912.0, 392.0, 992.0)


def test_a_landmark_alone_is_kept_clear_of() -> None:
    handles = (Handle("h", "S1", "ant_sup", (60.0, 950.0)), Handle("g", "L5", "ant_sup", (330.0, 950.0)))
    box = place_legend(Overlay(handles=handles), FILM, SIZE, margin=8.0, handle_radius=5.0)
    assert box == Box(272.0, 8.0, 392.0, 88.0)  # top right: both bottom corners hold a point


def test_lines_across_every_corner_leave_a_place_along_an_edge() -> None:
    # Two diagonals cover all four corners; the middle of the left edge is free of both.
    lines = (Line("a", (0.0, 0.0), (400.0, 300.0), "plumb"), Line("b", (0.0, 1000.0), (400.0, 700.0), "plumb"))
    box = place_legend(Overlay(lines), FILM, SIZE, margin=8.0, handle_radius=5.0)
    assert box.inside(FILM)
    assert box.left == 8.0 or box.right == 392.0
    for line in lines:
        (x0, y0), (x1, y1) = line.a, line.b
        for t in (i / 200 for i in range(201)):
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            assert not (box.left <= x <= box.right and box.top <= y <= box.bottom)


def test_the_planned_mark_is_never_covered() -> None:
    mark = Box(0.0, 0.0, 400.0, 1000.0 - 100.0)  # all but the bottom band
    body = Polygon("L5", ((20.0, 920.0), (100.0, 920.0), (100.0, 990.0), (20.0, 990.0)), "body")
    box = place_legend(Overlay((body,)), FILM, SIZE, margin=8.0, handle_radius=5.0, avoid=(mark,))
    assert not box.overlaps(mark)
    assert box == Box(272.0, 912.0, 392.0, 992.0)
