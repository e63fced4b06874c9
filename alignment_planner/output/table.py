"""The human-readable measurement table printed by ``measure``."""

from __future__ import annotations

from collections.abc import Callable

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.measurements import PARAMETERS, Value
from alignment_planner.output.drawn import Drawn, annotation_table_lines
from alignment_planner.output.formatting import fixed
from alignment_planner.output.records import classifications
from alignment_planner.plan.model import Plan
from alignment_planner.targets import Classification


def _cell(value: Value) -> str:
    return fixed(value.value) if value.value is not None else "—"


def _compensation_line(analysis: Analysis, model: str) -> str:
    if analysis.compensation_deg is None:
        return f"pelvic compensation: {model} (not applicable, see warnings)"
    return f"pelvic compensation ({model}): {analysis.compensation_label}"


def _band(u: Uncertainty, key: str, stage: str) -> str:
    band = u.band(key, stage)
    return "" if band is None else fixed(band)


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def _classification_lines(plan: Plan, analysis: Analysis) -> list[str]:
    both = classifications(plan, analysis)
    stages: tuple[Classification, ...] = both if analysis.simulated else both[:1]

    def joined(render: Callable[[Classification], str]) -> str:
        return " → ".join(render(c) for c in stages)

    def grade(value: str | None) -> str:
        return "—" if value is None else value

    def gap(c: Classification) -> str:
        if c.gap.total is None:
            return "not available (" + ("needs patient age" if c.gap.age is None else "inputs missing") + ")"
        return f"{c.gap.total} ({c.gap.category})"

    def schwab(key: str) -> str:
        return f"{key} " + " → ".join(grade(getattr(c.schwab, key)) for c in stages)

    def ames(key: str) -> str:
        return f"{key} " + " → ".join(grade(_text(getattr(c.ames, key))) for c in stages)

    label = "classification (pre-op → planned)" if analysis.simulated else "classification"
    return [
        f"{label}:",
        "  SRS-Schwab  " + "; ".join(schwab(key) for key in ("PI_LL", "PT", "SVA")),
        f"  GAP         {joined(gap)}",
        f"  Roussouly   {joined(lambda c: grade(c.roussouly))} (advisory; inter-rater κ 0.37–0.43)",
        "  Ames        " + "; ".join(ames(key) for key in ("cSVA", "TS_CL")) + " (CBVA not measured)",
    ]


def format_analysis(
    label: str, analysis: Analysis, plan: Plan, uncertainty: Uncertainty | None = None, drawn: Drawn = ()
) -> str:
    lines = [f"plan: {label}"]
    facing = analysis.facing or "unknown"
    lines.append(f"facing: {facing} (from {analysis.facing_source})")
    lines.append(f"calibration: {analysis.calibration.describe()}")
    if analysis.simulated:
        for index, osteotomy in enumerate(plan.osteotomies):
            hinge = "explicit hinge" if osteotomy.hinge is not None else "default hinge"
            line = f"osteotomy: {osteotomy.type} at {osteotomy.level}, {osteotomy.angle_deg:g}° ({hinge})"
            if index < len(analysis.wedges):
                line += f"; {analysis.wedges[index].describe()}"
            lines.append(line)
        lines.append(_compensation_line(analysis, plan.compensation_or_default.model))
    lines.append("")

    name_width = max(len(p.name) for p in PARAMETERS) + 2
    header = f"{'key':<9}{'parameter':<{name_width}}{'unit':<6}{'pre-op':>9}"
    if analysis.simulated:
        header += f"{'planned':>10}{'Δ':>8}"
    if uncertainty is not None:
        header += f"{'± pre':>8}" + (f"{'± plan':>8}" if analysis.simulated else "")
    lines.append(header)
    for parameter in PARAMETERS:
        pre = analysis.preop.values[parameter.key]
        post = analysis.postop.values[parameter.key]
        row = f"{parameter.key:<9}{parameter.name:<{name_width}}{parameter.symbol:<6}{_cell(pre):>9}"
        if analysis.simulated:
            delta = (
                fixed(post.value - pre.value, signed=True)
                if pre.value is not None and post.value is not None
                else ""
            )
            row += f"{_cell(post):>10}{delta:>8}"
        if uncertainty is not None:
            row += f"{_band(uncertainty, parameter.key, 'preop'):>8}"
            if analysis.simulated:
                row += f"{_band(uncertainty, parameter.key, 'postop'):>8}"
        reasons = []
        if pre.reason:
            reasons.append(f"not measurable: {pre.reason}")
        if analysis.simulated and post.reason and post.reason != pre.reason:
            reasons.append(f"planned not measurable: {post.reason}")
        if reasons:
            row += "   " + "; ".join(reasons)
        lines.append(row.rstrip())

    segments = analysis.preop.segmental
    if segments:
        lines.append("")
        lines.append("segmental angles (superior → superior endplate, lordosis +, °)")
        for name, value in segments.items():
            row = f"  {name:<9}{_cell(value):>9}"
            if analysis.simulated:
                planned = analysis.postop.segmental.get(name)
                row += f"{_cell(planned) if planned else '—':>10}"
            if value.reason:
                row += f"   not measurable: {value.reason}"
            lines.append(row.rstrip())

    if uncertainty is not None:
        lines.append(f"± = 95 % band (1.96 SD) from {uncertainty.method}")
    lines.append("")
    if drawn:
        lines.extend(annotation_table_lines(drawn, analysis.simulated))
        lines.append("")
    lines.extend(_classification_lines(plan, analysis))
    for warning in analysis.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
