"""SRS-Schwab sagittal modifiers, the GAP score, the Roussouly type and the Ames cervical modifiers
(clinical.md §2.2, §2.7, §2.8, §2.10).

Each part is ``None`` when an input is not measurable (or, for GAP age points, when the plan has no
patient age); a total is only given when all of its parts are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alignment_planner.measurements import Measurements
from alignment_planner.targets.bands import Band, banded
from alignment_planner.targets.rounding import printed

SchwabGrade = Literal["0", "+", "++"]

# clinical.md §2.2: boundaries are not stated in the source; the reference chooses
# "< lo → 0, lo ≤ x ≤ hi → +, > hi → ++", implemented exactly so.
SCHWAB_THRESHOLDS: dict[str, tuple[float, float]] = {
    "PI_LL": (10.0, 20.0),
    "PT": (20.0, 30.0),
    "SVA": (40.0, 95.0),
}


def _schwab_bands(lo: float, hi: float) -> tuple[Band[SchwabGrade], ...]:
    return (Band("0", hi=lo), Band("+", lo, hi, closed_hi=True), Band("++", hi, open_lo=True))


SCHWAB_BANDS = {key: _schwab_bands(lo, hi) for key, (lo, hi) in SCHWAB_THRESHOLDS.items()}


def schwab_grade(x: float, lo: float, hi: float) -> SchwabGrade:
    return banded(x, _schwab_bands(lo, hi))


# clinical.md §2.8 (Yilgor 2017): ideal values and point bands. Integer-ended bands of the paper,
# read as in the reference's test vectors: x < −7 is moderate, x < −15 severe, and so on.
RPV_BANDS = (
    Band(3, hi=-15.0), Band(2, -15.0, -7.0), Band(0, -7.0, 5.0, closed_hi=True), Band(1, 5.0, open_lo=True),
)
RLL_BANDS = (
    Band(3, hi=-25.0),
    Band(2, -25.0, -14.0),
    Band(0, -14.0, 11.0, closed_hi=True),
    Band(3, 11.0, open_lo=True),
)
LDI_BANDS = (
    Band(2, hi=40.0), Band(1, 40.0, 50.0), Band(0, 50.0, 80.0, closed_hi=True), Band(3, 80.0, open_lo=True),
)
RSA_BANDS = (
    Band(1, hi=-7.0),
    Band(0, -7.0, 10.0, closed_hi=True),
    Band(1, 10.0, 18.0, open_lo=True, closed_hi=True),
    Band(3, 18.0, open_lo=True),
)
GAP_AGE_THRESHOLD = 60.0
GapCategory = Literal["P", "MD", "SD"]
GAP_CATEGORIES: tuple[Band[GapCategory], ...] = (Band("P", hi=3), Band("MD", 3, 7), Band("SD", 7))


def ideal_ss(pi: float) -> float:
    return 0.59 * pi + 9.0


def ideal_ll(pi: float) -> float:
    return 0.62 * pi + 29.0


def ideal_gt(pi: float) -> float:
    return 0.48 * pi - 15.0


# clinical.md §2.7: Roussouly 2005 by sacral slope; 3AP (Laouissat 2018) needs an operational rule,
# which is contested (◐): the default is PI < 50° and PT < 5° (Bari 2020 as implemented in [28]).
ROUSSOULY_3AP_MAX_PI = 50.0
ROUSSOULY_3AP_MAX_PT = 5.0
ROUSSOULY_SHORT_LORDOSIS_MAX_VERTEBRAE = 3
RoussoulyType = Literal["1", "2", "3", "3AP", "4"]


@dataclass(frozen=True, slots=True)
class Schwab:
    PI_LL: SchwabGrade | None
    PT: SchwabGrade | None
    SVA: SchwabGrade | None

    @property
    def plus_signs(self) -> int | None:
        """Kieser 2019 simplified modifier: the number of "+" signs (clinical.md §2.2)."""
        grades = (self.PI_LL, self.PT, self.SVA)
        if any(g is None for g in grades):
            return None
        return sum(len(g) for g in grades if g is not None and g != "0")

    @property
    def severity(self) -> str | None:
        plus = self.plus_signs
        if plus is None:
            return None
        return "aligned" if plus == 0 else "moderate" if plus <= 3 else "severe"


@dataclass(frozen=True, slots=True)
class Gap:
    RPV: int | None
    RLL: int | None
    LDI: int | None
    RSA: int | None
    age: int | None
    relative: dict[str, float | None]
    """RPV, RLL, RSA in degrees, LDI in %, and the ideal SS/LL/GT for this PI."""

    @property
    def total(self) -> int | None:
        parts = (self.RPV, self.RLL, self.LDI, self.RSA, self.age)
        known = [p for p in parts if p is not None]
        return sum(known) if len(known) == len(parts) else None

    @property
    def category(self) -> GapCategory | None:
        total = self.total
        if total is None:
            return None
        return banded(total, GAP_CATEGORIES)


# clinical.md §2.10 (Ames-ISSG, ◐): cSVA 0 < 40 mm, 1 = 40–80 mm, 2 > 80 mm; TS-CL 0 < 15°,
# 1 = 15–20°, 2 > 20°. Edges as for SRS-Schwab: "< lo → 0, lo ≤ x ≤ hi → 1, > hi → 2".
AMES_THRESHOLDS: dict[str, tuple[float, float]] = {"cSVA": (40.0, 80.0), "TS_CL": (15.0, 20.0)}
AMES_BANDS = {
    key: (Band(0, hi=lo), Band(1, lo, hi, closed_hi=True), Band(2, hi, open_lo=True))
    for key, (lo, hi) in AMES_THRESHOLDS.items()
}
AMES_CBVA_REASON = "CBVA needs the chin–brow line, which is not among the landmarks"


@dataclass(frozen=True, slots=True)
class Ames:
    """Ames-ISSG cervical deformity modifiers that the landmarks allow (CBVA is not measured)."""

    cSVA: int | None
    TS_CL: int | None
    CBVA: int | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    schwab: Schwab
    gap: Gap
    roussouly: RoussoulyType | None
    roussouly_reason: str | None
    """Why the type is missing, or what decided it."""
    ames: Ames


def classify(m: Measurements, age: float | None) -> Classification:
    return Classification(_schwab(m), _gap(m, age), *_roussouly(m), _ames(m))


def _ames(m: Measurements) -> Ames:
    def grade(key: str) -> int | None:
        value = m.value(key)
        return None if value is None else banded(printed(value), AMES_BANDS[key])

    return Ames(grade("cSVA"), grade("TS_CL"))


def _schwab(m: Measurements) -> Schwab:
    def grade(key: str) -> SchwabGrade | None:
        value = m.value(key)
        if value is None:
            return None
        result: SchwabGrade = banded(printed(value), SCHWAB_BANDS[key])  # judge what is printed
        return result

    return Schwab(grade("PI_LL"), grade("PT"), grade("SVA"))


def _gap(m: Measurements, age: float | None) -> Gap:
    pi, ss, ll, ldi, gt = (m.value(k) for k in ("PI", "SS", "LL", "LDI", "GT"))
    rpv = None if pi is None or ss is None else ss - ideal_ss(pi)
    rll = None if pi is None or ll is None else ll - ideal_ll(pi)
    rsa = None if pi is None or gt is None else gt - ideal_gt(pi)
    return Gap(
        RPV=None if rpv is None else banded(rpv, RPV_BANDS),
        RLL=None if rll is None else banded(rll, RLL_BANDS),
        LDI=None if ldi is None else banded(ldi, LDI_BANDS),
        RSA=None if rsa is None else banded(rsa, RSA_BANDS),
        age=None if age is None else int(age >= GAP_AGE_THRESHOLD),
        relative={
            "RPV": rpv, "RLL": rll, "LDI": ldi, "RSA": rsa,
            "ideal_SS": None if pi is None else ideal_ss(pi),
            "ideal_LL": None if pi is None else ideal_ll(pi),
            "ideal_GT": None if pi is None else ideal_gt(pi),
        },
    )


def _roussouly(m: Measurements) -> tuple[RoussoulyType | None, str | None]:
    ss, pi, pt = m.value("SS"), m.value("PI"), m.value("PT")
    if ss is None:
        return None, "SS not measurable"
    if ss >= 35.0:
        anteverted = (
            pi is not None and pt is not None and pi < ROUSSOULY_3AP_MAX_PI and pt < ROUSSOULY_3AP_MAX_PT
        )
        if anteverted and ss < 45.0:  # 3AP is a type 3 variant (35 ≤ SS < 45, clinical.md §2.7 [28])
            return "3AP", (
                f"SS ≥ 35° with an anteverted pelvis "
                f"(PI < {ROUSSOULY_3AP_MAX_PI:g}°, PT < {ROUSSOULY_3AP_MAX_PT:g}°)"
            )
        if ss > 45.0:
            return "4", "SS > 45°"
        return "3", "SS 35–45°"
    # SS < 35°: type 1 has a short lower lordosis (≤ 3 vertebrae) under a thoracolumbar kyphosis,
    # type 2 a long flat one. Count lordotic segments upwards from L5-S1 to the inflection point.
    lordotic = 0
    for segment in ("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1", "T11-T12", "T10-T11"):
        value = m.segmental.get(segment)
        if value is None or value.value is None:
            return None, f"SS < 35°: type 1 or 2 needs the segmental angle {segment}"
        if value.value <= 0.0:
            break
        lordotic += 1
    if lordotic <= ROUSSOULY_SHORT_LORDOSIS_MAX_VERTEBRAE:
        return "1", f"SS < 35°, short lordosis ({lordotic} lordotic segments from L5-S1)"
    return "2", f"SS < 35°, long flat lordosis ({lordotic} lordotic segments from L5-S1)"
