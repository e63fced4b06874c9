"""Keeping the open plan safe (issue 8 §1): every edit reaches the recovery store within a short
delay, and at start a crashed or killed session's plan is offered back."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from alignment_planner.errors import AlignmentPlannerError
from ui.document.controller import PlanController
from ui.document.recovery import RecoveryStore
from ui.window.messages import Messages

# A kill loses at most the last edit; a drag writes once it pauses, not on every move.
RECOVERY_DELAY_MS = 300


class RecoveryKeeper:
    def __init__(
        self, controller: PlanController, store: RecoveryStore, messages: Messages, parent: QObject
    ) -> None:
        self._controller = controller
        self.store = store
        self._messages = messages
        self._failed = False  # said once, not on every edit
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOVERY_DELAY_MS)
        self._timer.timeout.connect(self.write)

    def edited(self) -> None:
        """The plan changed: write it once the editing pauses."""
        if self._controller.dirty:
            self._timer.start()

    def write(self) -> None:
        c = self._controller
        if not c.dirty:
            return
        try:
            self.store.write(c.plan, c.path, c.image_path)
        except AlignmentPlannerError as exc:
            if not self._failed:
                self._failed = True
                self._messages.status(f"No recovery copy: {exc}", 15000)

    def settled(self) -> None:
        """The document was saved, or another one opened: nothing is left to recover."""
        if not self._controller.dirty and self.store.written:
            self.store.clear()

    def closing(self) -> None:
        """The window closes with the plan saved or deliberately discarded."""
        self._timer.stop()
        self.store.clear()

    def offer(self) -> bool:
        """At start: plans left by a crashed or killed session are offered back (newest first).
        Returns True when one was restored."""
        for found in self.store.orphans():
            if not self._messages.ask_restore(found.describe()):
                found.discard()
                continue
            try:
                plan = found.load()
            except AlignmentPlannerError as exc:
                self._messages.problem(
                    f"The recovered plan could not be read ({exc}); it is kept in {found.plan_file}"
                )
                continue
            self._controller.restore(plan, found.document, found.plan_file.parent)
            found.discard()
            self.write()  # now kept by this session
            self._messages.status(f"Restored {found.describe()} — save it to keep it", 15000)
            return True
        return False
