"""Small builders shared by the core tests."""

from __future__ import annotations

from typing import Any

from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.files.plan_reader import plan_from_dict


def plan_doc(landmarks: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"format": "alignment-planner-plan", "version": 1, "landmarks": landmarks, **top}


def analyze_doc(doc: dict[str, Any]) -> Analysis:
    return analyze(plan_from_dict(doc))


# clinical.md §7.1: 1 px = 1 mm, patient faces right.
GOLDEN_LANDMARKS: dict[str, Any] = {
    "femoral_heads": [[1000.000, 2000.000]],
    "S1": {"post_sup": [958.797, 1890.552], "ant_sup": [989.439, 1916.263]},
    "C7": {"center": [988.797, 1290.552]},
    "T1": {"center": [983.797, 1270.552]},
    "L1": {"post_sup": [986.731, 1728.066], "ant_sup": [1021.505, 1718.749]},
}
