"""Decode radiographs off the GUI thread (imaging.md B2: a large J2K image takes seconds)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.imaging import Radiograph, load_radiograph
from alignment_planner.safety.safe_open import MAX_IMAGE_BYTES, UnsafeInputError, open_regular


class _Signals(QObject):
    loaded = Signal(object)  # Radiograph
    hashed = Signal(str)  # sha256 of the file
    failed = Signal(str)


class LoadImageTask(QRunnable):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = _Signals()

    def run(self) -> None:
        signals = self.signals  # held here: the task's owner may go away while this runs
        try:
            radiograph: Radiograph = load_radiograph(self.path)
        except AlignmentPlannerError as exc:
            _tell(signals.failed, str(exc))
            return
        except Exception as exc:
            _tell(signals.failed, f"{self.path}: unexpected error while loading: {exc}")
            return
        _tell(signals.loaded, radiograph)


class HashTask(QRunnable):
    """The file's sha256 for the plan (contract.md), started once the image is on screen: hashing
    54 MB beside the first paint contends for the GIL and doubles the time to first paint."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = _Signals()

    def run(self) -> None:
        signals = self.signals
        try:
            # A regular file within the size limit only: a digest over /dev/urandom never ends.
            with open_regular(self.path, MAX_IMAGE_BYTES, "image") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
        except (OSError, UnsafeInputError):
            return  # the image is shown; the plan simply records no hash
        _tell(signals.hashed, digest)


def _tell(signal: SignalInstance, value: object) -> bool:
    """Emit unless the window that asked has been closed meanwhile (nobody is left to tell)."""
    try:
        signal.emit(value)
    except RuntimeError:  # "Signal source has been deleted"
        return False
    return True


def start(task: QRunnable) -> None:
    """Start a task whose signals are already connected (a small image can finish at once)."""
    QThreadPool.globalInstance().start(task)
