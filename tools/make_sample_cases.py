"""Regenerate the teaching cases in ``sample_cases/`` exactly (issue 7 §2).

    python tools/make_sample_cases.py [CASE ...]

Each case is built from a parametric spine (``alignment_planner.synthetic.spine_model``) and gets:

* ``image.dcm``: a phantom full-spine film drawn from the same geometry (16-bit DICOM, JPEG 2000
  lossless, PixelSpacing, a sample patient's name and age, a 25 mm calibration ball);
* ``<case>.plan.json``: the expert landmarks (the ground truth, to 0.01 px) and the expert plan;
* ``case.json``: the teaching notes (what to notice, why this plan, what the alternatives do);
* ``expected.json``: the geometry's exact values (PI, PT, SS, the segment sums) and every value the
  expert plan measures to, pre-op and planned. ``tests/core/test_sample_cases.py`` checks both.

Everything is deterministic: the same code writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PIL import Image
from sample_followups import add_followup  # tools/, beside this script

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.imaging import load_radiograph
from alignment_planner.imaging.windowing import display_table
from alignment_planner.plan.model import Compensation, ImageRef, Osteotomy, Patient, Plan, Procedure
from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner.synthetic.phantom import render_phantom
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from alignment_planner.synthetic.truth import expected_values

SPACING = PixelSpacing.isotropic(0.4)  # coarser than a clinical 0.15–0.2: keeps the repository small
FILM_MM = (450.0, 1050.0)  # width, height: a 14 × 43 inch cassette, portrait
IMAGE_SIZE = (round(FILM_MM[0] / SPACING.column), round(FILM_MM[1] / SPACING.row))
STUDY_DATE = dt.date(2025, 3, 3)  # every sample film's (fictitious) study date
ROOT = Path(__file__).resolve().parent.parent / "sample_cases"


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    spec: SpineSpec
    plan: Plan
    summary: str
    notice: tuple[str, ...]
    rationale: str
    alternatives: tuple[str, ...]
    difficulty: str = "intermediate"
    hip_mm: tuple[float, float] = (190.0, 860.0)
    habitus: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


def _segments(**changes: float) -> dict[str, float]:
    segments = dict(SpineSpec().segment_lordosis)
    segments.update({key.replace("_", "-"): value for key, value in changes.items()})
    return segments


def _thoracic(value: float, levels: range = range(1, 12)) -> dict[str, float]:
    return {f"T{i}_T{i + 1}": value for i in levels}


def _patient(number: int, name: str, age: int, sex: str) -> Patient:
    return Patient(id=f"SAMPLE-{number:03d}", name=f"Sample^{name}", age=age, sex=sex)


CASES = (
    Case(
        "normal_adult",
        "Normal sagittal alignment",
        SpineSpec(
            pelvic_incidence=52.0,
            pelvic_tilt=13.0,
            segment_lordosis=_segments(**_thoracic(-2.5), L1_L2=4.0, L2_L3=7.0),
        ),
        Plan(patient=_patient(1, "Normal", 34, "F")),
        "A 34-year-old with back pain and a normal, balanced spine.",
        (
            "PI 52° is average; the lordosis (LL 57°) matches it, so PI−LL is about −5°.",
            "Two thirds of the lordosis is in L4–S1, as in asymptomatic adults.",
            "PT 13° means the pelvis is not retroverted: nothing is being compensated.",
            "The plumb line from C7 falls on the posterosuperior corner of S1 (SVA about 0 mm).",
        ),
        "No correction: every SRS-Schwab modifier is 0. Learn the landmarks on a normal film first.",
        (
            "Any osteotomy here would create a mismatch: try a 30° PSO and watch PI−LL go to −35° "
            "and SVA to about −196 mm, both outside the two-sided targets (over-correction). "
            "No compensation model helps: PT 13° is already below its ideal, so "
            "every model keeps the pelvis where it is.",
        ),
        "introductory",
    ),
    Case(
        "flatback_pso",
        "Iatrogenic flatback after lumbar fusion",
        SpineSpec(
            pelvic_incidence=62.0,
            pelvic_tilt=31.0,
            segment_lordosis=_segments(
                L1_L2=-4.0, L2_L3=0.0, L3_L4=4.0, L4_L5=10.0, L5_S1=15.0, T12_L1=2.0, T10_T11=-1.0,
                T11_T12=0.0,
            ),
        ),
        Plan(
            patient=_patient(2, "Flatback", 67, "F"),
            osteotomies=(Osteotomy("PSO", "L3", 30.0),),
            procedures=(
                Procedure("fusion", from_level="L2", to_level="S1", extra={"status": "existing"}),
                Procedure("fusion", from_level="T10", to_level="S1"),
            ),
            compensation=Compensation("pt_target", pt_deg=20.0),
        ),
        "A 67-year-old, years after an L2–S1 fusion, who stands bent forward and cannot look ahead.",
        (
            "PI 62° needs about 60° of lordosis; the fused lumbar spine has 25°: PI−LL is 37°.",
            "PT 31° is high: the pelvis is retroverted to hold the trunk up (SRS-Schwab PT ++).",
            "The C7 plumb line falls far in front of S1 (SVA positive), and TPA is large.",
            "The thoracic spine has lost some kyphosis: it compensates too.",
            "The old L2–S1 fusion is recorded as existing: no Ponte osteotomy, cage or ACR is "
            "possible inside it, so Suggest only offers cuts through the fusion mass or above it.",
        ),
        "A 30° pedicle subtraction osteotomy at L3, through the fusion mass below the apex of the "
        "lost lordosis, with instrumentation T10–S1. PI−LL falls to about 7° and TPA to about 16° "
        "whatever the pelvis does. SVA depends on it: the plan assumes the retroverted pelvis is "
        "released to at most PT 20° once lordosis is restored (and never further), giving SVA "
        "about 20 mm, inside the SRS-Schwab 0 band (< 40 mm). With the pelvis "
        "held at 31° the same cut gives SVA about −70 mm, an over-correction; the Yamato model "
        "(PT falls by half the lordosis gained, stopping at its ideal 21.6°) predicts about 7 mm. "
        "Read SVA with its model error (± 27 mm, Lafage 2012) and prefer TPA to judge the cut.",
        (
            "Ponte osteotomies are not possible through a solid fusion mass: no discs are left.",
            "A PSO at L4 adds the same lordosis lower, where more of it belongs, but is harder "
            "to close near the fused sacrum.",
            "Two-level Ponte osteotomies above the fusion (T10–T12) would correct the thoracic "
            "compensation, not the lumbar deficit.",
        ),
        "advanced",
    ),
    Case(
        "posttraumatic_kyphosis",
        "Post-traumatic thoracolumbar kyphosis",
        SpineSpec(
            pelvic_incidence=50.0,
            pelvic_tilt=24.0,
            body_wedge={"L1": -24.0},
            segment_lordosis=_segments(L1_L2=4.0, L2_L3=7.0, L3_L4=10.0, L4_L5=13.0, L5_S1=20.0),
        ),
        Plan(
            patient=_patient(3, "Trauma", 45, "M"),
            osteotomies=(Osteotomy("PSO", "L1", 25.0),),
            procedures=(Procedure("fusion", from_level="T10", to_level="L3"),),
            compensation=Compensation("pt_target", pt_deg=18.0),
        ),
        "A 45-year-old, two years after an L1 burst fracture treated in a brace, with a painful hump.",
        (
            "The L1 body is wedged: its anterior wall is much shorter than its posterior wall.",
            "The kyphosis is local: measure the segmental angle T12–L2 as well as the regional ones.",
            "The lumbar spine below is hyperextended to compensate, and PT is raised.",
        ),
        "A 25° pedicle subtraction osteotomy at the apex (L1), closing about as much as the "
        "fracture took, fused T10–L3: the correction is made where the deformity is. With the "
        "pelvis relaxing to PT 18°, PI−LL and SVA come close to zero.",
        (
            "A PSO at L3 would add lordosis below the kyphosis and leave the hump.",
            "Ponte osteotomies at T11–T12 and L1–L2 give about 10° each: not enough for a rigid "
            "post-traumatic kyphosis.",
        ),
    ),
    Case(
        "ankylosing_spondylitis",
        "Ankylosing spondylitis with chin-on-chest deformity",
        SpineSpec(
            pelvic_incidence=48.0,
            pelvic_tilt=34.0,
            segment_lordosis=_segments(
                **_thoracic(-5.0), C2_C3=-2.0, C3_C4=-3.0, C4_C5=-3.0, C5_C6=-3.0, C6_C7=-3.0,
                C7_T1=-6.0, T12_L1=-4.0, L1_L2=0.0, L2_L3=2.0, L3_L4=4.0, L4_L5=6.0, L5_S1=10.0,
            ),
        ),
        Plan(
            patient=_patient(4, "Spondylitis", 52, "M"),
            osteotomies=(Osteotomy("PSO", "L3", 35.0), Osteotomy("PSO", "C7", 25.0)),
            procedures=(Procedure("fusion", from_level="C4", to_level="S1"),),
            compensation=Compensation("pt_target", pt_deg=20.0),
        ),
        "A 52-year-old with long-standing ankylosing spondylitis who cannot lift his gaze from the "
        "floor; the whole spine is fused.",
        (
            "A global kyphosis from the neck to the lumbar spine; the lumbar lordosis is almost gone.",
            "PT is very high: the hips are extended as far as they go.",
            "The head is far in front of the pelvis: the cervical SVA and the C2 and T1 pelvic "
            "angles are large.",
            "Ossified discs: there are no mobile segments for a Ponte osteotomy.",
        ),
        "Two closing-wedge osteotomies: a lumbar PSO at L3 (35°) restores the trunk over the "
        "pelvis, and a cervicothoracic PSO at C7 (25°) lifts the gaze. Fusion C4–S1.",
        (
            "The lumbar osteotomy alone balances the trunk but leaves the chin on the chest.",
            "The cervical osteotomy alone raises the gaze but leaves the trunk pitched forward.",
        ),
        "advanced",
        hip_mm=(150.0, 880.0),
    ),
    Case(
        "scheuermann_kyphosis",
        "Scheuermann kyphosis",
        SpineSpec(
            pelvic_incidence=44.0,
            pelvic_tilt=6.0,
            body_wedge={"T7": -5.0, "T8": -6.0, "T9": -5.0},
            segment_lordosis=_segments(
                **_thoracic(-6.5, range(3, 12)), T12_L1=-3.0, L1_L2=8.0, L2_L3=12.0, L3_L4=14.0,
                L4_L5=16.0, L5_S1=22.0,
            ),
        ),
        Plan(
            patient=_patient(5, "Scheuermann", 19, "M"),
            osteotomies=tuple(Osteotomy("SPO", f"T{i}-T{i + 1}", 8.0) for i in range(7, 11)),
            procedures=(Procedure("fusion", from_level="T2", to_level="L2"),),
        ),
        "A 19-year-old with a rigid round back, thoracic pain and wedged mid-thoracic vertebrae.",
        (
            "Three adjacent thoracic bodies are wedged anteriorly (T7–T9): Scheuermann's criterion.",
            "The thoracic kyphosis is far above the normal 20–50°.",
            "The lumbar spine is hyperlordotic to keep the trunk balanced: PI−LL is strongly negative.",
        ),
        "Ponte osteotomies at four apical discs (T7–T11, 8° each), instrumented T2–L2: the "
        "kyphosis comes down by about 30° to the upper normal range without opening the anterior "
        "column. The planned SVA comes out negative because the model keeps the lumbar lordosis "
        "as it is; in patients the compensatory hyperlordosis relaxes after the kyphosis is "
        "corrected. Rigid-segment planning cannot predict that.",
        (
            "A single PSO at T8 corrects as much but with more blood loss, for a flexible deformity.",
            "Stopping the fusion above the first lordotic disc risks distal junctional kyphosis.",
        ),
    ),
    Case(
        "osteoporotic_fracture",
        "Osteoporotic compression fracture",
        SpineSpec(
            pelvic_incidence=54.0,
            pelvic_tilt=22.0,
            body_wedge={"L1": -14.0},
            segment_lordosis=_segments(**_thoracic(-4.0)),
        ),
        Plan(
            patient=_patient(6, "Osteoporosis", 78, "F"),
            osteotomies=(Osteotomy("KYPHOPLASTY", "L1", 10.0),),
        ),
        "A 78-year-old with acute back pain after a minor fall; the L1 body has lost its front.",
        (
            "Anterior height loss of L1 with an intact posterior wall: a wedge compression fracture.",
            "The focal kyphosis adds to an age-related thoracic kyphosis.",
            "Measure the fracture's own wedge: the angle between the L1 endplates.",
        ),
        "Kyphoplasty at L1, restoring about 10° of the anterior wedge; no fusion.",
        (
            "Bracing alone leaves the wedge as it is.",
            "An open osteotomy is out of proportion for a fresh fracture in osteoporotic bone.",
        ),
        "introductory",
    ),
    Case(
        "degenerative_spondylolisthesis",
        "Degenerative spondylolisthesis with lost segmental lordosis",
        SpineSpec(
            pelvic_incidence=60.0,
            pelvic_tilt=27.0,
            slip_mm={"L4": 9.0},
            disc_scale={"L4-L5": 0.5},
            segment_lordosis=_segments(L1_L2=3.0, L2_L3=8.0, L3_L4=12.0, L4_L5=2.0, L5_S1=15.0),
        ),
        Plan(
            patient=_patient(7, "Listhesis", 66, "F"),
            osteotomies=(Osteotomy("INTERBODY", "L4-L5", 15.0),),
            procedures=(
                Procedure("fusion", from_level="L4", to_level="L5"),
                Procedure("decompression", from_level="L4", to_level="L5"),
            ),
            compensation=Compensation("pt_target", pt_deg=22.0),
        ),
        "A 66-year-old with neurogenic claudication; L4 has slipped forward on L5.",
        (
            "L4 sits about 9 mm in front of L5 (Meyerding grade I) over a collapsed disc.",
            "The L4–L5 segment has lost its lordosis, so LL is short for PI 60°.",
            "Two thirds of lordosis belongs in L4–S1: here L4–S1 holds much less.",
        ),
        "Decompression and an L4–L5 fusion with a 15° lordotic interbody cage: it restores the "
        "segment's lordosis as well as its height.",
        (
            "A fusion in situ (no cage) would fix the segment in its flat position and keep the "
            "mismatch.",
            "An ACR with a hyperlordotic cage adds more lordosis than this mild mismatch needs.",
        ),
    ),
    Case(
        "high_pi_hyperlordosis",
        "High pelvic incidence with hyperlordosis",
        SpineSpec(
            pelvic_incidence=78.0,
            pelvic_tilt=18.0,
            segment_lordosis=_segments(L1_L2=4.0, L2_L3=11.0, L3_L4=17.0, L4_L5=22.0, L5_S1=28.0),
        ),
        Plan(patient=_patient(8, "HighPI", 42, "F")),
        "A 42-year-old with back pain and a deep lumbar curve.",
        (
            "PI 78° is high; a lordosis of 82° is what such a pelvis needs (PI−LL ≈ −4°).",
            "SS 60°: Roussouly type 4, with the lordosis long and deep.",
            "The pain is not a deformity to correct: the alignment is harmonious for this pelvis.",
        ),
        "No osteotomy. The lesson is the opposite one: do not flatten a high-PI spine to a "
        "'normal' lordosis of 50°, which would create a large PI−LL mismatch.",
        (
            "A fusion that set this spine to the 54° of the normal case would leave PI−LL at 24°: "
            "a flatback made by surgery. Compare the two cases' targets in the Targets tab.",
        ),
        "intermediate",
    ),
)


def _round(landmarks: Landmarks) -> Landmarks:
    """Two decimals of a pixel: the files stay readable and the ground truth exact to 0.01 px."""

    def r(p: tuple[float, float] | None) -> tuple[float, float] | None:
        return None if p is None else (round(p[0], 2), round(p[1], 2))

    vertebrae = {
        level: Vertebra(r(v.ant_sup), r(v.post_sup), r(v.post_inf), r(v.ant_inf), r(v.center))
        for level, v in landmarks.vertebrae.items()
    }
    heads = tuple(FemoralHead(r(h.center)) for h in landmarks.femoral_heads)  # type: ignore[arg-type]
    return make_landmarks(vertebrae, heads)


CHANGES = {
    "flatback_pso": [
        "issue 15: the old L2–S1 fusion is recorded with \"status\": \"existing\" (contract.md "
        "§4.1), so no disc procedure is proposed inside it; the expert plan is unchanged.",
        "issue 15: pt_target now releases the pelvis to at most 20° (clinical.md §4.6); this "
        "patient's PT is 31°, so the planned values are unchanged. The notes now give SVA under "
        "each pelvic assumption (pelvis fixed −70 mm, Yamato 7 mm, PT 20° 20 mm).",
    ],
    "normal_adult": [
        "issue 15: targets are two-sided (clinical.md §4.7): the 30° PSO of the notes is now "
        "judged over-correction; no compensation model moves this pelvis (PT below its ideal).",
    ],
}


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in values.items()}


def _values(measurements: Any) -> dict[str, float | None]:
    return {key: (None if v.value is None else round(v.value, 4)) for key, v in measurements.values.items()}


def build_case(case: Case, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    hip_pixel = (case.hip_mm[0] / SPACING.column, case.hip_mm[1] / SPACING.row)
    exact = build_landmarks(case.spec, spacing=SPACING, facing="right", hip_pixel=hip_pixel)
    landmarks = _round(exact)
    seed = int(hashlib.sha256(case.name.encode()).hexdigest()[:8], 16)
    film = render_phantom(landmarks, IMAGE_SIZE, SPACING, seed=seed, habitus=case.habitus)
    patient = case.plan.patient
    assert patient is not None and patient.age is not None
    image_path = folder / "image.dcm"
    number = CASES.index(case) + 1
    write_dicom(
        image_path, film.pixels, compress=True, BitsStored=12,
        PixelSpacing=[SPACING.row, SPACING.column], PixelSpacingCalibrationType="GEOMETRY",
        PixelSpacingCalibrationDescription="phantom film: drawn at this spacing (synthetic geometry)",
        PatientName=patient.name or "", PatientID=patient.id or "",
        PatientAge=f"{int(patient.age):03d}Y", PatientSex=patient.sex or "",
        PatientBirthDate=f"{STUDY_DATE.year - int(patient.age)}0101",
        WindowCenter=2300, WindowWidth=3200,
        # Study, series and instance UIDs derive from the case's name: regeneration is byte for byte.
        SOPInstanceUID=f"2.25.{int(hashlib.sha256(case.name.encode()).hexdigest()[:30], 16)}",
        StudyDate=STUDY_DATE.strftime("%Y%m%d"), StudyTime="093000",
        ContentDate=STUDY_DATE.strftime("%Y%m%d"), ContentTime="093000",
        StudyID=f"S{number:03d}", AccessionNumber=f"SAMPLEACC{number:03d}", SeriesNumber=1,
        InstanceNumber=1, ReferringPhysicianName="",
        PatientOrientation=["A", "F"],  # facing right: anterior towards the columns, feet down the rows
        ImageType=["DERIVED", "SECONDARY"],
        StudyDescription="alignment-planner phantom (synthetic, not a patient)",
        SeriesDescription=case.title,
    )
    plan = replace(
        case.plan,
        landmarks=landmarks,
        facing="right",
        image=ImageRef(
            path="image.dcm",
            sha256=hashlib.sha256(image_path.read_bytes()).hexdigest(),
            pixel_spacing=SPACING,
            calibration_source="dicom-pixel-spacing",
            calibration_detail="phantom film written with this PixelSpacing",
        ),
        notes=f"{case.title}. {case.summary}",
    )
    plan, followup = add_followup(case.name, plan, folder, IMAGE_SIZE, SPACING)  # issue 19 §5
    write_plan(plan, folder / f"{case.name}.plan.json")
    analysis = analyze(plan)
    spec = case.spec
    truth = {
        "PI": spec.pelvic_incidence, "PT": spec.pelvic_tilt, "SS": spec.pelvic_incidence - spec.pelvic_tilt,
    }
    truth_pre, truth_post = expected_values(spec, case.plan.osteotomies, case.plan.compensation)
    expected = {
        "description": "ground_truth: the geometry the film was drawn from (exact to 0.02°). "
        "truth: every value of the plan computed from the phantom's construction, independently of "
        "the measurement and simulation code (alignment_planner.synthetic.truth; the landmarks are "
        "rounded to 0.01 px, so the measurement agrees to about 0.02). preop and postop: what the "
        "expert plan measures to, to pin regressions (tests/core/test_sample_cases.py).",
        "changes": CHANGES.get(case.name, []),
        "ground_truth": truth,
        "truth": {"preop": _rounded(truth_pre), "postop": _rounded(truth_post)},
        "preop": _values(analysis.preop),
        "postop": _values(analysis.postop),
    }
    if followup is not None:
        expected["followups"] = [followup["construction"] | {"label": followup["label"]}]
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    teaching = {
        "format": "alignment-planner-case",
        "version": 1,
        "id": case.name,
        "title": case.title,
        "difficulty": case.difficulty,
        "summary": case.summary,
        "notice": list(case.notice),
        "rationale": case.rationale,
        "alternatives": list(case.alternatives),
        "plan": f"{case.name}.plan.json",
        "calibration_ball": {
            "center_px": [round(film.ball_center[0], 2), round(film.ball_center[1], 2)],
            "diameter_mm": film.ball_diameter_mm,
        },
        "synthetic": True,
    }
    if followup is not None:
        teaching["followup_notes"] = followup["teaches"]
    (folder / "case.json").write_text(json.dumps(teaching, indent=2, ensure_ascii=False) + "\n")
    write_thumbnail(image_path, folder / "thumbnail.png")


def write_thumbnail(image_path: Path, target: Path, height: int = 240) -> None:
    """The picker's thumbnail, shipped with the case so the picker never waits for a decode."""
    radiograph = load_radiograph(image_path)
    grey = display_table(radiograph, None, invert=False)[radiograph.stored]
    width = round(radiograph.width * height / radiograph.height)
    Image.fromarray(grey).resize((width, height), Image.Resampling.LANCZOS).save(target, optimize=True)


def main(argv: list[str]) -> int:
    chosen = [c for c in CASES if not argv or c.name in argv]
    for case in chosen:
        build_case(case, ROOT / case.name)
        print(f"wrote sample_cases/{case.name}")
    return 0 if chosen else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
