"""The overlay's cached and live layers (ui/canvas/overlay_item.py): together they always draw
exactly the overlay, and a drag leaves the cached part alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.scene.overlay import build_overlay
from tests.ui.conftest import SAMPLE_PLAN
from ui.canvas.overlay_item import OverlayItem

pytestmark = pytest.mark.gui


def _overlay_with(plan, dx: float):  # type: ignore[no-untyped-def]
    x, y = plan.landmarks.point("L3", "ant_sup")
    moved = replace(plan, landmarks=plan.landmarks.with_point("L3", "ant_sup", (x + dx, y)))
    return build_overlay(moved, analyze(moved))


def _drawn(item: OverlayItem) -> tuple[list[object], list[object]]:
    stable = item._stable
    return list(stable.primitives) + list(item._live_primitives), list(stable.handles) + list(item._live_handles)


def test_layers_partition_the_overlay_and_a_drag_keeps_the_cache(qapp) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(SAMPLE_PLAN)
    item = OverlayItem()
    item.set_overlay(_overlay_with(plan, 0.0))
    cached_versions = []
    for step in range(1, 8):
        overlay = _overlay_with(plan, float(step))
        item.set_overlay(overlay)
        primitives, handles = _drawn(item)
        assert sorted(map(repr, primitives)) == sorted(map(repr, overlay.primitives))
        assert sorted(map(repr, handles)) == sorted(map(repr, overlay.handles))
        cached_versions.append(item._stable.primitive_set)
        # Only what depends on the moving point is drawn live.
        assert len(item._live_primitives) + len(item._live_handles) < 0.2 * (
            len(overlay.primitives) + len(overlay.handles)
        )
    assert all(v is cached_versions[1] for v in cached_versions[1:]), "the cache was rebuilt mid-drag"


def test_selection_and_undo_repartition(qapp) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(SAMPLE_PLAN)
    item = OverlayItem()
    first = _overlay_with(plan, 0.0)
    item.set_overlay(first)
    item.set_overlay(_overlay_with(plan, 30.0))
    item.set_selected("L1.ant_sup")
    assert [h.key for h in item._live_handles] == ["L1.ant_sup"]
    item.set_overlay(first)  # undo: the moved items come back
    primitives, handles = _drawn(item)
    assert sorted(map(repr, primitives)) == sorted(map(repr, first.primitives))
    assert sorted(map(repr, handles)) == sorted(map(repr, first.handles))
    assert "L1.ant_sup" in [h.key for h in item._live_handles]
