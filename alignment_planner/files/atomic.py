"""Atomic file writes: a temporary file in the target's folder, fsync, ``os.replace``, then fsync
of the folder so that the rename itself survives a power cut.

A reader never sees half a file, and a failed write leaves the previous file and no debris. A
symbolic link is written through (its target is replaced, the link stays); a FIFO, device, socket
or folder in the target's place is refused rather than replaced by a regular file (issue 16).
Temporary files left by a save that was killed (their writer's process is gone) are removed by the
next save into the same folder.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from alignment_planner.errors import OutputWriteError
from alignment_planner.safety.quoting import PATH_LIMIT, quoted
from alignment_planner.safety.safe_open import describe_kind

# A temporary file older than this is debris whatever wrote it: no save takes an hour.
STALE_AFTER_S = 3600.0


def write_text_atomically(target: Path, text: str, *, mode: int | None = None) -> None:
    write_bytes_atomically(target, text.encode("utf-8"), mode=mode)


def write_bytes_atomically(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``target`` by ``data``. ``mode``: the new file's permissions (default: the old
    file's, or the usual ones for a new file)."""
    write_parts_atomically(target, (data,), mode=mode)


def write_parts_atomically(
    target: Path, parts: Iterable[bytes | memoryview], *, mode: int | None = None
) -> None:
    """As :func:`write_bytes_atomically`, the parts one after the other without joining them first
    (a 54 MB film received from a PACS is written from the network buffer as it is)."""
    shown = quoted(os.fspath(target), PATH_LIMIT)
    target = writable_target(target)
    folder = target.parent
    _remove_stale_temporaries(folder, target.name)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise OutputWriteError(f"cannot write here: {exc.strerror or exc}", path=shown) from None
    try:
        # mkstemp creates 0600; a saved file should keep the mode it had, or get the usual one.
        os.chmod(temporary, _mode_for(target) if mode is None else mode)
        with os.fdopen(handle, "wb") as stream:
            for part in parts:
                stream.write(part)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputWriteError(f"cannot write: {exc.strerror or exc}", path=shown) from None
    sync_folder(folder)


def writable_target(target: Path) -> Path:
    """The regular file that a write to ``target`` should replace: ``target`` itself, or the file
    a symbolic link points to. Raises ``OutputWriteError`` for anything else in its place."""
    shown = quoted(os.fspath(target), PATH_LIMIT)
    if not os.fspath(target):
        raise OutputWriteError("an empty file name", path="''")
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        info = target.stat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputWriteError(f"cannot write: {exc.strerror or exc}", path=shown) from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputWriteError(
            f"is {describe_kind(info.st_mode)}; an output must be a regular file (nothing was written)",
            path=shown,
        )
    return target


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); silently nothing where folders cannot be
    opened (Windows) or synced (some network file systems)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Temporary files of earlier saves of ``name`` whose process is gone (or that are old)."""
    try:
        candidates = list(folder.glob(f".{_glob_escape(name)}.*.tmp"))
    except OSError:
        return
    now = time.time()
    for candidate in candidates:
        writer = candidate.name[len(name) + 2 :].split(".", 1)[0]
        try:
            age = now - candidate.lstat().st_mtime
        except OSError:
            continue
        alive = writer.isdigit() and _process_exists(int(writer)) and age < STALE_AFTER_S
        if not alive and (writer.isdigit() or age >= STALE_AFTER_S):
            try:
                candidate.unlink()
            except OSError:
                pass


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _process_exists(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill would terminate the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
