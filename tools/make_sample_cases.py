"""Regenerate the bundled sample plans deterministically from the parametric spine model.

    python tools/make_sample_cases.py

Each case folder gets ``<case>.plan.json`` and ``expected.json``: the values the geometry was built
with (PI, PT, SS, LL, L4S1 are exact by construction), which the tests check the measurement against.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from alignment_planner.calibration import PixelSpacing
from alignment_planner.imaging.dicom_write import write_dicom
from alignment_planner.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.plan import Compensation, ImageRef, Osteotomy, Patient, Plan, Procedure
from alignment_planner.plan_file import write_plan
from alignment_planner.spine_model import SpineSpec, build_landmarks
from alignment_planner.synthetic_image import render_radiograph

SPACING = PixelSpacing.isotropic(0.5)
IMAGE_SIZE = (900, 2100)  # width, height in pixels: 450 × 1050 mm
HIP_PIXEL = (470.0, 1800.0)

ROOT = Path(__file__).resolve().parent.parent / "sample_cases"


@dataclass(frozen=True)
class Case:
    name: str
    spec: SpineSpec
    plan: Plan
    spacing: PixelSpacing
    notes: str


def _round(landmarks: Landmarks) -> Landmarks:
    """Two decimals of a pixel, as a careful user would place them; keeps files readable."""

    def r(p: tuple[float, float] | None) -> tuple[float, float] | None:
        return None if p is None else (round(p[0], 2), round(p[1], 2))

    vertebrae = {
        level: Vertebra(r(v.ant_sup), r(v.post_sup), r(v.post_inf), r(v.ant_inf), r(v.center))
        for level, v in landmarks.vertebrae.items()
    }
    heads = tuple(FemoralHead(r(h.center)) for h in landmarks.femoral_heads)  # type: ignore[arg-type]
    return make_landmarks(vertebrae, heads)


def _lumbar(segments: dict[str, float]) -> dict[str, float]:
    return {**SpineSpec().segment_lordosis, **segments}


CASES = (
    Case(
        "normal_adult",
        SpineSpec(pelvic_incidence=52.0, pelvic_tilt=13.0),
        Plan(patient=Patient(id="SAMPLE-001", name="Sample^Normal", age=34, sex="F")),
        SPACING,
        "Synthetic asymptomatic adult: balanced spine, PI 52°, PT 13°, LL 54°.",
    ),
    Case(
        "flatback_pso",
        SpineSpec(
            pelvic_incidence=62.0,
            pelvic_tilt=31.0,
            segment_lordosis=_lumbar(
                {"L1-L2": -4.0, "L2-L3": 0.0, "L3-L4": 4.0, "L4-L5": 10.0, "L5-S1": 15.0,
                 "T12-L1": 2.0, "T10-T11": -1.0, "T11-T12": 0.0}
            ),
        ),
        Plan(
            patient=Patient(id="SAMPLE-002", name="Sample^Flatback", age=67, sex="F"),
            osteotomies=(Osteotomy("PSO", "L3", 30.0),),
            procedures=(Procedure("fusion", from_level="T10", to_level="S1"),),
            compensation=Compensation("pt_target", pt_deg=20.0),
        ),
        SPACING,
        "Synthetic iatrogenic flatback after lumbar fusion: PI 62°, PT 31°, LL 25°. "
        "Planned: L3 pedicle subtraction osteotomy of 30°, fusion T10–S1; pelvis reset to PT 20° "
        "(Langella method B, clinical.md §4.5).",
    ),
)


def expected_values(spec: SpineSpec) -> dict[str, float]:
    seg = spec.segment_lordosis
    ll = sum(seg[s] for s in ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"))
    l4s1 = seg["L4-L5"] + seg["L5-S1"]
    return {
        "PI": spec.pelvic_incidence,
        "PT": spec.pelvic_tilt,
        "SS": spec.pelvic_incidence - spec.pelvic_tilt,
        "LL": ll,
        "L4S1": l4s1,
        "PI_LL": spec.pelvic_incidence - ll,
    }


def main() -> int:
    for case in CASES:
        folder = ROOT / case.name
        folder.mkdir(parents=True, exist_ok=True)
        exact = build_landmarks(case.spec, spacing=case.spacing, facing="right", hip_pixel=HIP_PIXEL)
        landmarks = _round(exact)
        pixels = render_radiograph(exact, IMAGE_SIZE, case.spacing, seed=len(case.name))
        patient = case.plan.patient
        image_path = folder / "image.dcm"
        write_dicom(
            image_path, pixels, compress=True, BitsStored=12,
            PixelSpacing=[case.spacing.row, case.spacing.column],
            PatientName=patient.name if patient else "", PatientID=patient.id if patient else "",
            PatientAge=f"{int(patient.age):03d}Y" if patient and patient.age else "",
            PatientSex=patient.sex if patient and patient.sex else "",
            WindowCenter=3000, WindowWidth=4000,
            SOPInstanceUID=f"2.25.{int(hashlib.sha256(case.name.encode()).hexdigest()[:30], 16)}",
            StudyDescription="alignment-planner synthetic sample (not a patient)",
        )
        plan = replace(
            case.plan,
            landmarks=landmarks,
            facing="right",
            image=ImageRef(
                path="image.dcm",
                sha256=hashlib.sha256(image_path.read_bytes()).hexdigest(),
                pixel_spacing=case.spacing,
                calibration_source="dicom-pixel-spacing",
                calibration_detail="synthetic image written with this PixelSpacing",
            ),
            notes=case.notes,
        )
        write_plan(plan, folder / f"{case.name}.plan.json")
        expected = {
            "description": "ground truth from the geometry the plan was built with (tolerance 0.02°)",
            "preop": expected_values(case.spec),
        }
        (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
        print(f"wrote {folder.relative_to(ROOT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
