"""The human-readable measurement table printed by ``measure``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.measurements import PARAMETERS
from alignment_planner.output.drawn import Drawn, annotation_table_lines
from alignment_planner.output.formatting import fixed
from alignment_planner.output.reader_text import for_reader, has_internal_reference
from alignment_planner.output.rows import (
    UNSURE_NOTE,
    Stage,
    classification_stages,
    measurement_rows,
    table_classification_lines,
    value_text,
)
from alignment_planner.plan.model import Plan
from alignment_planner.procedures.catalogue import describe, osteotomy_reading_order, reading_order
from alignment_planner.targets.presets import Verdict


def _compensation_line(analysis: Analysis, model: str) -> str:
    if analysis.compensation_deg is None:
        return f"pelvic compensation: {model} (not applicable, see warnings)"
    return f"pelvic compensation ({model}): {analysis.compensation_label}"


def _pelvis_fixed_line(analysis: Analysis) -> str | None:
    """clinical.md §4.5/§4.6: compensated values beside "pelvis fixed", with the model's error."""
    values = analysis.pelvis_fixed
    if values is None or analysis.model_error is None:
        return None
    keys = ("PT", "SS", "SVA", "T1SPI")
    shown = [f"{key} {fixed(v)}" for key in keys if (v := values.value(key)) is not None]
    return f"pelvis fixed instead: {', '.join(shown)}; {analysis.model_error.describe()}"


def _verdict_cell(targets: Mapping[str, Any], key: str, simulated: bool) -> str:
    if key not in targets["preop"]:
        return ""
    pre = targets["preop"].get(key)
    if not simulated:
        return str(pre or "—")
    return f"{pre or '—'} → {targets['postop'].get(key) or '—'}"


def format_analysis(
    label: str,
    analysis: Analysis,
    plan: Plan,
    uncertainty: Uncertainty | None = None,
    drawn: Drawn = (),
    targets: Mapping[str, Any] | None = None,
    verdicts: tuple[Mapping[str, Sequence[Verdict]], Mapping[str, Sequence[Verdict]]] | None = None,
) -> str:
    """The table; ``verdicts`` (pre-op, planned by key) flag the bands that straddle a threshold."""
    text = _format_analysis(label, analysis, plan, uncertainty, drawn, targets, verdicts)
    # No internal document references for the reader; columns keep their spacing elsewhere.
    return "\n".join(for_reader(line) if has_internal_reference(line) else line for line in text.split("\n"))


def _format_analysis(
    label: str,
    analysis: Analysis,
    plan: Plan,
    uncertainty: Uncertainty | None,
    drawn: Drawn,
    targets: Mapping[str, Any] | None,
    verdicts: tuple[Mapping[str, Sequence[Verdict]], Mapping[str, Sequence[Verdict]]] | None,
) -> str:
    lines = [f"plan: {label}"]
    facing = analysis.facing or "unknown"
    lines.append(f"facing: {facing} (from {analysis.facing_source})")
    lines.append(f"calibration: {analysis.calibration.describe()}")
    if analysis.simulated:
        for index in osteotomy_reading_order(plan.osteotomies):
            osteotomy = plan.osteotomies[index]
            hinge = "explicit hinge" if osteotomy.hinge is not None else "default hinge"
            line = f"osteotomy: {osteotomy.type} at {osteotomy.level}, {osteotomy.angle_text} ({hinge})"
            if index < len(analysis.wedges):
                line += f"; {analysis.wedges[index].describe()}"
            lines.append(line)
        lines.append(_compensation_line(analysis, plan.compensation_or_default.model))
        pelvis_fixed = _pelvis_fixed_line(analysis)
        if pelvis_fixed:
            lines.append(pelvis_fixed)
    calibrated = analysis.calibration.calibrated
    for index in reading_order(plan.procedures):  # cranial to caudal (issue 21 §5)
        lines.append(f"procedure: {describe(plan.procedures[index], calibrated=calibrated)}")
    lines.append("")

    name_width = max(len(p.name) for p in PARAMETERS) + 2
    label_width = max(len(p.label) for p in PARAMETERS) + 2
    header = f"{'':<{label_width}}{'parameter':<{name_width}}{'unit':<6}{'pre-op':>9}"
    if analysis.simulated:
        header += f"{'planned':>10}{'Δ':>8}"
    if uncertainty is not None:
        header += f"{'± pre':>12}" + (f"{'± plan':>12}" if analysis.simulated else "")
    if targets is not None:
        header += f"  verdict ({targets['preset']})"
    lines.append(header)
    pre_verdicts, post_verdicts = verdicts if verdicts is not None else ({}, {})
    judged = post_verdicts if analysis.simulated else pre_verdicts
    unsure = False
    for r in measurement_rows(analysis, uncertainty, judged, pre_verdicts):
        parameter = r.parameter
        row = f"{parameter.label:<{label_width}}{parameter.name:<{name_width}}"
        row += f"{parameter.symbol:<6}{r.preop_text:>9}"
        if analysis.simulated:
            row += f"{r.planned_text:>10}{r.delta_text:>8}"
        if uncertainty is not None:  # the same band cells as the GUI's table and the PDF, "?" too
            stages: tuple[Stage, ...] = ("preop", "postop") if analysis.simulated else ("preop",)
            for stage in stages:
                unsure = unsure or r.unsure(stage) is not None
                row += f"{r.flagged_band(stage):>12}"
        if targets is not None and (verdict := _verdict_cell(targets, parameter.key, analysis.simulated)):
            row += f"  {verdict}"
        if r.reasons:
            row += "   " + "; ".join(r.reasons)
        lines.append(row.rstrip())

    segments = analysis.preop.segmental
    if segments:
        lines.append("")
        lines.append("segmental angles (superior → superior endplate, lordosis +, °)")
        for name, value in segments.items():
            row = f"  {name:<9}{value_text(value):>9}"
            if analysis.simulated:
                planned = analysis.postop.segmental.get(name)
                row += f"{value_text(planned) if planned else '—':>10}"
            if value.reason:
                row += f"   not measurable: {value.reason}"
            lines.append(row.rstrip())

    if uncertainty is not None:
        lines.append(f"± = 95 % band (1.96 SD) from {uncertainty.method}")
        if uncertainty.model:
            lines.append("± plan includes the compensation model's own error where the pelvis moves")
        if unsure:
            lines.append(UNSURE_NOTE)
    lines.append("")
    if drawn:
        lines.extend(annotation_table_lines(drawn, analysis.simulated))
        lines.append("")
    lines.extend(table_classification_lines(classification_stages(plan, analysis)))
    for warning in analysis.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
