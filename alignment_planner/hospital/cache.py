"""Where films retrieved from the PACS are kept on this workstation."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_root() -> Path:
    """``ALIGNMENT_PLANNER_CACHE_DIR`` (tests, portable installs), else the user's cache folder."""
    configured = os.environ.get("ALIGNMENT_PLANNER_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "alignment-planner"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "alignment-planner"


def pacs_cache(study_uid: str) -> Path:
    """A study's folder: ``<cache>/pacs/<StudyInstanceUID>/<SeriesInstanceUID>/<SOP>.dcm``."""
    safe = "".join(c for c in study_uid if c.isalnum() or c in ".-_") or "unknown-study"
    return cache_root() / "pacs" / safe
