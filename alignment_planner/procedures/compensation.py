"""Pelvic compensation models: how the pelvis is predicted to turn after the osteotomies
(clinical.md §3.3 step 5, §4.5, §4.6). One registry used by the simulation, the plan reader, the
CLI, the GUI and the report.

Every model answers one question: the post-operative PT. The whole body (pelvis included) is then
rotated about the hip axis by φ = PT(after the cuts) − PT(predicted), so PT → PT − φ, SS → SS + φ
and PI, LL, TPA and GT do not change (clinical.md §3.3 step 5).

clinical.md §4.6 fixes what a model may predict. A prediction is a *change from this patient's own
pelvis*: no correction, no pelvic change; a regression gives ΔPT = b·ΔLL (delta form), never the
cohort's absolute PT; correction releases retroversion towards the ideal and never beyond
(``PT ≥ min(PT_pre, PT_ideal)``); no model predicts extra retroversion (``PT ≤ PT_pre``), unless the
user explicitly asks for an absolute pelvis position. The geometry of the cuts is exact; the model
is the uncertain part, so every prediction carries its label and its published prediction error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.measurements.definitions import (
    c2_pelvic_angle,
    l1_pelvic_angle,
    lumbar_lordosis,
    pelvic_incidence,
    pelvic_tilt,
    t1_pelvic_angle,
    t4_pelvic_angle,
)
from alignment_planner.plan.model import Compensation
from alignment_planner.procedures.personal_compensation import MODEL_KEY as PERSONAL
from alignment_planner.procedures.personal_compensation import personal_prediction
from alignment_planner.targets.presets import preset_by_id

PT_DEG_RANGE = (-30.0, 60.0)
"""clinical.md §4.6: a ``pt_deg`` outside this is refused (200 typed for 20 is not a pelvis)."""


@dataclass(frozen=True, slots=True)
class ModelError:
    """The published error of predicting the post-operative pelvis (clinical.md §5.3, §4.4:
    Lafage 2012 [21], 99 PSOs, median absolute error), kept apart from landmark error."""

    pt_deg: float = 4.1
    sva_mm: float = 27.0
    source: str = "Lafage 2012 [21] median absolute error after PSO (clinical.md §4.4, §5.3)"

    def describe(self) -> str:
        return f"model error ± {self.pt_deg:g}° PT, ± {self.sva_mm:g} mm SVA ({self.source})"


PUBLISHED_MODEL_ERROR = ModelError()


@dataclass(frozen=True, slots=True)
class IdealPtFormula:
    key: str
    name: str
    slope: float
    intercept: float
    source: str

    def __call__(self, pi_deg: float) -> float:
        return self.slope * pi_deg + self.intercept

    def describe(self) -> str:
        sign = "−" if self.intercept < 0 else "+"
        return f"{self.name}: PT = {self.slope:g}·PI {sign} {abs(self.intercept):g}"


def _ideal_pt_formulas() -> dict[str, IdealPtFormula]:
    """From the "ideal-pt" preset file (clinical.md §2.5): one definition for the targets panel,
    the report and this model. Linear formulas only (the Barrey class table is not one)."""
    formulas = {}
    for target in preset_by_id("ideal-pt").targets:
        ideal = target.ideal
        if target.formula_id and ideal is not None and set(ideal.terms) == {"PI"} and not ideal.by_pi:
            formulas[target.formula_id] = IdealPtFormula(
                target.formula_id, target.label, ideal.terms["PI"], ideal.constant, target.source
            )
    return formulas


IDEAL_PT_FORMULAS: dict[str, IdealPtFormula] = _ideal_pt_formulas()
DEFAULT_IDEAL_PT_FORMULA = "yamato2016"

YAMATO_LL_COEFFICIENT = -0.5
"""Yamato 2016 [11]: PT_post = 0.7·PI − 0.5·LL_post + 8.1; only its LL coefficient is used, as a
change (clinical.md §4.6 "delta form"). Its paired ideal is optimal PT = 0.47·PI − 7.5 (§2.5)."""


@dataclass(frozen=True, slots=True)
class Situation:
    """What a model reads: the pre-op pelvis and lordosis, and the lordosis after the cuts."""

    pt_pre: float
    pi: float
    ll_pre: float | None
    ll_after_cuts: float | None
    correction_deg: float | None = None
    """How far the cuts bring the trunk back (≥ 0, degrees; see ``trunk_correction``): a release
    model gives back at most this much retroversion. ``None``: not measurable, no bound."""


@dataclass(frozen=True, slots=True)
class Prediction:
    pt_deg: float | None
    """The post-operative PT the model predicts; ``None`` for "pelvis fixed"."""
    label: str
    """What is assumed, in words, with the numbers (shown beside every predicted value)."""
    error: ModelError | None = None
    """The model's own prediction error; ``None`` for "pelvis fixed" (nothing is predicted)."""


