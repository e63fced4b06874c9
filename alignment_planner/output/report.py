"""What the plan report says, as plain strings (issue 6): built here without Qt so that every
number and sentence is unit-tested; ``ui/report_pdf.py`` only lays it out on the page.

Patient identifiers appear only when asked for (anonymous by default, issue 8 §5); every length
says where its scale came from; planned values carry the compensation assumption and, when
computed, their uncertainty bands.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from alignment_planner import __version__
from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.output.drawn import Drawn, annotation_report_rows
from alignment_planner.output.rows import (
    UNSURE_NOTE,
    MeasurementRow,
    by_key,
    classification_stages,
    measurement_rows,
    report_classification_lines,
)
from alignment_planner.output.segmental_table import SegmentalTable, segmental_table
from alignment_planner.output.sign_off import SignOff
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.catalogue import describe, osteotomy_reading_order, reading_order
from alignment_planner.targets.presets import Preset, evaluate

DISCLAIMER = (
    "Planning aid, not a prediction of outcome. The geometry of the simulated correction is exact "
    "for the landmarks placed; the landmarks carry placement error (about ± 4° on angles), and "
    "published planning predictions differ from the achieved alignment by about 4° of PT and "
    "27 mm of SVA (median absolute error) and a mean of 9° of LL."
)  # figures: clinical.md §5.3


@dataclass(frozen=True, slots=True)
class RodTemplate:
    """The planned rod at 1:1 for bending (issue 6): the posterior body corners of the fused
    levels in their planned positions, in mm, turned so that the rod's chord runs straight down
    the paper from (0, 0) to (0, length). Oriented like the film (turned, never mirrored): the
    patient's front is on the paper's right exactly when it is on the film's right."""

    span: str
    points: tuple[tuple[str, float, float], ...]
    length_mm: float
    note: str
    anterior_on_right: bool = False


@dataclass(frozen=True, slots=True)
class ReportContent:
    title: str
    case_name: str
    date: str
    version: str
    patient: tuple[str, ...]
    calibration: str
    simulated: bool
    compensation: str
    preset: str
    rows: tuple[MeasurementRow, ...]
    """Verdicts are the chosen preset's on the planned values (pre-op when nothing is planned)."""
    classifications: tuple[str, ...]
    procedures: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: str
    uncertainty: str
    segmental: SegmentalTable
    rod: RodTemplate | None = None
    disclaimer: str = DISCLAIMER
    drawn: tuple[tuple[str, str, str, str], ...] = ()
    """The free measurements drawn on the film: (name, pre-op, planned, note) (issue 18)."""
    sign_off: SignOff = field(default_factory=SignOff)
    """Surgeon, department and institution, printed on the sign-off block when known (the
    GUI's report settings); otherwise lines to write on."""


ANONYMOUS_CASE = "anonymous case"
# C2 to S1 of a tall adult is some 700 mm; a longer "rod" is a landmarking error.
MAX_ROD_MM = 1200.0


def case_name(path: Path) -> str:
    """A plan's name for titles: ``flatback_pso.plan.json`` → ``flatback_pso``."""
    return path.name.removesuffix(".json").removesuffix(".plan")


def build_report_content(
    plan: Plan,
    analysis: Analysis,
    *,
    case_name: str,
    preset: Preset,
    uncertainty: Uncertainty | None = None,
    include_patient: bool = False,
    today: dt.date | None = None,
    drawn: Drawn = (),
) -> ReportContent:
    # Without the patient's identifiers (contract.md §4.7): no file name (it often is the
    # patient's name), no notes and no calibration detail (free text) anywhere in the report.
    shown_name = case_name if include_patient else ANONYMOUS_CASE
    calibration = analysis.calibration if include_patient else replace(analysis.calibration, detail=None)
    age = plan.patient.age if plan.patient else None
    judged = analysis.postop if analysis.simulated else analysis.preop
    verdicts = by_key(evaluate(preset, judged, age))
    preop_verdicts = by_key(evaluate(preset, analysis.preop, age))
    rows = measurement_rows(analysis, uncertainty, verdicts, preop_verdicts)
    return ReportContent(
        title=f"Sagittal alignment plan — {shown_name}",
        case_name=shown_name,
        date=(today or dt.date.today()).isoformat(),
        version=f"alignment-planner {__version__}",
        patient=_patient_lines(plan) if include_patient else (),
        calibration=f"Scale: {calibration.describe()} (every length in mm uses this scale)",
        simulated=analysis.simulated,
        compensation=_compensation_text(analysis),
        preset=f"Target: {preset.name} ({preset.citation})",
        rows=rows,
        classifications=report_classification_lines(classification_stages(plan, analysis)),
        procedures=_procedure_lines(plan, analysis),
        warnings=analysis.warnings,
        notes=(plan.notes or "") if include_patient else "",
        uncertainty=_uncertainty_text(uncertainty, rows),
        segmental=segmental_table(plan, analysis, identify=include_patient),
        rod=rod_template(plan, analysis),
        drawn=annotation_report_rows(drawn, analysis.simulated),
    )


