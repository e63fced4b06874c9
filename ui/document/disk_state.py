"""Has a plan file changed on disk since this window read or wrote it? (issue 16)

Two windows on one plan silently overwrote each other's work. Each document remembers the file's
identity and version as it last saw it (inode, size and modification time in nanoseconds: an
atomic save by anyone replaces the inode); Save compares before writing and asks when they differ.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from alignment_planner.errors import AlignmentPlannerError


class DiskState(NamedTuple):
    device: int
    inode: int
    size: int
    modified_ns: int


def disk_state(path: Path) -> DiskState | None:
    """The file's state now; ``None`` when it does not exist (or cannot be looked at)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return DiskState(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class FileChangedOnDisk(AlignmentPlannerError):
    """Saving would overwrite changes someone else made to the file since it was opened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path.name} was changed on disk since you opened it (by another window or program)"
        )