@dataclass(frozen=True, slots=True)
class CompensationModel:
    key: str
    name: str
    source: str
    predict: Callable[[Situation, Compensation], Prediction]
    moves_pelvis: bool = True


def _none(_s: Situation, _c: Compensation) -> Prediction:
    return Prediction(None, "pelvis fixed (no compensation)")


def _pt_target(s: Situation, c: Compensation) -> Prediction:
    if c.pt_deg is None:  # the plan reader requires it; guard for programmatic plans
        raise NotMeasurable("compensation pt_target: no pt_deg given")
    check_pt_deg(c.pt_deg)
    if c.extra.get("absolute") is True:  # the user asked for an absolute pelvis position
        return Prediction(
            c.pt_deg, f"PT set to {c.pt_deg:.1f}° (absolute pelvis position, as asked)",
            PUBLISHED_MODEL_ERROR,
        )
    pt, limit = _released(s, c.pt_deg)
    kept = " (already at or below it: kept)" if s.pt_pre <= c.pt_deg else limit
    return Prediction(pt, f"PT released to at most {c.pt_deg:.1f}°{kept}", PUBLISHED_MODEL_ERROR)


def _pt_ideal(s: Situation, c: Compensation) -> Prediction:
    formula = ideal_pt_formula(c)
    ideal = formula(s.pi)
    pt, limit = _released(s, ideal)  # §4.6: rotates only when pre-op PT is above the ideal
    kept = " (pre-op PT already at or below it: kept)" if s.pt_pre <= ideal else limit
    return Prediction(
        pt, f"PT released to the PI-based ideal, {formula.describe()} = {ideal:.1f}°{kept}",
        PUBLISHED_MODEL_ERROR,
    )


def _released(s: Situation, goal_pt: float) -> tuple[float, str]:
    """A release model's PT: towards ``goal_pt`` and never below it (clinical.md §4.6), and by no
    more than the cuts bring the trunk back (docs/clinical-additions.md §4): retroversion is the
    pelvis compensating for a trunk pitched forward, so it is given back only as far as the
    correction corrects that pitch. Without the bound a plan with no correction at all (fusions
    only) or a 5° SPO would antevert the pelvis fully and pitch the trunk further forward than
    before surgery (flatback: SVA 137 → 226 mm with nothing cut). Returns the PT and, when the
    bound is what stops it, the words that say so."""
    wanted = min(s.pt_pre, goal_pt)
    if s.correction_deg is None or s.pt_pre - wanted <= s.correction_deg:
        return wanted, ""
    if s.correction_deg <= 0.0:
        return s.pt_pre, "; no correction of the trunk's pitch, so the pelvis keeps its position"
    return s.pt_pre - s.correction_deg, (
        f"; limited to the {s.correction_deg:.1f}° the cuts bring the trunk back"
    )


