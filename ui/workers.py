"""Decode radiographs off the GUI thread (imaging.md B2: a large J2K image takes seconds)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.imaging import Radiograph, load_radiograph


class _Signals(QObject):
    loaded = Signal(object)  # Radiograph
    hashed = Signal(str)  # sha256 of the file, computed after the image is handed over
    failed = Signal(str)


class LoadImageTask(QRunnable):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = _Signals()

    def run(self) -> None:
        try:
            radiograph: Radiograph = load_radiograph(self.path)
        except AlignmentPlannerError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:
            self.signals.failed.emit(f"{self.path}: unexpected error while loading: {exc}")
            return
        self.signals.loaded.emit(radiograph)
        try:
            digest = hashlib.file_digest(self.path.open("rb"), "sha256").hexdigest()
        except OSError:
            return  # the image is shown; the plan simply records no hash
        self.signals.hashed.emit(digest)


def start(task: LoadImageTask) -> None:
    """Start a task whose signals are already connected (a small image can finish at once)."""
    QThreadPool.globalInstance().start(task)
