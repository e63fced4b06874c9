"""Persistent settings (window layout, recent files, last folder) in QSettings.

Tests and portable installs point it at a file with ``ALIGNMENT_PLANNER_SETTINGS=/path/file.ini``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from alignment_planner.output.sign_off import LIMITS, SignOff, readable

MAX_RECENT = 10


class Settings:
    def __init__(self, path: str | None = None) -> None:
        path = path or os.environ.get("ALIGNMENT_PLANNER_SETTINGS")
        if path:
            self._q = QSettings(path, QSettings.Format.IniFormat)
        else:
            self._q = QSettings("alignment-planner", "alignment-planner")

    def file_path(self) -> Path:
        """The INI file the PACS node shares with the command line (its ``[pacs]`` section)."""
        from alignment_planner.hospital.node_settings import settings_path

        if self._q.format() == QSettings.Format.IniFormat or sys.platform.startswith("linux"):
            return Path(self._q.fileName())
        return settings_path()  # the native store is not a file (Windows registry, macOS plist)

    def recent_files(self) -> list[Path]:
        raw = self._q.value("recent", [])
        # QSettings gives a one-element list back from an INI file as a plain string.
        items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
        return [Path(p) for p in items if isinstance(p, str) and p]

    def add_recent(self, path: Path) -> None:
        items = [str(path)] + [str(p) for p in self.recent_files() if p != path]
        self._q.setValue("recent", items[:MAX_RECENT])
        self._keep_private()

    def last_folder(self) -> str:
        return str(self._q.value("last_folder", "") or "")

    def set_last_folder(self, folder: Path) -> None:
        self._q.setValue("last_folder", str(folder))
        self._keep_private()

    def _keep_private(self) -> None:
        """Recent files are the one thing here that needs full paths (to reopen them), and file
        and folder names often name the patient: the settings file is readable by its owner
        alone (issue 16)."""
        self._q.sync()
        try:
            os.chmod(self._q.fileName(), 0o600)
        except OSError:
            pass  # the registry on Windows, or a read-only file: nothing to restrict

    def personal_model(self) -> dict[str, float | int] | None:
        """The surgeon's fitted compensation model (issue 19 §4), as a plan's compensation keys."""
        raw = self._q.value("compensation/personal", "")
        try:
            value = json.loads(str(raw)) if raw else None
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def set_personal_model(self, fit: dict[str, float | int]) -> None:
        self._q.setValue("compensation/personal", json.dumps(fit))

    def preset_id(self) -> str:
        return str(self._q.value("targets/preset", "srs-schwab") or "srs-schwab")

    def set_preset_id(self, preset_id: str) -> None:
        self._q.setValue("targets/preset", preset_id)

    def point_sd_mm(self) -> float:
        """0 is the fitted error model (clinical.md §5.4), the default; a value an isotropic SD."""
        raw = self._q.value("targets/point_sd_mm", 0.0)  # a string when read back from the file
        try:
            return float(raw) if isinstance(raw, (str, int, float)) else 0.0
        except ValueError:
            return 0.0

    def set_point_sd_mm(self, sd: float) -> None:
        self._q.setValue("targets/point_sd_mm", sd)

    def corner_assist(self, practice: bool) -> bool:
        """Whether a click snaps to the corner it was meant for (issue 17 §4). On by default for
        planning; off by default in practice, where the resident's own click is what is learnt."""
        key = "landmarks/corner_assist_practice" if practice else "landmarks/corner_assist"
        return str(self._q.value(key, "false" if practice else "true")).lower() == "true"

    def set_corner_assist(self, practice: bool, on: bool) -> None:
        key = "landmarks/corner_assist_practice" if practice else "landmarks/corner_assist"
        self._q.setValue(key, "true" if on else "false")

    def surgeon(self) -> str:
        """The name printed on the PDF's sign-off line (``report/surgeon``); empty: a blank line."""
        return self.sign_off().surgeon

    def sign_off(self) -> SignOff:
        """Surgeon, department and institution for the PDF (``report/…``), printable as stored."""
        return SignOff(**{field: readable(field, self.stored_report_field(field)) for field in LIMITS})

    def stored_report_field(self, field: str) -> str:
        """A sign-off field (``report/surgeon`` …) exactly as stored, "" when not set: the
        command line checks it before printing it (``ui.export.report_sign_off``)."""
        value = self._q.value(f"report/{field}", "")
        if isinstance(value, (list, tuple)):  # "Spine, Orthopaedics" typed unquoted into the file:
            return ", ".join(str(part) for part in value)  # QSettings reads a list, the name was one
        return value if isinstance(value, str) else ""

    def set_sign_off(self, sign_off: SignOff) -> None:
        """Keep the fields (each already ``checked``); written to disk at once."""
        for field in LIMITS:
            self._q.setValue(f"report/{field}", getattr(sign_off, field))
        self._keep_private()  # a name identifies the surgeon: owner-only like the recent files

    def theme(self) -> str:
        """"dark" (the default: a reading room) or "light"."""
        value = str(self._q.value("view/theme", "dark") or "dark")
        return value if value in ("dark", "light") else "dark"

    def set_theme(self, theme: str) -> None:
        self._q.setValue("view/theme", theme)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._q.value("window/geometry")
        state = self._q.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._q.setValue("window/geometry", geometry)
        self._q.setValue("window/state", state)
        self._q.sync()
