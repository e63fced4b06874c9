"""The strokes a label keeps off are reused from one drag event to the next (arc samples memoised,
the last grid kept): a moved arc must still be kept off where it is now, never where it was."""

from __future__ import annotations

import math

from alignment_planner.scene.label_strokes import StrokeGrid, arc_stroke, arc_strokes
from alignment_planner.scene.labels import layout_labels
from alignment_planner.scene.primitives import Arc, Label


def _size(text: str) -> tuple[float, float]:
    return 8.0 * len(text) + 6.0, 20.0


def _arc(center: tuple[float, float]) -> Arc:
    return Arc("TPA", center, 60.0, 0.0, 90.0, "angle")


def test_a_moved_arc_is_kept_off_where_it_is_now() -> None:
    box = (40.0, -70.0, 80.0, -40.0)  # on the arc centred at the origin (its point at 45°: 42, -42)
    here = StrokeGrid(arc_strokes((_arc((0.0, 0.0)),), 1.0), 16.0)
    assert here.crosses(box, "CPA")
    assert not here.crosses(box, "TPA")  # its own arc
    moved = StrokeGrid(arc_strokes((_arc((400.0, 0.0)),), 1.0), 16.0)
    assert not moved.crosses(box, "CPA")
    assert moved.crosses((440.0, -70.0, 480.0, -40.0), "CPA")
    again = StrokeGrid(arc_strokes((_arc((0.0, 0.0)),), 1.0), 16.0)
    assert again.crosses(box, "CPA") and not again.crosses((440.0, -70.0, 480.0, -40.0), "CPA")


def test_arc_samples_are_those_of_the_arc_asked_for() -> None:
    a, b = _arc((0.0, 0.0)), _arc((0.0, 5.0))
    assert arc_stroke(a, 3.0) is arc_stroke(Arc("TPA", (0.0, 0.0), 60.0, 0.0, 90.0, "angle"), 3.0)
    assert arc_stroke(b, 3.0).points[0] == (60.0, 5.0)
    assert arc_stroke(a, 3.0).points[0] == (60.0, 0.0)
    assert len(arc_stroke(a, 1.0).points) > len(arc_stroke(a, 3.0).points)


def test_a_label_placed_afresh_keeps_off_the_arc_after_it_moved() -> None:
    """A CPA label whose anchor spot lies on TPA's arc moves off it; when TPA's arc moves away,
    the same layout (same strokes grid reused where equal) puts CPA's label back at its anchor."""
    label = Label("CPA:label", (42.4, -42.4), "CPA 12.0°", "angle")

    def placed(center: tuple[float, float]) -> tuple[float, float]:
        arcs = (_arc(center),)
        (result,) = layout_labels([label], text_size=_size, units_per_px=1.0, keep_off=lambda: arc_strokes(arcs, 1.0))
        return result.box.center

    on_arc = placed((0.0, 0.0))
    assert on_arc != label.anchor  # moved off TPA's arc
    assert placed((0.0, 0.0)) == on_arc  # the same strokes: the same place
    assert math.dist(placed((600.0, 0.0)), label.anchor) < 1e-9  # TPA's arc elsewhere: at its anchor
    assert placed((0.0, 0.0)) == on_arc
