"""Silence C libraries that write to file descriptor 2 while decoding (openjpeg prints its own
diagnostics). Our error message already carries the reason; the CLI promises one line on stderr."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    with _LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):
            yield  # no usable fd 2 (embedded interpreter): nothing to silence
            return
        try:
            with open(os.devnull, "wb") as sink:
                os.dup2(sink.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