def rod_template(plan: Plan, analysis: Analysis) -> RodTemplate | None:
    """For the first fusion with a span, when the image is calibrated and the plan simulates."""
    skeleton = analysis.postop_skeleton
    if skeleton is None or not analysis.calibration.calibrated or analysis.frame is None:
        return None
    span = next(  # a rod is bent for the planned fusion, not for an existing one
        (p.fused_span for p in plan.procedures if p.fused_span is not None and not p.existing), None
    )
    if span is None or span[0] not in LEVEL_INDEX or span[1] not in LEVEL_INDEX:
        return None
    top, bottom = sorted(span, key=LEVEL_INDEX.__getitem__)
    points = [
        (f"{level} {name.split('_')[1]}", *skeleton.points[level][name])
        for level in LEVELS[LEVEL_INDEX[top] : LEVEL_INDEX[bottom] + 1]
        for name in ("post_sup", "post_inf")
        if name in skeleton.points.get(level, {})
    ]
    if len(points) < 2:
        return None
    # As on the film (x to the film's right, y down, in mm), then turned so that the chord runs
    # down the paper: a rotation, so the template is never the film's mirror image.
    sign = analysis.frame.anterior_sign
    points = [(label, x * sign, -y) for label, x, y in points]
    (_, x0, y0), (_, x1, y1) = points[0], points[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    if not 1.0 <= length <= MAX_ROD_MM:
        return None  # beyond any spine: the landmarks are wrong, and 10^8 pages help nobody
    if any(not math.isfinite(v) for _label, x, y in points for v in (x, y)):
        return None
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    placed = []
    for label, x, y in points:
        dx, dy = x - x0, y - y0
        along = dx * ux + dy * uy
        across = dx * uy - dy * ux
        placed.append((label, across, along))
    return RodTemplate(
        f"{top}–{bottom}",
        tuple(placed),
        length,
        "Through the posterior corners of the vertebral bodies in their planned positions; the rod "
        "itself lies further back (pedicle screw heads), so use the template for the shape of the "
        "bends, not for their exact radius.",
        anterior_on_right=sign > 0,
    )


def _compensation_text(analysis: Analysis) -> str:
    """clinical.md §4.6: the assumption, its own error and the pelvis-fixed SVA beside it."""
    if not analysis.simulated:
        return ""
    text = f"Pelvic compensation: {analysis.compensation_label}"
    fixed = analysis.pelvis_fixed.value("SVA") if analysis.pelvis_fixed is not None else None
    if analysis.model_error is not None:
        error = analysis.model_error
        text += f" (± {error.pt_deg:g}° PT, ± {error.sva_mm:g} mm SVA"
        text += f"; pelvis fixed SVA {fixed:.1f} mm)" if fixed is not None else ")"
    return text


def _patient_lines(plan: Plan) -> tuple[str, ...]:
    patient = plan.patient
    if patient is None:
        return ()
    parts = [
        f"Name: {patient.name}" if patient.name else "",
        f"ID: {patient.id}" if patient.id else "",
        f"Age: {patient.age:g}" if patient.age is not None else "",
        f"Sex: {patient.sex}" if patient.sex else "",
    ]
    return tuple(p for p in parts if p)


def _procedure_lines(plan: Plan, analysis: Analysis) -> tuple[str, ...]:
    """Osteotomies, then the other procedures, each from cranial to caudal (issue 21 §5)."""
    lines = []
    for index in osteotomy_reading_order(plan.osteotomies):
        osteotomy = plan.osteotomies[index]
        hinge = (
            f"hinge at ({osteotomy.hinge[0]:.0f}, {osteotomy.hinge[1]:.0f}) px"
            if osteotomy.hinge is not None
            else "default hinge"
        )
        line = f"{osteotomy.type} at {osteotomy.level}: {osteotomy.angle_deg:.1f}°, {hinge}"
        if index < len(analysis.wedges):
            wedge = analysis.wedges[index]
            line += f"; {wedge.describe()}"
            if wedge.warning:
                line += " — does not fit the vertebra"
        lines.append(line)
    calibrated = analysis.calibration.calibrated
    lines.extend(describe(plan.procedures[i], calibrated=calibrated) for i in reading_order(plan.procedures))
    return tuple(lines)


def _uncertainty_text(uncertainty: Uncertainty | None, rows: Sequence[MeasurementRow]) -> str:
    """Where the bands come from, what an asymmetric or undefined band cell means and, when a
    band carries "?", what that means and for which values."""
    if uncertainty is None:
        return ""
    notes = [
        f"{r.label}: {band.note}"
        for r in rows
        if (band := r.band_cell(r.judged_stage)) is not None and band.note is not None
    ]
    stages = " (pre-op → planned)" if any(r.simulated for r in rows) else ""
    text = "; ".join([f"± = 95 % band{stages} from {uncertainty.method}", *notes])
    unsure = [note for r in rows for note in r.unsure_notes]
    if unsure:
        text += f". {UNSURE_NOTE}: {'; '.join(unsure)}"
    return text
