"""Numbers as surgeons read them: one decimal, no "−0.0" (which reads as a real change)."""

from __future__ import annotations


def fixed(number: float, signed: bool = False) -> str:
    text = f"{number:+.1f}" if signed else f"{number:.1f}"
    if text.lstrip("+-") == "0.0":
        return "+0.0" if signed else "0.0"
    return text
