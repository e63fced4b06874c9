"""Follow-up films for teaching cases (issue 19 §5), used by ``make_sample_cases.py``.

Each is the case's own plan carried out with a realistic miss, built from the plan's geometry
(``alignment_planner.synthetic.followup_film``): the achieved PT is set by construction, so the
expected values below are exact, not measured. The notes say what the miss teaches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.anatomy.landmarks import FemoralHead, Vertebra, make_landmarks
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.plan.model import FollowUp, ImageRef, Plan
from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner.synthetic.followup_film import followup_landmarks
from alignment_planner.synthetic.phantom import render_phantom


@dataclass(frozen=True)
class SampleFollowUp:
    label: str
    date: str
    film: str
    pt_shortfall_deg: float
    """The pelvis released this much less than planned: achieved PT = planned PT + this."""
    correction_fraction: float
    kyphosis_gain_deg: float
    teaches: tuple[str, ...]


FOLLOWUPS: dict[str, SampleFollowUp] = {
    "flatback_pso": SampleFollowUp(
        "1 year", "2027-03-15", "followup_1y.dcm", 6.0, 1.0, 8.0,
        (
            "The PSO closed its full 30°: LL and PI−LL are as planned.",
            "The pelvis released 6° less than the PT 20° assumed: it is still retroverted, still "
            "compensating. SVA therefore looks better than planned; that is the pelvis holding the "
            "trunk back, not a better correction. Read PT with SVA, and TPA (which no pelvic turn "
            "changes) before calling it a success; plan for a pelvis-fixed worst case too.",
            "The unfused thoracic spine above T10 gained 8° of kyphosis: the reciprocal change that "
            "rigid-segment planning cannot predict (ISSG). Watch the proximal "
            "junction.",
        ),
    ),
    "degenerative_spondylolisthesis": SampleFollowUp(
        "6 weeks", "2026-12-10", "followup_6w.dcm", 3.0, 0.6, 0.0,
        (
            "The cage gave about 9° of the 15° planned: it subsided into osteoporotic endplates, "
            "and lordosis is under-corrected, the commonest miss.",
            "With less lordosis restored the pelvis also stayed 3° more retroverted than planned.",
        ),
    ),
    "scheuermann_kyphosis": SampleFollowUp(
        "1 year", "2027-05-20", "followup_1y.dcm", 0.0, 0.75, 0.0,
        (
            "The four Ponte osteotomies kept three quarters of their correction: a rigid "
            "Scheuermann curve loses some of what the table achieved.",
            "TK is higher than planned by the lost quarter (about 8°); the pelvis did not move.",
        ),
    ),
}


def add_followup(name: str, plan: Plan, folder: Path, image_size: tuple[int, int],
                 spacing: PixelSpacing) -> tuple[Plan, dict[str, Any] | None]:
    """The plan with the case's follow-up film (written into ``folder``), and its expected values
    by construction; the plan unchanged and ``None`` for a case without one."""
    sample = FOLLOWUPS.get(name)
    if sample is None:
        return plan, None
    planned_pt = analyze(plan).postop.values["PT"].value
    assert planned_pt is not None
    achieved_pt = planned_pt + sample.pt_shortfall_deg
    landmarks = followup_landmarks(
        plan, achieved_pt, correction_fraction=sample.correction_fraction,
        kyphosis_gain_deg=sample.kyphosis_gain_deg,
    )
    seed = int(hashlib.sha256((name + sample.label).encode()).hexdigest()[:8], 16)
    film = render_phantom(landmarks, image_size, spacing, seed=seed)
    path = folder / sample.film
    write_dicom(
        path, film.pixels, compress=True, BitsStored=12,
        PixelSpacing=[spacing.row, spacing.column], PixelSpacingCalibrationType="GEOMETRY",
        WindowCenter=2300, WindowWidth=3200,
        SOPInstanceUID=f"2.25.{int(hashlib.sha256((name + sample.film).encode()).hexdigest()[:30], 16)}",
        StudyDescription="alignment-planner phantom follow-up (synthetic, not a patient)",
    )
    landmarks = make_landmarks(
        {level: Vertebra(*(None if p is None else (round(p[0], 2), round(p[1], 2)) for p in v[:5]))
         for level, v in landmarks.vertebrae.items()},
        tuple(FemoralHead((round(h.center[0], 2), round(h.center[1], 2))) for h in landmarks.femoral_heads),
    )
    followup = FollowUp(
        label=sample.label, date=sample.date, facing="right", landmarks=landmarks,
        image=ImageRef(
            path=sample.film, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            pixel_spacing=spacing, calibration_source="dicom-pixel-spacing",
        ),
    )
    expected = {
        "label": sample.label,
        "construction": {
            "PT": round(achieved_pt, 6), "pt_shortfall_deg": sample.pt_shortfall_deg,
            "correction_fraction": sample.correction_fraction,
            "kyphosis_gain_deg": sample.kyphosis_gain_deg,
        },
        "teaches": list(sample.teaches),
    }
    return replace(plan, followups=(followup,)), expected
