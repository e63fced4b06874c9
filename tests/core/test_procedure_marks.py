"""Procedures on the film (scene/procedure_marks.py) at hand-computed positions: 1 px = 1 mm,
patient facing right, so posterior is −x in the image and labels stand anterior (+x)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from alignment_planner.files.plan_reader import plan_from_dict
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import Circle, Label, Line
from tests.core.helpers import analyze_doc, plan_doc
from tests.core.test_tdr import LANDMARKS


def _overlay(*procedures: dict[str, object]) -> dict[str, object]:
    doc = plan_doc(LANDMARKS, facing="right", image={"pixel_spacing_mm": 1.0}, procedures=list(procedures))
    plan = plan_from_dict(doc)
    return {p.key: p for p in build_overlay(plan, analyze_doc(doc)).primitives}


def test_spinoplasty_is_drawn_on_the_spinous_process() -> None:
    items = _overlay({"type": "spinoplasty", "level": "L4", "action": "partial_resection", "height_mm": 6})
    process, cut, label = items["procedure:0:process"], items["procedure:0:cut"], items["procedure:0:label"]
    assert isinstance(process, Line) and isinstance(cut, Line) and isinstance(label, Label)
    # L4's posterior wall is x = 1000 between y 960 and 1000: its middle (1000, 980); the process
    # lies 22–45 mm behind it, the resection line 6 mm from its tip, 10 mm long.
    assert process.a == pytest.approx((978.0, 980.0)) and process.b == pytest.approx((955.0, 980.0))
    assert sorted((cut.a, cut.b)) == [pytest.approx((961.0, 975.0)), pytest.approx((961.0, 985.0))]
    # The label: 30 mm in front of L4's anterior wall (x = 1040), to the right of its anchor.
    assert label.anchor == pytest.approx((1070.0, 980.0)) and label.side == "right"
    assert label.text == "SP L4 resection 6 mm"


def test_disc_procedures_tick_the_back_of_the_disc_and_cement_rings_the_body() -> None:
    items = _overlay({"type": "discectomy", "level": "L4-L5", "side": "left"},
                     {"type": "vertebroplasty", "level": "L3"})
    tick = items["procedure:0:tick"]
    assert isinstance(tick, Line)
    assert tick.a == pytest.approx((1000.0, 1005.0)) and tick.b == pytest.approx((990.0, 1005.0))
    ring = items["procedure:1:ring"]
    assert isinstance(ring, Circle) and ring.center == pytest.approx((1020.0, 925.0))
    assert ring.radius == pytest.approx(6.0)


def test_crowded_labels_are_spread_in_reading_order() -> None:
    items = _overlay({"type": "discectomy", "level": "L4-L5"}, {"type": "laminectomy", "level": "L4"},
                     {"type": "foraminotomy", "level": "L3-L4"})
    ys = [items[f"procedure:{i}:label"].anchor[1] for i in (2, 1, 0)]  # type: ignore[attr-defined]
    assert ys == sorted(ys) and all(b - a >= 30.0 - 1e-9 for a, b in pairwise(ys))
    # The run stays centred on its levels: L3-L4 (955), L4 (980), L4-L5 (1005).
    assert sum(ys) / 3 == pytest.approx((955.0 + 980.0 + 1005.0) / 3)


@pytest.mark.parametrize(("first", "last"), [("L3-L4", "L5"), ("L5", "L3-L4")])
def test_a_span_label_reads_cranial_end_first_whichever_way_the_file_gives_it(first: str, last: str) -> None:
    # The L3-L4 disc lies cranial to L5: the film reads "L3-L4–L5", as the table and the PDF do
    # (it drew "L5–L3-L4" when the file gave the caudal end first).
    items = _overlay({"type": "decompression", "from": first, "to": last, "approach": "open"})
    label = items["procedure:0:label"]
    assert isinstance(label, Label)
    assert "L3-L4–L5" in label.text and "L5–L3-L4" not in label.text
