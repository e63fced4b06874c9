"""Banded scores with explicit boundary conventions.

A ``Band`` covers ``lo ≤ x < hi`` by default; ``closed_hi`` makes it ``lo ≤ x ≤ hi`` and
``open_lo`` makes it ``lo < x``. Writing each published band with its edges spelled out is the only
way to get the integer-ended tables of the literature right at their boundaries (clinical.md §2.2,
§2.8), and it lets the tests walk every edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Band(Generic[T]):
    result: T
    lo: float = -math.inf
    hi: float = math.inf
    open_lo: bool = False
    closed_hi: bool = False

    def contains(self, x: float) -> bool:
        above = x > self.lo if self.open_lo else x >= self.lo
        below = x <= self.hi if self.closed_hi else x < self.hi
        return above and below


def banded(x: float, bands: Sequence[Band[T]]) -> T:
    for band in bands:
        if band.contains(x):
            return band.result
    raise ValueError(f"{x} falls in no band")  # the tables are contiguous; tests cover every edge
