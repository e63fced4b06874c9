"""No lost work (issue 8 §1): the open plan is written, atomically, to a recovery file shortly
after every edit; a clean save or close removes it. A file left behind by a session whose process
is gone (a crash, a kill, a power cut) is offered back on the next start.

Each session keeps two files in the recovery folder: ``<id>.plan.json`` (a plan file v1, readable
by everything else) and ``<id>.meta.json`` (which process wrote it, for which document, when).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.atomic import write_text_atomically
from alignment_planner.files.plan_reader import read_plan, write_plan
from alignment_planner.plan.model import Plan


def default_folder() -> Path:
    configured = os.environ.get("ALIGNMENT_PLANNER_RECOVERY_DIR")
    if configured:
        return Path(configured)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".alignment-planner") / "recovery"


@dataclass(frozen=True, slots=True)
class Recovered:
    plan_file: Path
    meta_file: Path
    document: Path | None
    """The plan file the user was editing (``None`` for a plan never saved)."""
    image: Path | None
    written: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.written))
        what = self.document.name if self.document else (self.image.name if self.image else "a new plan")
        return f"{what}, last edited {when}"

    def load(self) -> Plan:
        return read_plan(self.plan_file)

    def discard(self) -> None:
        for path in (self.plan_file, self.meta_file):
            path.unlink(missing_ok=True)


class RecoveryStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self.session = f"{os.getpid()}-{int(time.time() * 1000)}"
        self.written = False

    @property
    def plan_file(self) -> Path:
        return self.folder / f"{self.session}.plan.json"

    @property
    def meta_file(self) -> Path:
        return self.folder / f"{self.session}.meta.json"

    def write(self, plan: Plan, document: Path | None, image: Path | None) -> None:
        """Keep ``plan`` safe. Failing to is reported to the caller, never fatal to the edit."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AlignmentPlannerError(
                f"{self.folder}: cannot keep a recovery copy: {exc.strerror or exc}"
            ) from None
        plan_to_write = plan
        if plan.image is not None and image is not None:
            # The recovery file lives elsewhere: point at the image by its absolute path.
            from dataclasses import replace

            plan_to_write = replace(plan, image=replace(plan.image, path=str(image)))
        write_plan(plan_to_write, self.plan_file)
        meta = {
            "pid": os.getpid(),
            "document": str(document) if document else None,
            "image": str(image) if image else None,
            "written": time.time(),
        }
        write_text_atomically(self.meta_file, json.dumps(meta, indent=2) + "\n")
        self.written = True

    def clear(self) -> None:
        for path in (self.plan_file, self.meta_file):
            path.unlink(missing_ok=True)
        self.written = False

    def orphans(self) -> list[Recovered]:
        """Recovery files of sessions whose process is gone, newest first."""
        found: list[Recovered] = []
        if not self.folder.is_dir():
            return found
        for meta_file in self.folder.glob("*.meta.json"):
            if meta_file.name.startswith(f"{self.session}."):
                continue
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
                pid = int(meta["pid"])
                written = float(meta["written"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # unreadable: not ours to judge; it stays for a person to look at
            plan_file = meta_file.with_name(meta_file.name.replace(".meta.json", ".plan.json"))
            if _alive(pid) or not plan_file.exists():
                continue
            found.append(
                Recovered(
                    plan_file,
                    meta_file,
                    Path(meta["document"]) if meta.get("document") else None,
                    Path(meta["image"]) if meta.get("image") else None,
                    written,
                )
            )
        return sorted(found, key=lambda r: -r.written)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process with that number
    return True