def _yamato_regression(s: Situation, _c: Compensation) -> Prediction:
    if s.ll_pre is None or s.ll_after_cuts is None:
        raise NotMeasurable("the compensation model needs LL, which is not measurable")
    delta_ll = s.ll_after_cuts - s.ll_pre
    pt = yamato_release(s.pt_pre, s.pi, delta_ll)
    return Prediction(
        pt,
        f"Yamato 2016 as a change: PT {s.pt_pre:.1f}° − 0.5·ΔLL ({delta_ll:+.1f}°), released no "
        f"further than min(pre-op PT, optimal 0.47·PI − 7.5 = {0.47 * s.pi - 7.5:.1f}°) = {pt:.1f}°",
        PUBLISHED_MODEL_ERROR,
    )


def yamato_release(pt_pre: float, pi: float, delta_ll: float) -> float:
    """clinical.md §4.6: ``max(PT_pre + b·ΔLL, min(PT_pre, PT_ideal))``, and never above PT_pre."""
    ideal = 0.47 * pi - 7.5
    released = max(pt_pre + YAMATO_LL_COEFFICIENT * delta_ll, min(pt_pre, ideal))
    return min(released, pt_pre)


def check_pt_deg(pt_deg: float) -> None:
    low, high = PT_DEG_RANGE
    if not low <= pt_deg <= high:
        raise NotMeasurable(
            f"compensation pt_deg {pt_deg:g}° is not a plausible pelvic tilt "
            f"({low:g}…{high:g}°, clinical.md §4.6)"
        )


def ideal_pt_formula(c: Compensation) -> IdealPtFormula:
    key = str(c.extra.get("formula", DEFAULT_IDEAL_PT_FORMULA))
    formula = IDEAL_PT_FORMULAS.get(key)
    if formula is None:  # the plan reader checks this; guard for programmatic plans
        raise NotMeasurable(f"compensation pt_ideal: unknown formula {key!r}")
    return formula


def _personal(s: Situation, c: Compensation) -> Prediction:
    """The surgeon's own pelvic response (issue 19 §4), fitted from their follow-ups: a change
    from this patient's pelvis, ΔPT = b·ΔLL, released no further than §4.6 allows. Its error is its
    own residual spread, not the published one."""
    if s.ll_pre is None or s.ll_after_cuts is None:
        raise NotMeasurable("the compensation model needs LL, which is not measurable")
    try:
        pt, label = personal_prediction(s.pt_pre, s.pi, s.ll_pre, s.ll_after_cuts, c.extra)
    except ValueError as exc:
        raise NotMeasurable(str(exc)) from None
    spread = float(c.extra.get("residual_sd", PUBLISHED_MODEL_ERROR.pt_deg))
    error = ModelError(spread, PUBLISHED_MODEL_ERROR.sva_mm, f"{label.split(':')[0]} (its own spread)")
    return Prediction(pt, label, error)


