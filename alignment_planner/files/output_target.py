"""Check an output file named on the command line before any work is done (issue 16).

``render P -o P``, ``report … -o image.dcm`` and ``measure X --csv X`` replaced their own input.
An output that is one of the inputs (the same file, however named: ``os.path.samefile``) is
refused, and so is an empty name, a folder, or a FIFO/device/socket in the output's place (see
``atomic.writable_target``; a symbolic link to a regular file is written through).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from alignment_planner.errors import OutputWriteError
from alignment_planner.files.atomic import writable_target
from alignment_planner.safety.quoting import PATH_LIMIT, quoted


def checked_output(
    name: str, inputs: Iterable[str | os.PathLike[str] | None], option: str = "-o"
) -> Path:
    """``name`` as the path to write; ``OutputWriteError`` when it must not be written."""
    if not name:
        raise OutputWriteError("an empty file name: name the file to write", path=f"{option} ''")
    target = Path(name)
    shown = quoted(name, PATH_LIMIT)
    writable_target(target)
    try:
        target_stat = os.stat(target)
    except (OSError, ValueError):
        return target  # it does not exist (yet): no input is that file
    for source in inputs:  # os.path.samefile, with the target's stat taken once (10,000 inputs)
        if source is None:
            continue
        try:
            same = os.path.samestat(target_stat, os.stat(source))
        except (OSError, ValueError):
            continue  # the input does not exist: not the same file
        if same:
            raise OutputWriteError(
                f"is the input {quoted(os.fspath(source), PATH_LIMIT)}; writing it would destroy "
                "the input: choose another output file",
                path=shown,
            )
    return target
