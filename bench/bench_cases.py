"""Issue 7 targets (medians, JSON on stdout).

- generating one full-spine phantom case of about 2500×7000 pixels: ≤ 5 s
- opening the sample-case picker (thumbnails cached): ≤ 0.5 s

    QT_QPA_PLATFORM=offscreen python bench/bench_cases.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.synthetic.phantom import render_phantom
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks


def _stats(samples: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(samples), 1), "min": round(min(samples), 1), "n": len(samples)}


def bench_generate(repeat: int = 3) -> dict[str, object]:
    spacing = PixelSpacing.isotropic(0.15)
    size = (2500, 7000)  # 375 × 1050 mm
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(1150.0, 6000.0))
    samples = []
    for seed in range(repeat):
        start = time.perf_counter()
        render_phantom(landmarks, size, spacing, seed=seed)
        samples.append(1000 * (time.perf_counter() - start))
    return {"image_px": list(size), "generate_ms": _stats(samples)}


def bench_picker(repeat: int = 5) -> dict[str, object]:
    os.environ.setdefault("ALIGNMENT_PLANNER_CACHE_DIR", tempfile.mkdtemp(prefix="ap-bench-cache-"))
    from PySide6.QtWidgets import QApplication

    from ui.app import application
    from ui.window.main_window import MainWindow

    app = application()
    window = MainWindow()
    window.show()
    QApplication.processEvents()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        picker = window.practice.choose_case()  # reads every case.json and plan, shows the thumbnails
        assert picker is not None and picker.grid.count() >= 8
        QApplication.processEvents()  # until it is on screen
        samples.append(1000 * (time.perf_counter() - start))
        assert picker._tasks == [], "a thumbnail had to be decoded: the cache is not being used"
        picker.reject()
        QApplication.processEvents()
    window.close()
    del app
    return {"cases": picker.grid.count(), "picker_open_ms": _stats(samples)}


def main() -> int:
    result: dict[str, object] = {}
    result.update(bench_generate())
    result.update(bench_picker())
    result["targets"] = {"generate_ms.median": "<= 5000", "picker_open_ms.median": "<= 500"}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
