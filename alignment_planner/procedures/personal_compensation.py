"""A compensation model learned from the surgeon's own follow-ups (issue 19 §4, clinical.md §4.6).

The pelvic response is fitted in the delta form clinical.md §4.6 prescribes for every regression:
``ΔPT = b · ΔLL`` (no lordosis change, no pelvic change: a line through the origin), from pairs
(ΔLL, ΔPT) = (achieved − pre-op LL, achieved − pre-op PT), one pair per plan. Least squares through
the origin: ``b = Σxy / Σx²``, residual variance ``s² = Σ(y − bx)² / (n − 1)``, standard error
``SE(b) = s / √Σx²`` (one parameter, n − 1 degrees of freedom).

Minimum n = 10 plans, the larger of two requirements:
* Precision. With the published spread of pelvic prediction error (PT ≈ 4° median absolute error,
  SD ≈ 5°, clinical.md §5.3) and a typical lordosis change of ≈ 20° (RMS; a PSO or several SPOs),
  SE(b) ≈ 5 / (20·√n) = 0.25/√n. The 95 % half-width t(0.975, n−1)·SE must be smaller than the gap
  between the published slopes it should tell apart (Yamato 2016: −0.5; observed in Lafage 2017:
  ≈ −0.26 per degree, clinical.md §4.4), 0.24°/°: n = 6 gives 2.571·0.25/√6 = 0.26 (too wide),
  n = 7 gives 0.23.
* Stability. A one-parameter regression needs about ten observations per estimated parameter for
  its coefficient and SE to be trustworthy and not hostage to one outlier (Peduzzi 1996; Harrell,
  Regression Modeling Strategies, §4.4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIN_PLANS = 10
"""Below this many plans with a follow-up the personal model is refused (see the module text)."""

MODEL_KEY = "personal"


class NotEnoughCases(ValueError):
    """Too few plans (or no lordosis change among them) to fit a personal model."""


@dataclass(frozen=True, slots=True)
class PersonalFit:
    slope: float
    """b of ΔPT = b·ΔLL (degrees of PT per degree of LL; negative: lordosis releases the pelvis)."""
    se: float
    """Standard error of ``slope``."""
    n: int
    residual_sd: float
    """Spread of ΔPT about the line (degrees): the model's own prediction error."""

    def label(self) -> str:
        return f"personal, n = {self.n} plans"

    def describe(self) -> str:
        return (
            f"{self.label()}: ΔPT = {self.slope:+.2f}·ΔLL (SE {self.se:.2f}; "
            f"residual SD {self.residual_sd:.1f}°)"
        )

    def as_settings(self) -> dict[str, float | int]:
        """The plan's ``compensation`` keys beside ``"model": "personal"`` (kept with the plan, so
        a plan computes the same later, whatever the surgeon's cohort has become)."""
        return {"slope": self.slope, "se": self.se, "n": self.n, "residual_sd": self.residual_sd}


def fit_personal(pairs: Sequence[tuple[float, float]]) -> PersonalFit:
    """Fit ``ΔPT = b·ΔLL`` from (ΔLL, ΔPT) pairs; ``NotEnoughCases`` below ``MIN_PLANS``."""
    n = len(pairs)
    if n < MIN_PLANS:
        raise NotEnoughCases(
            f"a personal compensation model needs at least {MIN_PLANS} plans with a measurable "
            f"follow-up (PT and LL on the pre-op film and the follow-up); {n} found"
        )
    sxx = math.fsum(x * x for x, _y in pairs)
    if sxx < 1e-9:
        raise NotEnoughCases("no lordosis change among the follow-ups: the pelvic response is unknown")
    slope = math.fsum(x * y for x, y in pairs) / sxx
    residual = math.fsum((y - slope * x) ** 2 for x, y in pairs) / (n - 1)
    sd = math.sqrt(residual)
    return PersonalFit(slope, sd / math.sqrt(sxx), n, sd)


def leave_one_out_slopes(pairs: Sequence[tuple[float, float]]) -> list[float | None]:
    """Per pair, the slope fitted without it (an honest out-of-sample error for ``outcomes``);
    ``None`` where the others have no lordosis change."""
    sxy = math.fsum(x * y for x, y in pairs)
    sxx = math.fsum(x * x for x, _y in pairs)
    result: list[float | None] = []
    for x, y in pairs:
        rest = sxx - x * x
        result.append(None if rest < 1e-9 else (sxy - x * y) / rest)
    return result


def personal_release(pt_pre: float, delta_ll: float, slope: float, pt_ideal: float) -> float:
    """clinical.md §4.6 applied to the personal slope as to any regression: the pelvis is released
    by ``b·ΔLL`` but not beyond ``min(PT_pre, PT_ideal)``, and never retroverted further."""
    released = max(pt_pre + slope * delta_ll, min(pt_pre, pt_ideal))
    return min(released, pt_pre)


SETTINGS_KEYS = ("slope", "se", "n", "residual_sd")


def settings_problem(settings: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, message) when a plan's ``"model": "personal"`` compensation is not a usable fit."""
    for key in ("slope", "se", "n"):
        if key not in settings:
            return key, (
                'missing: a personal model carries its fit ("slope", "se", "n"), as written by '
                "outcomes --personal"
            )
    for key in ("slope", "se", "residual_sd"):
        value: Any = settings.get(key)
        if key in settings and (type(value) not in (int, float) or not math.isfinite(value)):
            return key, f"expected a finite number, got {value!r}"
    if not -2.0 <= settings["slope"] <= 2.0:
        return "slope", f"expected −2…2° of PT per degree of LL, got {settings['slope']!r}"
    if settings["se"] < 0:
        return "se", f"expected a standard error ≥ 0, got {settings['se']!r}"
    n = settings["n"]
    if type(n) is not int or n < MIN_PLANS:
        return "n", f"expected a whole number of plans ≥ {MIN_PLANS} (the minimum for a fit), got {n!r}"
    return None


def personal_prediction(
    pt_pre: float, pi: float, ll_pre: float, ll_after_cuts: float, settings: Mapping[str, Any]
) -> tuple[float, str]:
    """The post-op PT the surgeon's own fit predicts, and the label shown with every value."""
    problem = settings_problem(settings)
    if problem is not None:
        raise ValueError(f"compensation.{problem[0]}: {problem[1]}")
    slope, se, n = float(settings["slope"]), float(settings["se"]), int(settings["n"])
    delta_ll = ll_after_cuts - ll_pre
    ideal = 0.47 * pi - 7.5  # Yamato 2016's optimal PT (clinical.md §2.5), the §4.6 release floor
    pt = personal_release(pt_pre, delta_ll, slope, ideal)
    return pt, (
        f"personal, n = {n} plans: PT {pt_pre:.1f}° {slope:+.2f}·ΔLL ({delta_ll:+.1f}°; SE "
        f"{se:.2f}), released no further than min(pre-op PT, {ideal:.1f}°) = {pt:.1f}°"
    )
