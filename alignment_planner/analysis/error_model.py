"""The landmark error model of clinical.md §5.4: per-landmark-class standard deviations, split into
along-endplate and across-endplate components, fitted to the published measurement SEMs of §5.1
and kept with their sources in one data file (``data/landmark_error.json``, written by
``tools/fit_landmark_error.py``).

Why per class and per direction: an isotropic 2.5 mm on every point gives CL ± 33° on 15 mm
cervical endplates, where readers disagree by 3–5°; error *along* an endplate barely changes its
angle, error across it is what tilts it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from alignment_planner.geometry.primitives import Point

CORNER_ENDPLATE = {"ant_sup": "sup", "post_sup": "sup", "ant_inf": "inf", "post_inf": "inf"}


@dataclass(frozen=True, slots=True)
class ClassError:
    """One landmark class: SD in mm along and across its endplate (equal for points that are
    not on an endplate: head and body centres)."""

    along_mm: float
    across_mm: float


@dataclass(frozen=True, slots=True)
class ErrorModel:
    classes: dict[str, ClassError]
    anatomy_reference_mm: float
    """Uncalibrated films: the S1 (or a lumbar) superior endplate is taken to be this long."""
    description: str

    def for_point(self, level: str, name: str) -> ClassError:
        return self.classes[landmark_class(level, name)]

    @classmethod
    def isotropic(cls, sd_mm: float) -> ErrorModel:
        same = ClassError(sd_mm, sd_mm)
        return cls(
            dict.fromkeys(CLASSES, same), load_error_model().anatomy_reference_mm,
            f"an independent {sd_mm:g} mm error (1 SD, each axis) on every landmark",
        )


CLASSES = (
    "femoral_head", "S1_corner", "lumbar_corner", "thoracic_corner", "cervical_corner", "body_centre",
)


def landmark_class(level: str, name: str) -> str:
    if level == "femoral_heads":
        return "femoral_head"
    if name == "center":
        return "body_centre"
    return {"S": "S1_corner", "L": "lumbar_corner", "T": "thoracic_corner"}.get(level[0], "cervical_corner")


@cache
def load_error_model() -> ErrorModel:
    document = error_model_document()
    classes = {
        key: ClassError(float(entry["along_mm"]), float(entry["across_mm"]))
        for key, entry in document["classes"].items()
    }
    missing = [c for c in CLASSES if c not in classes]
    if missing:  # the data file ships with the program; a test checks it
        raise ValueError(f"landmark_error.json: classes missing: {', '.join(missing)}")
    return ErrorModel(
        classes, float(document["anatomy_reference_mm"]),
        "per-landmark-class error fitted to the published SEMs (clinical.md §5.1, §5.4)",
    )


def error_model_document() -> dict[str, Any]:
    text = (resources.files("alignment_planner.analysis") / "data" / "landmark_error.json").read_text(
        encoding="utf-8"
    )
    document: dict[str, Any] = json.loads(text)
    return document


def directions(corner: str, own: Point, partner: Point | None) -> tuple[tuple[float, float], ...]:
    """Unit vectors (image millimetres) along and across the endplate a corner lies on; the image
    axes when the partner corner is not placed or the point is not a corner."""
    if corner in CORNER_ENDPLATE and partner is not None:
        dx, dy = partner[0] - own[0], partner[1] - own[1]
        length = math.hypot(dx, dy)
        if length > 1e-9:
            return (dx / length, dy / length), (-dy / length, dx / length)
    return (1.0, 0.0), (0.0, 1.0)


def partner_corner(name: str) -> str | None:
    """The other corner of the same endplate."""
    return {"ant_sup": "post_sup", "post_sup": "ant_sup", "ant_inf": "post_inf", "post_inf": "ant_inf"}.get(
        name
    )
