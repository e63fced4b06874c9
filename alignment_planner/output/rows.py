"""The measurement table and the classification lines, built once for every view (issue 13 §4):
the ``measure`` table, the GUI's measurement panel and the PDF report all show these rows.

A row is one registry parameter: pre-op | planned | Δ | ± | the chosen preset's verdict, with why a
value is missing. Each view lays the rows out its own way (columns, colours, tooltips); none of them
computes a value, a difference, a band or a verdict itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.measurements import PARAMETERS, PARAMETERS_BY_KEY, Parameter, Value, reader_label
from alignment_planner.output.formatting import fixed
from alignment_planner.output.records import classifications
from alignment_planner.plan.model import Plan
from alignment_planner.targets import Classification
from alignment_planner.targets.classify import AMES_THRESHOLDS, SCHWAB_THRESHOLDS
from alignment_planner.targets.overcorrection import cervical_overcorrection_limits, overcorrection_limits
from alignment_planner.targets.presets import Verdict, straddled
from alignment_planner.targets.rounding import printed

Stage = Literal["preop", "postop"]

VERDICT_WORDS = {"within": "within", "borderline": "borderline", "outside": "OUTSIDE", "unknown": "—"}
"""A verdict as printed in a table cell (the report's "target" column)."""


def value_text(value: Value) -> str:
    """A value as every table prints it: one decimal, a real minus sign, "—" when missing."""
    return "—" if value.value is None else fixed(value.value)


def band_text(band: float | None) -> str:
    """A 95 % half-width as "±2.4", "—" when it could not be estimated."""
    return "—" if band is None else f"±{fixed(band)}"


UNDEFINED_BAND = "undefined"
"""The band cell of a value undefined within the noise (a ratio whose denominator's band
includes 0, clinical.md §5.4); the reason goes with it (``Band.note``)."""


class Band(NamedTuple):
    """One value's 95 % band as every view shows it: symmetric ("±2.4"), asymmetric where the
    value is not linear in the landmarks ("+12.3/−8.1", sampled; clinical.md §5.4), or undefined
    within the noise, in words."""

    half: float | None
    """The symmetric half-width (for an asymmetric band, its wider half)."""
    interval: tuple[float, float] | None = None
    """The asymmetric interval's absolute bounds."""
    undefined: str | None = None
    """Why the value is undefined within the noise."""
    value: float | None = None

    @property
    def text(self) -> str:
        if self.undefined is not None:
            return UNDEFINED_BAND
        if self.interval is not None and self.value is not None:
            low, high = self.interval
            return f"+{fixed(max(0.0, high - self.value))}/−{fixed(max(0.0, self.value - low))}"
        return band_text(self.half)

    @property
    def note(self) -> str | None:
        """What the cell alone cannot say (tooltips, the CLI's and the PDF's notes)."""
        if self.undefined is not None:
            return self.undefined
        if self.interval is not None and self.value is not None:
            low, high = self.interval
            return f"asymmetric 95 % band {fixed(low)} to {fixed(high)} (sampled: a ratio is not linear)"
        return None


def band_of(uncertainty: Uncertainty, key: str, stage: Stage, value: float | None) -> Band:
    """The band of ``key``'s ``stage`` value from the propagated uncertainty."""
    reason = uncertainty.undefined.get(stage, {}).get(key)
    if reason is not None:
        return Band(None, None, reason, value)
    return Band(uncertainty.band(key, stage), uncertainty.interval(key, stage), None, value)


UNSURE_MARK = "?"
UNSURE_NOTE = (
    "? after a ± band: the value's 95 % band reaches across a target threshold, so the value "
    "could lie on either side of it and the verdict could go either way"
)
"""What "?" means, wherever a band can carry it (the GUI's column header, the CLI's and the PDF's
legend lines)."""


def unsure_edge(verdicts: Sequence[Verdict], band: float | None) -> tuple[Verdict, float] | None:
    """The first verdict whose threshold ``value ± band`` straddles, with that threshold: the one
    rule for the "?" every view puts after a band."""
    for verdict in verdicts:
        edge = straddled(verdict, band)
        if edge is not None and verdict.value is not None:
            return verdict, edge
    return None


def flagged_band_text(band: float | None, verdicts: Sequence[Verdict]) -> str:
    """``band_text`` with "?" when the band straddles one of ``verdicts``' thresholds."""
    return band_text(band) + (UNSURE_MARK if unsure_edge(verdicts, band) is not None else "")


def unsure_words(stage: Stage, parameter: Parameter, band: float, found: tuple[Verdict, float]) -> str:
    """Why a band carries "?", for a tooltip or a note: "planned SVA 20.1 ± 82.9 mm: could be
    either side of 40 mm (SRS-Schwab …)"."""
    verdict, edge = found
    which = "planned" if stage == "postop" else "pre-op"
    unit = parameter.symbol if parameter.symbol in ("°", "%") else f" {parameter.symbol}"
    value = verdict.value if verdict.value is not None else 0.0
    return (
        f"{which} {parameter.label} {fixed(value)} ± {fixed(band)}{unit}: could be either side of "
        f"{edge:g}{unit} ({verdict.target.label})"
    )


class MeasurementRow(NamedTuple):
    """One parameter's row. A named tuple, not a frozen dataclass: the GUI rebuilds the rows on
    every drag event, and a tuple is made several times faster."""

    parameter: Parameter
    preop: Value
    planned: Value
    """Equal to ``preop`` when nothing is simulated (views then hide or blank it)."""
    simulated: bool
    bands: tuple[Band, Band] | None
    """95 % bands of the pre-op and planned values; ``None`` when not computed."""
    verdicts: tuple[Verdict, ...]
    """The chosen preset's verdicts on the judged value: planned when simulated, else pre-op."""
    preop_verdicts: tuple[Verdict, ...] = ()
    """The same preset's verdicts on the pre-op value when simulated (its band's "?")."""

    @property
    def key(self) -> str:
        return self.parameter.key

    @property
    def label(self) -> str:
        """The parameter's reader name ("PI−LL"), never its key."""
        return self.parameter.label

    @property
    def preop_text(self) -> str:
        return value_text(self.preop)

    @property
    def planned_text(self) -> str:
        return value_text(self.planned)

    @property
    def delta(self) -> float | None:
        if self.preop.value is None or self.planned.value is None:
            return None
        return self.planned.value - self.preop.value

    @property
    def delta_text(self) -> str:
        delta = self.delta
        return "" if delta is None else fixed(delta, signed=True)

    @property
    def planned_cell(self) -> str:
        """The planned value, blank when nothing is planned (views that always show the column)."""
        return self.planned_text if self.simulated else ""

    @property
    def delta_cell(self) -> str:
        return self.delta_text if self.simulated else ""

    def band(self, stage: Stage) -> float | None:
        """The symmetric half-width (the wider half of an asymmetric band)."""
        cell = self.band_cell(stage)
        return None if cell is None else cell.half

    def band_cell(self, stage: Stage) -> Band | None:
        if self.bands is None:
            return None
        return self.bands[0] if stage == "preop" else self.bands[1]

    @property
    def judged_stage(self) -> Stage:
        return "postop" if self.simulated else "preop"

    def stage_verdicts(self, stage: Stage) -> tuple[Verdict, ...]:
        return self.verdicts if stage == self.judged_stage else self.preop_verdicts

    def unsure(self, stage: Stage) -> tuple[Verdict, float] | None:
        """The verdict and threshold a stage's band straddles ("?"), if any."""
        return unsure_edge(self.stage_verdicts(stage), self.band(stage))

    def flagged_band(self, stage: Stage) -> str:
        """A stage's band cell: "±2.4", "±82.9?" when it straddles a threshold, "" when the
        bands were not computed."""
        text = self.band_cell_text(stage)  # "±2.4", "+12.3/−8.1" or "undefined"
        return text + UNSURE_MARK if text and self.unsure(stage) is not None else text

    @property
    def judged_band_cell(self) -> str:
        """The band of the judged value, blank when it was not computed or estimated."""
        return self.flagged_band(self.judged_stage)

    def band_cell_text(self, stage: Stage) -> str:
        """A stage's band as its cell shows it; blank when it was not computed or estimated."""
        band = self.band_cell(stage)
        if band is None or (band.half is None and band.undefined is None):
            return ""
        return band.text

    @property
    def band_cells(self) -> str:
        """The ± cell as the GUI shows it: "±6.9 → ±82.9?" when simulated (pre-op → planned),
        each band flagged by its own stage's verdicts; blank when none was estimated."""
        if self.bands is None or not any(self.band_cell_text(s) for s in self._stages):
            return ""
        return " → ".join(self.flagged_band(stage) or "—" for stage in self._stages)

    @property
    def _stages(self) -> tuple[Stage, ...]:
        return ("preop", "postop") if self.simulated else ("preop",)

    @property
    def unsure_notes(self) -> tuple[str, ...]:
        """Each "?" of the row in words."""
        notes = []
        for stage in self._stages:
            found, band = self.unsure(stage), self.band(stage)
            if found is not None and band is not None:
                notes.append(unsure_words(stage, self.parameter, band, found))
        return tuple(notes)

    @property
    def verdict_text(self) -> str:
        """The first verdict on the judged value, as the report prints it ("" when none)."""
        return VERDICT_WORDS[self.verdicts[0].status] if self.verdicts else ""

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why values are missing: the pre-op reason, and the planned one when it differs."""
        reasons = []
        if self.preop.reason:
            reasons.append(f"not measurable: {self.preop.reason}")
        if self.simulated and self.planned.reason and self.planned.reason != self.preop.reason:
            reasons.append(f"planned not measurable: {self.planned.reason}")
        stages: tuple[Stage, ...] = ("preop", "postop") if self.simulated else ("preop",)
        for stage in stages:
            band = self.band_cell(stage)
            if band is not None and band.undefined is not None:
                reasons.append(f"{'planned' if stage == 'postop' else 'pre-op'} {self.key} {band.undefined}")
        return tuple(reasons)

    @property
    def missing_reason(self) -> str | None:
        """The one reason a view with a single note column gives (pre-op first)."""
        return self.preop.reason or (self.planned.reason if self.simulated else None)


def measurement_row(
    analysis: Analysis,
    parameter: Parameter,
    uncertainty: Uncertainty | None = None,
    verdicts: Sequence[Verdict] = (),
    preop_verdicts: Sequence[Verdict] = (),
) -> MeasurementRow:
    """The row of one parameter (the GUI builds only the rows whose values changed)."""
    key = parameter.key
    bands = None
    if uncertainty is not None:
        pre, post = analysis.preop.values[key].value, analysis.postop.values[key].value
        bands = (band_of(uncertainty, key, "preop", pre), band_of(uncertainty, key, "postop", post))
    return MeasurementRow(
        parameter,
        analysis.preop.values[key],
        analysis.postop.values[key],
        analysis.simulated,
        bands,
        tuple(verdicts),
        tuple(preop_verdicts) if analysis.simulated else (),
    )


def measurement_rows(
    analysis: Analysis,
    uncertainty: Uncertainty | None = None,
    verdicts: Mapping[str, Sequence[Verdict]] | None = None,
    preop_verdicts: Mapping[str, Sequence[Verdict]] | None = None,
) -> tuple[MeasurementRow, ...]:
    """One row per registry parameter, in registry order. ``verdicts`` are the preset's on the
    judged stage, by key (see ``by_key``); ``preop_verdicts`` on the pre-op values when simulated
    (they flag the pre-op band)."""
    judged = verdicts or {}
    before = preop_verdicts or {}
    return tuple(
        measurement_row(analysis, p, uncertainty, judged.get(p.key, ()), before.get(p.key, ()))
        for p in PARAMETERS
    )


def by_key(verdicts: Sequence[Verdict]) -> dict[str, list[Verdict]]:
    """A preset's verdicts grouped by parameter, in the preset's order."""
    grouped: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        grouped.setdefault(verdict.target.key, []).append(verdict)
    return grouped


# --- classification lines ------------------------------------------------------------------------

GAP_WORDS = {"P": "proportioned", "MD": "moderately disproportioned", "SD": "severely disproportioned"}
"""The GAP categories in words (clinical.md §2.8): "P"/"MD"/"SD" alone mean nothing to a reader."""


@dataclass(frozen=True, slots=True)
class GradeRow:
    """One published grade of one parameter at each stage, as every view prints it (the
    ``measure`` table, the PDF and the GUI's Targets tab): the grade, and beside it the value
    wherever that lies below the lower edge of its two-sided target band (clinical.md §4.7).
    The published modifiers are one-sided and grade such a value 0, which reads as aligned."""

    system: str
    """"SRS-Schwab" or "Ames"."""
    key: str
    grades: tuple[str, ...]
    """Per stage, "—" where the value could not be graded."""
    overcorrected: tuple[str | None, ...]
    """Per stage, the value as printed ("-35.0°") where it is over-corrected, else ``None``."""

    @property
    def label(self) -> str:
        return reader_label(self.key)

    def cell(self, stage: int) -> str:
        """One stage's grade as a table cell: "0, over-corrected (-35.0°)"."""
        over = self.overcorrected[stage]
        return self.grades[stage] if over is None else f"{self.grades[stage]}, over-corrected ({over})"

    def text(self, stage_names: Sequence[str]) -> str:
        """"PI−LL ++ → 0, over-corrected (planned -35.0°)"."""
        found = [
            f"{name} {over}".strip()
            for name, over in zip(stage_names, self.overcorrected, strict=False)
            if over is not None
        ]
        marked = f", over-corrected ({', '.join(found)})" if found else ""
        return f"{self.label} {_arrow(self.grades)}{marked}"


@dataclass(frozen=True, slots=True)
class ClassificationStages:
    """The classifications of the pre-op and (when simulated) planned values, with the parts each
    view prints: SRS-Schwab modifiers, GAP, Roussouly, Ames cervical modifiers."""

    stages: tuple[Classification, ...]
    simulated: bool
    has_age: bool
    values: tuple[Mapping[str, float | None], ...] = ()
    """Each stage's values of the graded keys (over-correction beside the one-sided grades)."""

    def schwab(self) -> tuple[tuple[str, tuple[str | None, ...]], ...]:
        return tuple((key, tuple(getattr(c.schwab, key) for c in self.stages)) for key in SCHWAB_THRESHOLDS)

    def ames(self) -> tuple[tuple[str, tuple[int | None, ...]], ...]:
        return tuple((key, tuple(getattr(c.ames, key) for c in self.stages)) for key in AMES_THRESHOLDS)

    def roussouly(self) -> tuple[str | None, ...]:
        return tuple(c.roussouly for c in self.stages)

    @property
    def stage_names(self) -> tuple[str, ...]:
        return ("pre-op", "planned") if self.simulated else ("",)

    def _overcorrected(self, key: str, limits: Mapping[str, float]) -> tuple[str | None, ...]:
        """Per stage, the printed value where it lies below ``limits[key]``, judged as printed
        (like every verdict: a TS−CL printed -5.0 is on the band's edge, not past it)."""
        limit = limits.get(key)
        parameter = PARAMETERS_BY_KEY[key]
        unit = parameter.symbol if parameter.symbol in ("°", "%") else f" {parameter.symbol}"
        found: list[str | None] = []
        for index in range(len(self.stages)):
            value = self.values[index].get(key) if index < len(self.values) else None
            over = limit is not None and value is not None and printed(value) < printed(limit)
            found.append(f"{fixed(value)}{unit}" if over and value is not None else None)
        return tuple(found)

    def schwab_rows(self) -> tuple[GradeRow, ...]:
        """The SRS-Schwab modifiers, over-correction judged by the SRS-Schwab preset's bands."""
        limits = overcorrection_limits()
        return tuple(
            GradeRow("SRS-Schwab", key, tuple(_grade(g) for g in grades), self._overcorrected(key, limits))
            for key, grades in self.schwab()
        )

    def ames_rows(self) -> tuple[GradeRow, ...]:
        """The Ames cervical modifiers, over-correction judged by the cervical preset's bands."""
        limits = cervical_overcorrection_limits()
        return tuple(
            GradeRow("Ames", key, tuple(_grade(g) for g in grades), self._overcorrected(key, limits))
            for key, grades in self.ames()
        )

    def schwab_text(self) -> str:
        """"PI−LL 0 → 0, over-corrected (planned −35.0°); PT 0 → 0; SVA 2 → 0"."""
        return "; ".join(row.text(self.stage_names) for row in self.schwab_rows())

    def ames_text(self) -> str:
        """"cSVA 1 → 0; TS−CL 2 → 0, over-corrected (planned -22.1°)"."""
        return "; ".join(row.text(self.stage_names) for row in self.ames_rows())


GRADED_KEYS = (*SCHWAB_THRESHOLDS, *AMES_THRESHOLDS)
"""The keys a classification line grades, whose values ``ClassificationStages`` keeps."""


def classification_stages(plan: Plan, analysis: Analysis) -> ClassificationStages:
    both = classifications(plan, analysis)
    stages = both if analysis.simulated else both[:1]
    has_age = plan.patient is not None and plan.patient.age is not None
    measured = (analysis.preop, analysis.postop) if analysis.simulated else (analysis.preop,)
    values = tuple({key: m.value(key) for key in GRADED_KEYS} for m in measured)
    return ClassificationStages(stages, analysis.simulated, has_age, values)


def _grade(grade: object) -> str:
    return "—" if grade is None else str(grade)


def _arrow(values: Sequence[object], missing: str = "—") -> str:
    return " → ".join(missing if v is None else str(v) for v in values)


def gap_text(total: int | None, category: str | None) -> str | None:
    """"12 (severely disproportioned)"; ``None`` when not scored."""
    if total is None:
        return None
    return f"{total} ({GAP_WORDS.get(category or '', category)})"


def table_classification_lines(c: ClassificationStages) -> list[str]:
    """The ``measure`` table's classification block."""

    def joined(render: Callable[[Classification], str]) -> str:
        return " → ".join(render(stage) for stage in c.stages)

    def gap(stage: Classification) -> str:
        text = gap_text(stage.gap.total, stage.gap.category)
        if text is None:
            why = "needs patient age" if stage.gap.age is None else "inputs missing"
            return f"not available ({why})"
        return text

    label = "classification (pre-op → planned)" if c.simulated else "classification"
    return [
        f"{label}:",
        f"  SRS-Schwab  {c.schwab_text()}",
        f"  GAP         {joined(gap)}",
        f"  Roussouly   {_arrow(c.roussouly())} (advisory; inter-rater κ 0.37–0.43)",
        f"  Ames        {c.ames_text()} (CBVA not measured)",
    ]


def report_classification_lines(c: ClassificationStages) -> tuple[str, ...]:
    """The PDF report's classification paragraph."""
    arrow = " (pre-op → planned)" if c.simulated else ""
    gap = _arrow([gap_text(s.gap.total, s.gap.category) for s in c.stages])
    return (
        f"SRS-Schwab{arrow}: {c.schwab_text()}",
        f"GAP{arrow}: {gap}" + ("" if c.has_age else " (needs the patient's age)"),
        f"Roussouly{arrow}: {_arrow(c.roussouly())} (advisory)",
        f"Ames cervical{arrow}: {c.ames_text()}",
    )
