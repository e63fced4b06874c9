"""Case thumbnails, cached as PNG by image hash so the case picker opens at once (issue 7: ≤ 0.5 s).

A missing thumbnail is made off the GUI thread (decoding a compressed film takes a few hundred
milliseconds) and the picker's icon is replaced when it is ready.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, Signal
from PySide6.QtGui import QImage

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.imaging import load_radiograph
from alignment_planner.imaging.windowing import display_table
from ui.canvas.qt_convert import grey_qimage
from ui.document.workers import start

THUMBNAIL_HEIGHT = 240


def cache_folder() -> Path:
    configured = os.environ.get("ALIGNMENT_PLANNER_CACHE_DIR")
    if configured:
        return Path(configured) / "thumbnails"
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "alignment-planner") / "thumbnails"


def thumbnail_key(image: Path, sha256: str | None) -> str:
    """The image's sha256 from its plan when known (no need to read 3 MB), else its path and
    modification time."""
    if sha256:
        return sha256
    stat = image.stat()
    return hashlib.sha256(f"{image.resolve()}:{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()


def cached(key: str) -> QImage | None:
    path = cache_folder() / f"{key}.png"
    if not path.is_file():
        return None
    image = QImage(str(path))
    return None if image.isNull() else image


def make_thumbnail(image_path: Path, key: str) -> QImage:
    """Decode, window with the file's defaults, scale to the thumbnail height, store, return."""
    radiograph = load_radiograph(image_path)
    step = max(1, radiograph.height // (THUMBNAIL_HEIGHT * 2))
    stored = np.ascontiguousarray(radiograph.stored[::step, ::step])
    table = display_table(radiograph, None, invert=False)
    grey = np.ascontiguousarray(table[stored])
    image = grey_qimage(grey).scaledToHeight(THUMBNAIL_HEIGHT, Qt.TransformationMode.SmoothTransformation)
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.png"
        if image.save(str(temporary)):  # a PNG: Qt picks the format by the .png suffix
            temporary.replace(folder / f"{key}.png")
    except OSError:
        pass  # no cache: the thumbnail is made again next time, nothing else is lost
    return image


class _Signals(QObject):
    done = Signal(str, QImage)  # key, thumbnail


class ThumbnailTask(QRunnable):
    def __init__(self, image_path: Path, key: str) -> None:
        super().__init__()
        self.image_path, self.key = image_path, key
        self.signals = _Signals()

    def run(self) -> None:
        signals = self.signals
        try:
            image = make_thumbnail(self.image_path, self.key)
        except (AlignmentPlannerError, OSError):
            return  # the picker keeps its placeholder; opening the case will say what is wrong
        try:
            signals.done.emit(self.key, image)
        except RuntimeError:  # the picker was closed meanwhile
            pass


def request(image_path: Path, key: str, slot: Callable[[str, QImage], None]) -> ThumbnailTask:
    task = ThumbnailTask(image_path, key)
    task.signals.done.connect(slot)
    start(task)
    return task
