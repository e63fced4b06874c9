"""SRS-Schwab, GAP and Roussouly (clinical.md §2.2, §2.7, §2.8; worked examples §7.2–7.3)."""

from __future__ import annotations

import pytest

from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.targets import classify
from alignment_planner.targets.bands import banded
from alignment_planner.targets.classify import (
    LDI_BANDS,
    RLL_BANDS,
    RPV_BANDS,
    RSA_BANDS,
    schwab_grade,
)

EPS = 1e-9


def measured(segmental: dict[str, float] | None = None, **values: float) -> Measurements:
    table = {
        p.key: Value(values.get(p.key), None if p.key in values else "not given") for p in PARAMETERS
    }
    return Measurements(table, {k: Value(v) for k, v in (segmental or {}).items()})


# clinical.md §7.2: (PI, SS, LL, L4–S1, GT, age) → points (RPV, RLL, LDI, RSA, age), total, category
GAP_VECTORS = [
    ((55, 30, 40, 25, 30, 65), (2, 2, 0, 3, 1), 8, "SD"),
    ((50.4, 35, 46.3, 18.3, 14.8, 58), (0, 0, 2, 0, 0), 2, "P"),
    ((60, 45, 68, 40, 12, 45), (0, 0, 0, 0, 0), 0, "P"),
    ((48, 45, 70, 60, -10, 30), (1, 3, 3, 1, 0), 8, "SD"),
]


@pytest.mark.parametrize(("inputs", "points", "total", "category"), GAP_VECTORS)
def test_gap_worked_examples(
    inputs: tuple[float, ...], points: tuple[int, ...], total: int, category: str
) -> None:
    pi, ss, ll, l4s1, gt, age = inputs
    gap = classify(measured(PI=pi, SS=ss, LL=ll, LDI=100 * l4s1 / ll, GT=gt), age).gap
    assert (gap.RPV, gap.RLL, gap.LDI, gap.RSA, gap.age) == points
    assert gap.total == total and gap.category == category


def test_gap_relative_values_match_the_worked_example() -> None:
    gap = classify(measured(PI=55, SS=30, LL=40, LDI=62.5, GT=30), 65).gap
    assert gap.relative["ideal_SS"] == pytest.approx(41.45)
    assert gap.relative["ideal_LL"] == pytest.approx(63.1)
    assert gap.relative["ideal_GT"] == pytest.approx(11.4)
    assert gap.relative["RSA"] == pytest.approx(18.6)


def test_gap_parts_are_null_when_inputs_are_missing() -> None:
    gap = classify(measured(PI=55, SS=30, LL=40), None).gap
    assert gap.RPV == 2 and gap.RLL == 2
    assert gap.LDI is None and gap.RSA is None and gap.age is None
    assert gap.total is None and gap.category is None


@pytest.mark.parametrize(
    ("bands", "edges"),
    [
        (RPV_BANDS, [(-15 - EPS, 3), (-15, 2), (-7 - EPS, 2), (-7, 0), (5, 0), (5 + EPS, 1)]),
        (RLL_BANDS, [(-25 - EPS, 3), (-25, 2), (-14 - EPS, 2), (-14, 0), (11, 0), (11 + EPS, 3)]),
        (LDI_BANDS, [(40 - EPS, 2), (40, 1), (50 - EPS, 1), (50, 0), (80, 0), (80 + EPS, 3)]),
        (RSA_BANDS, [(-7 - EPS, 1), (-7, 0), (10, 0), (10 + EPS, 1), (18, 1), (18 + EPS, 3)]),
    ],
    ids=["RPV", "RLL", "LDI", "RSA"],
)
def test_gap_band_edges(bands: tuple[object, ...], edges: list[tuple[float, int]]) -> None:
    for x, points in edges:
        assert banded(x, bands) == points, x  # type: ignore[arg-type]


def test_gap_age_and_category_edges() -> None:
    assert classify(measured(), 59.9).gap.age == 0
    assert classify(measured(), 60).gap.age == 1
    full = {"PI": 55.0, "SS": 41.45, "LL": 63.1, "LDI": 60.0, "GT": 11.4}
    assert classify(measured(**full), 30).gap.total == 0
    # RLL −14.5 → 2 points; with age ≥ 60 the total is 3: the first MD score.
    base = classify(measured(**{**full, "LL": 63.1 - 14.5}), 70).gap
    assert base.total == 3 and base.category == "MD"
    worse = classify(measured(**{**full, "LL": 63.1 - 14.5, "GT": 11.4 + 19}), 70).gap
    assert worse.total == 6 and worse.category == "MD"
    worst = classify(measured(**{**full, "LL": 63.1 - 30, "GT": 11.4 + 19}), 70).gap
    assert worst.total == 7 and worst.category == "SD"


def test_schwab_worked_example_7_3() -> None:
    schwab = classify(measured(PI_LL=25, PT=28, SVA=110), None).schwab
    assert (schwab.PI_LL, schwab.PT, schwab.SVA) == ("++", "+", "++")
    assert schwab.plus_signs == 5 and schwab.severity == "severe"


@pytest.mark.parametrize(
    ("lo", "hi"), [(10.0, 20.0), (20.0, 30.0), (40.0, 95.0)], ids=["PI_LL", "PT", "SVA"]
)
def test_schwab_boundaries(lo: float, hi: float) -> None:
    assert schwab_grade(lo - EPS, lo, hi) == "0"
    assert schwab_grade(lo, lo, hi) == "+"
    assert schwab_grade(hi, lo, hi) == "+"
    assert schwab_grade(hi + EPS, lo, hi) == "++"


def test_schwab_missing_value_and_simplified_total() -> None:
    schwab = classify(measured(PI_LL=5, PT=10), None).schwab
    assert schwab.SVA is None and schwab.plus_signs is None and schwab.severity is None
    aligned = classify(measured(PI_LL=5, PT=10, SVA=0), None).schwab
    assert aligned.plus_signs == 0 and aligned.severity == "aligned"


LONG_LORDOSIS = {"L5-S1": 15, "L4-L5": 10, "L3-L4": 6, "L2-L3": 3, "L1-L2": 1, "T12-L1": -2,
                 "T11-T12": -3, "T10-T11": -3}
SHORT_LORDOSIS = {**LONG_LORDOSIS, "L2-L3": -1}


@pytest.mark.parametrize(
    ("values", "segments", "expected"),
    [
        ({"SS": 30, "PI": 45, "PT": 15}, SHORT_LORDOSIS, "1"),
        ({"SS": 34.999, "PI": 45, "PT": 10}, LONG_LORDOSIS, "2"),
        ({"SS": 35, "PI": 55, "PT": 20}, {}, "3"),
        ({"SS": 45, "PI": 60, "PT": 15}, {}, "3"),
        ({"SS": 45.001, "PI": 60, "PT": 15}, {}, "4"),
        ({"SS": 40, "PI": 44, "PT": 4}, {}, "3AP"),
        ({"SS": 40, "PI": 50, "PT": 4}, {}, "3"),
        ({"SS": 40, "PI": 44, "PT": 5}, {}, "3"),
    ],
)
def test_roussouly(values: dict[str, float], segments: dict[str, float], expected: str) -> None:
    assert classify(measured(segments, **values), None).roussouly == expected


def test_roussouly_needs_what_it_needs() -> None:
    missing_ss = classify(measured(PI=50), None)
    assert missing_ss.roussouly is None and missing_ss.roussouly_reason == "SS not measurable"
    missing_segment = classify(measured({"L5-S1": 20}, SS=30), None)
    assert missing_segment.roussouly is None
    assert "L4-L5" in (missing_segment.roussouly_reason or "")
