"""No lost work (issue 8 §1, issue 16): the open plan is written, atomically, to a recovery file
at once on the first edit and then at most every 0.3 s while edits keep coming (``Throttle``);
a clean save or close removes it. A file left behind by a session whose process is gone (a crash,
a kill, a power cut) is offered back on the next start.

Each session keeps three files in the recovery folder: ``<id>.plan.json`` (a plan file v1,
readable by everything else), ``<id>.meta.json`` (which document, when) and ``<id>.lock``, held
with an OS file lock (``filelock``) for the session's whole life. The OS releases that lock when
the process dies, however it dies, so "is this session alive?" never depends on a process ID
(which a reboot hands to another program). The folder is 0700 and the files 0600: they hold
patient names and IDs. A plan or meta file that cannot be read is moved to ``damaged/`` and said
once, never offered again; a plan without its meta, or a meta without its plan, whose session is
gone is removed.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from filelock import FileLock, Timeout
from PySide6.QtCore import QStandardPaths

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.atomic import write_text_atomically
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.plan.model import Plan

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
DAMAGED = "damaged"
# A plan file without meta may be a session between its two writes: only older ones are debris.
HALF_WRITTEN_AFTER_S = 60.0


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
    plan: Plan
    written: float
    lock: FileLock
    """Held while the plan is offered and restored: a second window cannot take it meanwhile."""

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.written))
        image = self.plan.image.path if self.plan.image is not None else None
        what = self.document.name if self.document else (Path(image).name if image else "a new plan")
        return f"{what}, last edited {when}"

    def load(self) -> Plan:
        return self.plan

    def discard(self) -> None:
        for path in (self.plan_file, self.meta_file):
            path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        self.lock.release()
        Path(self.lock.lock_file).unlink(missing_ok=True)


class RecoveryStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self.session = f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:8]}"
        self.written = False
        self.damaged: list[str] = []
        """Said once to the user: recovery files that could not be read and were set aside."""
        self._lock: FileLock | None = None
        self._meta_written: dict[str, str | None] | None = None

    @property
    def plan_file(self) -> Path:
        return self.folder / f"{self.session}.plan.json"

    @property
    def meta_file(self) -> Path:
        return self.folder / f"{self.session}.meta.json"

    @property
    def lock_file(self) -> Path:
        return self.folder / f"{self.session}.lock"

    def _prepare(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
            if (self.folder.stat().st_mode & 0o777) != PRIVATE_FOLDER:
                os.chmod(self.folder, PRIVATE_FOLDER)
        except OSError as exc:
            raise AlignmentPlannerError(
                f"{self.folder}: cannot keep a recovery copy: {exc.strerror or exc}"
            ) from None
        if self._lock is None:
            lock = FileLock(self.lock_file, timeout=0, mode=PRIVATE_FILE)
            try:
                lock.acquire()
            except (Timeout, OSError) as exc:
                detail = f"cannot lock the recovery copy: {exc}"
                raise AlignmentPlannerError(f"{self.lock_file}: {detail}") from None
            self._lock = lock

    def write(self, plan: Plan, document: Path | None, image: Path | None) -> None:
        """Keep ``plan`` safe. Failing to raises ``AlignmentPlannerError`` for the caller to tell
        the user; it is never fatal to the edit."""
        self._prepare()
        plan_to_write = plan
        if plan.image is not None and image is not None:
            # The recovery file lives elsewhere: point at the image by its absolute path.
            plan_to_write = replace(plan, image=replace(plan.image, path=str(image)))
        # The meta first (only when it changes: one fsync fewer per write while editing), so that
        # a plan file is never newer than a meta that does not describe it.
        meta = {"document": str(document) if document else None}
        if meta != self._meta_written or not self.meta_file.exists():
            write_text_atomically(self.meta_file, json.dumps(meta, indent=2) + "\n", mode=PRIVATE_FILE)
            self._meta_written = meta
        write_plan(plan_to_write, self.plan_file, mode=PRIVATE_FILE)
        self.written = True

    def clear(self) -> None:
        for path in (self.plan_file, self.meta_file):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # an unusable folder holds nothing of ours
        self.written = False
        self._meta_written = None

    def close(self) -> None:
        """End of the session (after ``clear``, or leaving the files for the next start)."""
        if self._lock is not None:
            self._lock.release()
            if not self.plan_file.exists():
                try:
                    self.lock_file.unlink(missing_ok=True)
                except OSError:
                    pass
            self._lock = None

    def orphans(self) -> list[Recovered]:
        """Readable recovery files of sessions that are gone, newest first, each locked by this
        session until restored, discarded or released. Unreadable ones go to ``damaged/``."""
        found: list[Recovered] = []
        if not self.folder.is_dir():
            return found
        sessions = {
            path.name.split(".", 1)[0]
            for pattern in ("*.meta.json", "*.plan.json")
            for path in self.folder.glob(pattern)
        }
        for session in sorted(sessions - {self.session}):
            recovered = self._claim(session)
            if recovered is not None:
                found.append(recovered)
        return sorted(found, key=lambda r: -r.written)

    def _claim(self, session: str) -> Recovered | None:
        lock = FileLock(self.folder / f"{session}.lock", timeout=0, mode=PRIVATE_FILE)
        try:
            lock.acquire()
        except Timeout:
            return None  # a live session (this program in another window) holds it
        except OSError:
            return None
        plan_file = self.folder / f"{session}.plan.json"
        meta_file = self.folder / f"{session}.meta.json"
        try:
            if not plan_file.exists() or not meta_file.exists():
                survivor = plan_file if plan_file.exists() else meta_file
                if survivor.exists() and time.time() - survivor.stat().st_mtime > HALF_WRITTEN_AFTER_S:
                    survivor.unlink()  # half of a session's pair: nothing to offer from it
                _released(lock)
                return None
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
                written = plan_file.stat().st_mtime  # the last edit kept
                document = Path(meta["document"]) if meta.get("document") else None
                plan = read_plan(plan_file)
            except (OSError, ValueError, KeyError, TypeError, AlignmentPlannerError) as exc:
                self._set_aside(session, plan_file, meta_file, exc)
                _released(lock)
                return None
        except OSError:
            _released(lock)
            return None
        return Recovered(plan_file, meta_file, document, plan, written, lock)

    def _set_aside(self, session: str, plan_file: Path, meta_file: Path, problem: Exception) -> None:
        damaged = self.folder / DAMAGED
        try:
            damaged.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
            for path in (plan_file, meta_file):
                if path.exists():
                    path.replace(damaged / path.name)
        except OSError:
            for path in (plan_file, meta_file):
                path.unlink(missing_ok=True)
            self.damaged.append(f"a damaged recovery file was removed ({problem})")
            return
        self.damaged.append(
            f"a recovery file could not be read ({problem}); it was set aside in {damaged}"
        )


def _released(lock: FileLock) -> None:
    lock.release()
    Path(lock.lock_file).unlink(missing_ok=True)
