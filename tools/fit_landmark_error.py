"""Fit the landmark error model of clinical.md §5.4 and write it, with its sources and the SDs it
reproduces, to ``alignment_planner/analysis/data/landmark_error.json``.

    python tools/fit_landmark_error.py

Propagated variance is linear in the per-class variances: var(value) = Σ_c σ_c² · G_c, with G_c
the propagated variance for 1 mm on class component c alone. G is computed on every sample case;
the σ_c² ≥ 0 are then fitted by least squares to the centre of each published SEM range (§5.1:
Kyrölä 2018 intra-rater SEMs; §5.4: 3–5° for the cervical angles), with a weak pull towards a
prior so that components no published SEM constrains (error along an endplate) stay plausible.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from alignment_planner.analysis.error_model import CLASSES, ClassError, ErrorModel
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.files.plan_reader import read_plan

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "alignment_planner" / "analysis" / "data" / "landmark_error.json"
PUBLISHED_SEM = {
    "PI": (2.4, 4.7, "Kyrölä 2018 [68] intra-rater SEM (clinical.md §5.1)"),
    "SS": (2.2, 2.9, "Kyrölä 2018 [68]"),
    "PT": (0.8, 3.1, "Kyrölä 2018 [68]"),
    "TK": (3.1, 4.9, "Kyrölä 2018 [68] (T4–T12)"),
    "SVA": (2.2, 5.8, "Kyrölä 2018 [68] (mm)"),
    "CL": (3.0, 5.0, "clinical.md §5.4: published SEMs of the cervical angles are 3–5°"),
    "TS_CL": (3.0, 5.0, "clinical.md §5.4"),
    "LL": (2.2, 4.9, "⚙ no LL SEM in clinical.md §5.1: the range of SS (2.2) to TK (4.9) of the same study, "
           "within 'variation up to about 10°' [70]"),
}
ISOTROPIC = ("femoral_head", "body_centre")
COMPONENTS = [(c, "along") for c in CLASSES] + [(c, "across") for c in CLASSES if c not in ISOTROPIC]
PRIOR_MM = 2.0  # along-endplate and unconstrained components drift towards this
PRIOR_WEIGHT = 0.05
FLOOR_MM = 0.3


def _model(values: dict[tuple[str, str], float]) -> ErrorModel:
    classes = {}
    for c in CLASSES:
        along = values.get((c, "along"), 0.0)
        across = along if c in ISOTROPIC else values.get((c, "across"), 0.0)
        classes[c] = ClassError(along, across)
    return ErrorModel(classes, 45.0, "fit")


def _cases() -> list[tuple[str, object]]:
    found = []
    for folder in sorted((ROOT / "sample_cases").iterdir()):
        plans = sorted(folder.glob("*.plan.json"))
        if plans:
            found.append((folder.name, read_plan(plans[0])))
    return found


def main() -> None:
    cases = _cases()
    keys = list(PUBLISHED_SEM)
    rows: list[list[float]] = []
    targets: list[float] = []
    labels: list[tuple[str, str]] = []
    for name, plan in cases:
        unit: dict[tuple[str, str], dict[str, float | None]] = {}
        for component in COMPONENTS:
            u = propagate(plan, model=_model({component: 1.0}))  # type: ignore[arg-type]
            unit[component] = u.preop
        for key in keys:
            if any(unit[c][key] is None for c in COMPONENTS):
                continue
            low, high, _ = PUBLISHED_SEM[key]
            centre = math.sqrt(low * high)
            # relative residual on the variance: each value weighs the same whatever its unit
            rows.append([(unit[c][key] or 0.0) ** 2 / centre**2 for c in COMPONENTS])
            targets.append(1.0)
            labels.append((name, key))
    a, b = np.array(rows), np.array(targets)
    prior = np.eye(len(COMPONENTS)) * PRIOR_WEIGHT
    a_full = np.vstack([a, prior])
    b_full = np.concatenate([b, np.full(len(COMPONENTS), PRIOR_WEIGHT * PRIOR_MM**2)])
    variances = _nnls(a_full, b_full)
    fitted = {c: max(math.sqrt(v), FLOOR_MM) for c, v in zip(COMPONENTS, variances, strict=True)}
    model = _model(fitted)
    reproduced: dict[str, dict[str, float | None]] = {}
    for name, plan in cases:
        u = propagate(plan, model=model)  # type: ignore[arg-type]
        reproduced[name] = {k: None if u.preop[k] is None else round(u.preop[k], 2) for k in keys}  # type: ignore[arg-type]
    document = {
        "format": "alignment-planner-landmark-error",
        "version": 1,
        "description": (
            "Per-landmark-class SD (mm) along and across each landmark's endplate (clinical.md §5.4), "
            "fitted by tools/fit_landmark_error.py so that the propagated SD of PI, PT, SS, TK, SVA, "
            "CL and TS-CL on the sample cases falls inside the published SEM ranges; LL has no SEM in "
            "clinical.md §5.1: its range is marked ⚙."
        ),
        "anatomy_reference_mm": 45.0,
        "anatomy_reference_source": (
            "clinical.md §5.4: on an uncalibrated film the S1 endplate is taken as ≈ 45 mm"
        ),
        "classes": {
            c: {
                "along_mm": round(model.classes[c].along_mm, 3),
                "across_mm": round(model.classes[c].across_mm, 3),
            }
            for c in CLASSES
        },
        "published_sem": {
            k: {"low": lo, "high": hi, "source": src} for k, (lo, hi, src) in PUBLISHED_SEM.items()
        },
        "fit": {
            "method": "non-negative least squares on variances (relative to the geometric centre of "
            f"each range), prior {PRIOR_MM} mm with weight {PRIOR_WEIGHT}, floor {FLOOR_MM} mm",
            "reproduced_sd_by_case": reproduced,
        },
    }
    OUT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, values in reproduced.items():
        print(name, values)
    print(json.dumps(document["classes"], indent=1))


def _nnls(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """min |Ax − b|² with x ≥ 0 for a small problem (no SciPy needed): solve on the free set,
    fix the most negative variable at 0, repeat."""
    free = list(range(a.shape[1]))
    x = np.zeros(a.shape[1])
    while free:
        solution, *_ = np.linalg.lstsq(a[:, free], b, rcond=None)
        if (solution >= 0).all():
            x[free] = solution
            break
        free.pop(int(np.argmin(solution)))
    return x


if __name__ == "__main__":
    main()
