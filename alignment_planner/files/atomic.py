"""Atomic file writes: a temporary file in the target's folder, fsync, then ``os.replace``.

A reader never sees half a file, and a failed write leaves the previous file and no debris.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from alignment_planner.errors import OutputWriteError


def write_text_atomically(target: Path, text: str) -> None:
    write_bytes_atomically(target, text.encode("utf-8"))


def write_bytes_atomically(target: Path, data: bytes) -> None:
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputWriteError(f"cannot write here: {exc.strerror or exc}", path=str(target)) from None
    try:
        # mkstemp creates 0600; a saved file should keep the mode it had, or get the usual one.
        os.chmod(temporary, _mode_for(target))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputWriteError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
