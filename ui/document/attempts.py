"""Practice attempts kept on this machine, one JSON file each, so progress can be reviewed
(issue 7 §3). Nothing leaves the machine; a broken file is skipped, not fatal."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths

from alignment_planner.files.atomic import write_text_atomically


def default_folder() -> Path:
    configured = os.environ.get("ALIGNMENT_PLANNER_PRACTICE_DIR")
    if configured:
        return Path(configured)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".local" / "share" / "alignment-planner") / "practice"


class AttemptStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()

    def save(self, record: dict[str, Any]) -> Path:
        """Write (or rewrite: one attempt is saved after Check and again after Compare)."""
        stamp = re.sub(r"[^0-9A-Za-z]", "", str(record.get("started", "")))
        path = self.folder / f"{record['case']}-{stamp}.json"
        self.folder.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return path

    def load_all(self) -> list[dict[str, Any]]:
        """Newest first."""
        if not self.folder.is_dir():
            return []
        records = []
        for path in self.folder.glob("*.json"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(record, dict) and record.get("format") == "alignment-planner-attempt":
                records.append(record)
        return sorted(records, key=lambda r: str(r.get("started", "")), reverse=True)
