"""Round once, judge the printed number (issue 15 §6).

A value printed "20.0" must never sit beside a verdict computed from 19.96. Every verdict and
grade is taken on the value as printed (one decimal, the precision of every table, panel and
report), against edges printed the same way.
"""

from __future__ import annotations

DISPLAY_DECIMALS = 1


def printed(value: float) -> float:
    """``value`` as it is printed (``f"{value:.1f}"``), read back: what the surgeon sees."""
    result = float(f"{value:.{DISPLAY_DECIMALS}f}")
    return 0.0 if result == 0.0 else result  # no "-0.0"
