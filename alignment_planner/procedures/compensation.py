"""Pelvic compensation models: how the pelvis is predicted to turn after the osteotomies
(clinical.md §3.3 step 5, §4.5). One registry used by the simulation, the plan reader, the CLI,
the GUI and the report.

Every model answers one question: the post-operative PT. The whole body (pelvis included) is then
rotated about the hip axis by φ = PT(after the cuts) − PT(predicted), so PT → PT − φ, SS → SS + φ
and PI, LL, TPA and GT do not change (clinical.md §3.3 step 5). The geometry of the cuts is exact;
the model is the uncertain part, so every predicted value carries the model's label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.measurements.definitions import lumbar_lordosis, pelvic_incidence, pelvic_tilt
from alignment_planner.plan.model import Compensation
from alignment_planner.targets.presets import preset_by_id


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


@dataclass(frozen=True, slots=True)
class Prediction:
    pt_deg: float | None
    """The post-operative PT the model predicts; ``None`` for "pelvis fixed"."""
    label: str
    """What is assumed, in words, with the numbers (shown beside every predicted value)."""


@dataclass(frozen=True, slots=True)
class CompensationModel:
    key: str
    name: str
    source: str
    predict: Callable[[Skeleton, Compensation], Prediction]
    """From the skeleton after the cuts (pelvis not yet moved) and the plan's settings."""


def _none(_s: Skeleton, _c: Compensation) -> Prediction:
    return Prediction(None, "pelvis fixed (no compensation)")


def _pt_target(_s: Skeleton, c: Compensation) -> Prediction:
    if c.pt_deg is None:  # the plan reader requires it; guard for programmatic plans
        raise NotMeasurable("compensation pt_target: no pt_deg given")
    return Prediction(c.pt_deg, f"PT set to {c.pt_deg:.1f}°")


def _pt_ideal(s: Skeleton, c: Compensation) -> Prediction:
    formula = ideal_pt_formula(c)
    pi = _needs(pelvic_incidence, s, "PI")
    pt = formula(pi)
    return Prediction(pt, f"PT to the PI-based ideal, {formula.describe()} = {pt:.1f}°")


def _yamato_regression(s: Skeleton, _c: Compensation) -> Prediction:
    pi = _needs(pelvic_incidence, s, "PI")
    ll = _needs(lumbar_lordosis, s, "LL")  # after the cuts: LL is what the surgeon changed
    pt = 0.7 * pi - 0.5 * ll + 8.1
    return Prediction(pt, f"Yamato 2016 regression: PT = 0.7·PI − 0.5·LL + 8.1 = {pt:.1f}°")


def _needs(compute: Callable[[Skeleton], float], s: Skeleton, key: str) -> float:
    try:
        return compute(s)
    except NotMeasurable as exc:
        raise NotMeasurable(
            f"the compensation model needs {key}, which is not measurable: {exc.reason}"
        ) from None


def ideal_pt_formula(c: Compensation) -> IdealPtFormula:
    key = str(c.extra.get("formula", DEFAULT_IDEAL_PT_FORMULA))
    formula = IDEAL_PT_FORMULAS.get(key)
    if formula is None:  # the plan reader checks this; guard for programmatic plans
        raise NotMeasurable(f"compensation pt_ideal: unknown formula {key!r}")
    return formula


COMPENSATION_MODELS: dict[str, CompensationModel] = {
    m.key: m
    for m in (
        CompensationModel("none", "Pelvis fixed", "clinical.md §4.5 (c: keep the pre-op PT)", _none),
        CompensationModel(
            "pt_target", "PT to a chosen value", "clinical.md §4.5 (Langella 2017: PT 20°)", _pt_target
        ),
        CompensationModel(
            "pt_ideal", "PT to the PI-based ideal", "clinical.md §2.5, §4.5 (a)", _pt_ideal
        ),
        CompensationModel(
            "yamato2016",
            "Yamato 2016 regression (PT from PI and planned LL)",
            "clinical.md §4.4 [11], §4.5 (b)",
            _yamato_regression,
        ),
    )
}


def compensation_rotation(skeleton: Skeleton, compensation: Compensation) -> tuple[float, str]:
    """φ of clinical.md §3.3 step 5 (the body turns by −φ about the hip axis) and the label."""
    prediction = COMPENSATION_MODELS[compensation.model].predict(skeleton, compensation)
    if prediction.pt_deg is None:
        return 0.0, prediction.label
    try:
        current = pelvic_tilt(skeleton)
    except NotMeasurable as exc:
        raise NotMeasurable(
            f"compensation {compensation.model} needs PT, which is not measurable: {exc.reason}"
        ) from None
    phi = current - prediction.pt_deg
    turn = f"the pelvis turns about the hip axis, PT {current:.1f}° → {prediction.pt_deg:.1f}°"
    return phi, f"{prediction.label}; {turn}"
