"""When the recovery copy is written (issue 16): at once on the first edit, then at most every
``INTERVAL_MS`` while edits keep coming, and once more after the last one.

This is a throttle, not a debounce: a debounce restarts its timer on every edit, so a held arrow
key or a keyboard-driven slider (an edit every 30 ms) wrote nothing until it stopped, and 47 of 80
sessions killed mid-edit were never offered back. Here a kill loses at most the edits of the last
``INTERVAL_MS`` plus one write (tests/ui/test_recovery_kill_loop.py measures it).

A write that fails is said to the user (``failed``), once per run of failures, never only on
stderr; the next successful write re-arms the message.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from ui.document.controller import PlanController
from ui.document.recovery import RecoveryStore

# Below the 0.3 s promised, leaving room for the write itself and a busy event loop.
INTERVAL_MS = 250


class KeepSafe(QObject):
    failed = Signal(str)

    def __init__(
        self, controller: PlanController, store: RecoveryStore, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self._last_write = float("-inf")
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.write_now)
        controller.plan_changed.connect(self.edited)

    def edited(self) -> None:
        if not self.controller.dirty:
            return
        if self._timer.isActive():
            return  # a write is due; it will take this edit along
        since = (time.monotonic() - self._last_write) * 1000.0
        if since >= INTERVAL_MS:
            self.write_now()
        else:
            self._timer.start(max(int(INTERVAL_MS - since), 0))

    def write_now(self) -> None:
        self._timer.stop()
        c = self.controller
        if not c.dirty:
            return
        self._last_write = time.monotonic()
        try:
            self.store.write(c.plan, c.path, c.image_path)
        except Exception as exc:  # any failure is told; none is fatal to editing
            if not self._failing:
                self._failing = True
                self.failed.emit(f"No recovery copy of your edits: {exc}")
            return
        self._failing = False

    def stop(self) -> None:
        self._timer.stop()
