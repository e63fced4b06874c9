"""Start the desktop planner: ``alignment-planner [FILE]``, ``python -m ui [FILE]``."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from alignment_planner import __version__
from ui.window.main_window import MainWindow


def application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "alignment-planner", *argv])
    app.setApplicationName("alignment-planner")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("alignment-planner")
    return app


def main(files: Sequence[str] = ()) -> int:
    started = time.perf_counter()
    app = application()
    window = MainWindow()
    window.show()
    target = Path(files[0]) if files else None
    ready: Callable[[bool], None] | None = None
    if os.environ.get("ALIGNMENT_PLANNER_EXIT_WHEN_READY"):
        # For smoke tests and bench/bench_gui.py: report start-up time once the document is shown.
        reported: list[bool] = []

        def report(force: bool = False) -> None:
            shown = window.scene.image_item is not None or window.controller.image_path is None
            if reported or not (shown or force):
                return  # the plan is open but its image is still decoding
            reported.append(True)
            print(f"ready after {1000 * (time.perf_counter() - started):.0f} ms", file=sys.stderr)
            QTimer.singleShot(0, app.quit)

        window.controller.image_changed.connect(lambda: QTimer.singleShot(0, report))
        window.controller.problem.connect(lambda _text: QTimer.singleShot(0, lambda: report(True)))
        ready = report

    def start() -> None:
        # Smoke tests and benches time the start: no question that would wait for a person.
        if not os.environ.get("ALIGNMENT_PLANNER_EXIT_WHEN_READY") and window.recovery.offer():
            return  # the crashed session's plan takes precedence over the sample cases
        if target is not None:
            window.files.open_path(target)
            return
        window.practice.choose_case()  # no file: the sample-case picker (issue 7 §4), shown by now
        if ready is not None:
            when_ready = ready
            QTimer.singleShot(0, lambda: when_ready(True))

    QTimer.singleShot(0, start)
    return app.exec()
