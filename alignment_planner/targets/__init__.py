"""Classifications and (later) target presets: judging alignment values (clinical.md §2)."""

from __future__ import annotations

from alignment_planner.targets.classify import Classification, classify

__all__ = ["Classification", "classify"]
