"""Open input files safely: regular files only, and never more bytes than a limit.

A FIFO given as a plan or an image blocks ``open`` forever; ``/dev/zero`` read to its end grows
without bound; a digest over ``/dev/urandom`` never ends (issue 16). Every reader of a user-named
file (plans, images, the image digest, the anonymised copy) opens it through ``open_regular``:
the file is opened non-blocking (so a FIFO cannot hang the open), checked to be a regular file
on the open descriptor (no race with a swap), and its size checked against the reader's limit.

It is in ``safety``, the lowest layer, because both ``imaging`` and ``files`` read user files and
``imaging`` may not import ``files``.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from alignment_planner.errors import AlignmentPlannerError

# A plan is a few kB; a 20,000-landmark research plan is still under 10 MB.
MAX_PLAN_BYTES = 64 * 1024 * 1024
# 250 Mpx × 16 bits uncompressed is 500 MB; multi-frame and padding get room to spare.
MAX_IMAGE_BYTES = 2 * 1024 * 1024 * 1024


class UnsafeInputError(AlignmentPlannerError):
    """The path names something that is not a readable regular file within the size limit. The
    message says what it is; callers prefix the file name and their own kind of error."""


def describe_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str], limit: int, what: str = "file") -> io.BufferedReader:
    """An open binary stream on ``path`` if it is a regular file (symbolic links followed) of at
    most ``limit`` bytes; otherwise ``UnsafeInputError`` (or ``FileNotFoundError`` /
    ``PermissionError`` / ``OSError`` from the system, for the caller's own wording)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise UnsafeInputError(f"is a folder, not a {what}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeInputError(f"is {describe_kind(info.st_mode)}, not a {what}: refused")
        if info.st_size > limit:
            raise UnsafeInputError(
                f"is {info.st_size / 1e6:.0f} MB; a {what} of more than {limit / 1e6:.0f} MB is refused "
                "(the file is not what it claims to be)"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The whole content of a regular file of at most ``limit`` bytes. A file that grows while
    read is cut at ``limit + 1`` bytes and refused."""
    with open_regular(path, limit, what) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnsafeInputError(f"grew beyond {limit / 1e6:.0f} MB while read: refused")
    return data


def check_regular(path: str | os.PathLike[str], limit: int, what: str = "file") -> Path:
    """Raise as ``open_regular`` would; for libraries that insist on opening the path themselves."""
    with open_regular(path, limit, what):
        pass
    return Path(path)