COMPENSATION_MODELS: dict[str, CompensationModel] = {
    m.key: m
    for m in (
        CompensationModel(
            "none", "Pelvis fixed", "clinical.md §4.5 (c: keep the pre-op PT)", _none, False
        ),
        CompensationModel(
            "pt_target", "PT released to at most a chosen value",
            "clinical.md §4.5 (Langella 2017: PT 20°), §4.6", _pt_target,
        ),
        CompensationModel(
            "pt_ideal", "PT released to the PI-based ideal", "clinical.md §2.5, §4.5 (a), §4.6",
            _pt_ideal,
        ),
        CompensationModel(
            "yamato2016",
            "Yamato 2016 regression as a change (ΔPT = −0.5·ΔLL, released towards the ideal)",
            "clinical.md §4.4 [11], §4.5 (b), §4.6",
            _yamato_regression,
        ),
        CompensationModel(
            PERSONAL, "Personal: fitted from your own follow-ups (ΔPT = b·ΔLL)",
            "outcomes --personal; issue 19 §4; clinical.md §4.6 delta form", _personal,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Rotation:
    phi_deg: float
    """φ of clinical.md §3.3 step 5: the body turns by −φ about the hip axis."""
    label: str
    error: ModelError | None


def compensation(preop: Skeleton, after_cuts: Skeleton, c: Compensation) -> Rotation:
    """The pelvic rotation the plan's model predicts, from the pre-op skeleton and the skeleton
    after the cuts (pelvis not yet moved)."""
    model = COMPENSATION_MODELS[c.model]
    if not model.moves_pelvis:
        return Rotation(0.0, model.predict(_NO_SITUATION, c).label, None)
    current = _needs(pelvic_tilt, after_cuts, "PT", c.model)
    unchanged = preop.points == after_cuts.points  # the cuts corrected nothing
    situation = Situation(
        current,
        _needs(pelvic_incidence, after_cuts, "PI", c.model),
        _optional(lumbar_lordosis, preop),
        _optional(lumbar_lordosis, after_cuts),
        0.0 if unchanged else trunk_correction(preop, after_cuts),
    )
    prediction = model.predict(situation, c)
    assert prediction.pt_deg is not None
    phi = current - prediction.pt_deg
    turn = f"PT {current:.1f}° → {prediction.pt_deg:.1f}° about the hip axis"
    error = prediction.error
    if abs(phi) < 1e-9:
        turn = f"the pelvis does not move (PT {current:.1f}°)"
        if unchanged:
            # Nothing is corrected and nothing is predicted: the plan is the pelvis-fixed one, and
            # the published error (of predicting the pelvis after a PSO) does not apply to it.
            error = None
    return Rotation(phi, f"{prediction.label}; {turn}", error)


def compensation_rotation(preop: Skeleton, after_cuts: Skeleton, c: Compensation) -> tuple[float, str]:
    """φ and the label (see ``compensation``)."""
    rotation = compensation(preop, after_cuts, c)
    return rotation.phi_deg, rotation.label


_TRUNK_PITCH = (t1_pelvic_angle, c2_pelvic_angle, t4_pelvic_angle, l1_pelvic_angle)
TRUNK_PITCH_LEVELS = frozenset({"T1", "C2", "T4", "L1"})
"""The vertebrae ``trunk_correction`` reads (besides S1 and the heads), for callers that move
only the landmarks a computation needs (the solver's trial)."""
"""The trunk's pitch relative to the pelvis, most cranial standard measure first: a vertebra's
pelvic angle (TPA first, clinical.md §2) does not change when the whole body turns about the hip
axis, so its change is what the cuts alone did."""


def trunk_correction(preop: Skeleton, after_cuts: Skeleton) -> float | None:
    """How many degrees the cuts bring the trunk back towards the pelvis (≥ 0): the fall in the
    first measurable pelvic angle (TPA, else CPA, T4PA, L1PA), else the lordosis gained; ``None``
    when nothing is measurable on both skeletons. (``compensation`` does not ask when the cuts
    changed nothing: the correction is then 0.)"""
    for pitch in _TRUNK_PITCH:
        before, after = _optional(pitch, preop), _optional(pitch, after_cuts)
        if before is not None and after is not None:
            return max(0.0, before - after)
    ll_before, ll_after = _optional(lumbar_lordosis, preop), _optional(lumbar_lordosis, after_cuts)
    if ll_before is not None and ll_after is not None:
        return max(0.0, ll_after - ll_before)
    return None


_NO_SITUATION = Situation(0.0, 0.0, None, None)


def _needs(compute: Callable[[Skeleton], float], s: Skeleton, key: str, model: str) -> float:
    try:
        return compute(s)
    except NotMeasurable as exc:
        raise NotMeasurable(
            f"compensation {model} needs {key}, which is not measurable: {exc.reason}"
        ) from None


def _optional(compute: Callable[[Skeleton], float], s: Skeleton) -> float | None:
    try:
        return compute(s)
    except NotMeasurable:
        return None


def pelvic_rotation(preop: Skeleton, after_cuts: Skeleton, c: Compensation) -> float:
    """φ alone, for callers that compare models (``outcomes``)."""
    return compensation(preop, after_cuts, c).phi_deg
