"""Profile and time the interactive part of ``bench_gui.py`` alone (no open or start-up runs):
the drags and slider steps, set up exactly as there, on the same 3000×9000 film.

    BENCH_CLOCK=thread QT_QPA_PLATFORM=offscreen python bench/profile_drag.py        # medians, JSON
    QT_QPA_PLATFORM=offscreen python bench/profile_drag.py --profile annotated     # cProfile of one

``--profile`` takes one of fit, planned, annotated, annotation_point, slider_annotated and prints
the cProfile statistics of that measure's events (sorted by ``--sort``, default cumulative time),
with the per-event call counts that make a before/after comparison independent of machine load.
Timing under the profiler is inflated; read the medians from a run without ``--profile``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import bench_gui
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from ui.app import application

MEASURES = ("fit", "planned", "annotated", "annotation_point", "slider_annotated")


@contextmanager
def _maybe_profiled(profiler: cProfile.Profile | None) -> Iterator[None]:
    if profiler is not None:
        profiler.enable()
    try:
        yield
    finally:
        if profiler is not None:
            profiler.disable()


def run(
    app: QApplication, path: Path, profile: str | None
) -> tuple[dict[str, object], cProfile.Profile | None]:
    """The measures of ``bench_gui.bench_interaction`` without the window/level part; the one
    named ``profile`` runs under cProfile."""
    # The GUI thread's CPU time, as the bench's BENCH_CLOCK=thread: on a shared machine the wall
    # clock charges whichever call was running when the scheduler stepped in.
    profiler = cProfile.Profile(time.thread_time) if profile else None

    def measure(name: str, action: Callable[[], list[float]]) -> list[float]:
        with _maybe_profiled(profiler if name == profile else None):
            return action()

    window = bench_gui.open_full_plan(app, path)
    samples: dict[str, list[float]] = {}
    samples["fit"] = measure("fit", lambda: bench_gui._drag(window, "L3.ant_sup"))
    window.view.zoom_by(1.0 / window.view.zoom)
    window.view.centerOn(QPointF(*window.controller.pixel_of("L3.ant_sup")))  # type: ignore[misc]
    app.processEvents()
    bench_gui._drag(window, "L3.ant_sup")  # as in bench_gui: the drag at 100 % comes next
    samples["slider"] = bench_gui._slider(app, window)
    window.viewing.planned_action.trigger()
    window.view.fit()
    app.processEvents()
    samples["planned"] = measure("planned", lambda: bench_gui._drag(window, "L3.ant_sup"))
    bench_gui._ten_annotations(window)
    app.processEvents()
    samples["annotated"] = measure("annotated", lambda: bench_gui._drag(window, "L3.ant_sup"))
    samples["annotation_point"] = measure(
        "annotation_point", lambda: bench_gui._drag(window, "annotation.4.1", "Move measurement point")
    )
    window.viewing.planned_action.trigger()
    app.processEvents()
    samples["slider_annotated"] = measure("slider_annotated", lambda: bench_gui._slider_steps(window))
    window.controller.history.mark_saved()
    window.close()
    return {name: bench_gui._median_ms(values) for name, values in samples.items()}, profiler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=MEASURES)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=45)
    args = parser.parse_args()
    app = application()
    with tempfile.TemporaryDirectory(prefix="ap-profile-drag-") as folder:
        path = bench_gui._make_image(Path(folder))
        result, profiler = run(app, path, args.profile)
    thread_clock = bench_gui._event_clock is bench_gui.time.thread_time
    result["event_clock"] = "thread CPU time" if thread_clock else "wall"
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.strip_dirs().sort_stats(args.sort).print_stats(args.limit)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
