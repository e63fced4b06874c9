"""`render` of every sample case, pre-op and planned: no two labels overlap and none leaves the
film (issue 14, done-when); the legend of line styles is on the film, whole, on no label and on
no part of the spine. The rectangles are the ones the overlay painted, in output pixels."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import load_radiograph
from alignment_planner.scene.legend import legend
from alignment_planner.scene.primitives import Polygon
from ui.export.render import export_scene, render_scene_image

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "sample_cases").glob("*/*.plan.json"))
# Every case has a pre-op film; a planned film exists only where the case plans a correction.
FILMS = [(path, "preop") for path in CASES] + [
    (path, "postop") for path in CASES if read_plan(path).osteotomies or read_plan(path).compensation
]


@pytest.mark.parametrize(("path", "stage"), FILMS, ids=[f"{p.parent.name}-{s}" for p, s in FILMS])
def test_rendered_labels_neither_overlap_nor_leave_the_film(qapp, path: Path, stage: str) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(path)
    analysis = analyze(plan)
    assert stage == "preop" or analysis.simulated
    assert plan.image is not None
    radiograph = load_radiograph(plan.image.resolve(path.parent))  # type: ignore[arg-type]
    scene = export_scene(plan, analysis, radiograph, stage)  # type: ignore[arg-type]
    image = render_scene_image(scene)
    rects = scene.overlay_item.painted_label_rects
    assert len(rects) >= 6
    film = QRectF(0, 0, image.width(), image.height())
    for key, rect in rects:
        assert film.contains(rect), f"{key} is clipped at the film's edge: {rect}"
    overlapping = [(a, b) for (a, ra), (b, rb) in combinations(rects, 2) if ra.intersects(rb)]
    assert overlapping == []
    mark = scene.overlay_item.planned_mark_rect
    if stage == "postop":
        assert mark is not None and film.contains(mark)
        assert not any(mark.intersects(r) for _k, r in rects)
    legend_rect = scene.overlay_item.painted_legend_rect
    assert legend_rect is not None, "the rendered film carries the legend of line styles"
    assert film.contains(legend_rect), f"the legend is clipped at the film's edge: {legend_rect}"
    assert legend_rect.height() > 10 * len(legend(scene.overlay_item.overlay))
    assert not [k for k, r in rects if legend_rect.intersects(r)], "a label lies under the legend"
    if mark is not None:
        assert not legend_rect.intersects(mark)
    # The spine: no vertebral body outline and no landmark under the legend (output pixels).
    # The output is the film with every moved part of it (a planned film reaches beyond the
    # pre-op frame): display point (x, y) is at ((x − left)·s, (y − top)·s).
    frame = scene.film_rect()
    to_output = image.width() / frame.width()

    def shown(x: float, y: float) -> QPointF:
        return QPointF((x - frame.left()) * to_output, (y - frame.top()) * to_output)

    overlay = scene.overlay_item.overlay
    for primitive in overlay.primitives:
        if isinstance(primitive, Polygon) and primitive.style == "body":
            for x, y in primitive.points:
                assert not legend_rect.contains(shown(x, y)), primitive.key
    for handle in overlay.handles:
        assert not legend_rect.contains(shown(*handle.position)), handle.key
