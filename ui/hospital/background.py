"""Run a network or disc call off the GUI thread and hear back on it: a PACS can take its full
timeout to answer, and the window must stay responsive (and open) meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from alignment_planner.errors import AlignmentPlannerError
from ui.document.workers import _tell, start


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)  # received, expected (0: unknown)


class Call(QRunnable):
    """``work(progress)`` in the thread pool; ``done``/``failed``/``progress`` on the GUI thread.
    Keep a reference to the task until it reports (its signals live on it)."""

    def __init__(self, work: Callable[[Callable[[int, int | None], None]], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        signals = self.signals

        def progress(received: int, expected: int | None) -> None:
            try:
                signals.progress.emit(received, expected or 0)
            except RuntimeError:
                pass

        try:
            result = self.work(progress)
        except AlignmentPlannerError as exc:
            _tell(signals.failed, str(exc))
            return
        except Exception as exc:  # a bug: still a message, and the window stays as it was
            _tell(signals.failed, f"unexpected error: {type(exc).__name__}: {exc}")
            return
        _tell(signals.done, result)


def run_in_background(
    work: Callable[[Callable[[int, int | None], None]], object],
    done: Callable[[object], None],
    failed: Callable[[str], None],
    progress: Callable[[int, int], None] | None = None,
) -> Call:
    task = Call(work)
    task.signals.done.connect(done)
    task.signals.failed.connect(failed)
    if progress is not None:
        task.signals.progress.connect(progress)
    start(task)
    return task
