"""How the window speaks to the user: the status line, warnings and questions.

The warning and the two questions are attributes, not methods, so that a test (or a script
driving the window) can answer them without a modal dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from alignment_planner.safety.quoting import one_line

Answer = QMessageBox.StandardButton
PROBLEM_LIMIT = 1200  # characters: a message box, not a page


class Messages:
    def __init__(self, parent: QWidget, status_bar: QStatusBar) -> None:
        self._parent = parent
        self._status_bar = status_bar
        self.show_problem: Callable[[str], None] = self._warn
        self.ask_unsaved: Callable[[], Answer] = self._ask_unsaved
        self.ask_restore: Callable[[str], bool] = self._ask_restore
        self.ask_overwrite: Callable[[str], bool] = self._ask_overwrite

    def status(self, text: str, timeout_ms: int = 0) -> None:
        self._status_bar.showMessage(one_line(text), timeout_ms)

    def clear_status(self) -> None:
        self._status_bar.clearMessage()

    def clear_status_starting(self, prefix: str) -> None:
        """Take the status message away if it is a prompt of this kind (others stay their time)."""
        if self._status_bar.currentMessage().startswith(prefix):
            self._status_bar.clearMessage()

    def problem(self, text: str) -> None:
        # Messages quote what files hold: escaped and cut, as on the command line (issue 16).
        self.show_problem(one_line(text, PROBLEM_LIMIT))  # looked up per call: replaceable

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self._parent, "alignment-planner", text)

    def _ask_unsaved(self) -> Answer:
        return QMessageBox.question(
            self._parent,
            "Unsaved changes",
            "The plan has unsaved changes. Save them first?",
            Answer.Save | Answer.Discard | Answer.Cancel,
            Answer.Save,
        )

    def _ask_overwrite(self, why: str) -> bool:
        answer = QMessageBox.warning(
            self._parent,
            "The file has changed",
            f"{why}. Saving replaces those changes with this window's plan. Overwrite it?",
            Answer.Save | Answer.Cancel,
            Answer.Cancel,
        )
        return answer == Answer.Save

    def _ask_restore(self, description: str) -> bool:
        answer = QMessageBox.question(
            self._parent,
            "Restore unsaved work?",
            f"The planner was closed without saving {description}. Restore it?",
            Answer.Yes | Answer.No,
            Answer.Yes,
        )
        return answer == Answer.Yes
