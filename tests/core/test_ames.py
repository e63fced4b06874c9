"""Ames-ISSG cervical modifiers (clinical.md §2.10), at and around every edge."""

from __future__ import annotations

import pytest

from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.targets import classify


def _m(**values: float | None) -> Measurements:
    return Measurements(
        {p.key: Value(values.get(p.key), None if values.get(p.key) is not None else "absent") for p in PARAMETERS},
        {},
    )


@pytest.mark.parametrize(
    ("csva", "grade"),
    [(-10.0, 0), (39.94, 0), (39.96, 1), (40.0, 1), (60.0, 1), (80.0, 1), (80.04, 1), (80.06, 2), (150.0, 2)],
)
def test_csva_bands(csva: float, grade: int) -> None:
    assert classify(_m(cSVA=csva), None).ames.cSVA == grade


@pytest.mark.parametrize(
    ("tscl", "grade"), [(0.0, 0), (14.94, 0), (14.96, 1), (15.0, 1), (20.0, 1), (20.04, 1), (20.06, 2), (35.0, 2)]
)
def test_ts_cl_bands(tscl: float, grade: int) -> None:
    assert classify(_m(TS_CL=tscl), None).ames.TS_CL == grade


def test_missing_inputs_and_cbva_are_none() -> None:
    ames = classify(_m(), None).ames
    assert (ames.cSVA, ames.TS_CL, ames.CBVA) == (None, None, None)
