"""Practice mode in the main window (issue 7 §3–4): the case picker, a practice session with its
clock, Check and Compare, and the attempt history."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QWidget

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Plan
from alignment_planner.teaching.cases import TeachingCase, find_cases
from alignment_planner.teaching.scoring import (
    LandmarkScore,
    PlanComparison,
    attempt_record,
    compare_plans,
    score_landmarks,
)
from ui.canvas.practice_item import PracticeErrorsItem
from ui.document.attempts import AttemptStore
from ui.document.controller import PlanController
from ui.panels.practice import PracticePanel
from ui.panels.wizard import WizardPanel
from ui.window.action import make_action
from ui.window.case_picker import CasePicker
from ui.window.file_actions import FileActions
from ui.window.landmark_actions import LandmarkActions
from ui.window.messages import Messages
from ui.window.practice_history import history_dialog
from ui.window.practice_room import buttons_clipped, room_for_placing, room_for_the_score


@dataclass
class PracticeSession:
    case: TeachingCase
    expert: Plan
    started: str
    clock_start: float
    score: LandmarkScore | None = None
    comparison: PlanComparison | None = None

    def seconds(self) -> float:
        return time.monotonic() - self.clock_start


class PracticeActions:
    def __init__(
        self,
        controller: PlanController,
        panel: PracticePanel,
        dock: QDockWidget,
        errors: PracticeErrorsItem,
        files: FileActions,
        attempts: AttemptStore,
        messages: Messages,
        parent: QWidget,
        landmarking: LandmarkActions | None = None,
    ) -> None:
        self._controller = controller
        self._landmarking = landmarking  # the resident's own clicks, the scope, the practice assist
        self.panel = panel
        self.dock = dock
        self.errors = errors  # the resident's landmark errors, drawn on the film after Check
        self._files = files
        self.attempts = attempts
        self._messages = messages
        self._parent = parent
        self.session: PracticeSession | None = None
        self.case_picker: CasePicker | None = None
        self.history_dialog: QDialog | None = None
        self._clock = QTimer(parent)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self.cases_action = make_action(parent, "Sample &cases…", self.choose_case, "Ctrl+Shift+O")
        self.check_action = make_action(parent, "&Check landmarks", self.check_landmarks, "Ctrl+K")
        self.compare_action = make_action(parent, "Co&mpare plan", self.compare_plan, "Ctrl+M")
        self.history_action = make_action(parent, "&History…", self.show_history)
        self.end_action = make_action(parent, "&End practice", self.end_practice)
        panel.check_button.clicked.connect(self.check_landmarks)
        panel.compare_button.clicked.connect(self.compare_plan)
        panel.history_button.clicked.connect(self.show_history)
        panel.end_button.clicked.connect(self.end_practice)
        controller.image_changed.connect(self._image_changed)
        # The wizard's step (and its instruction) is known only once the film is open, and a
        # later step may need more lines: the column is shared again when its buttons fall below
        # the fold while the resident is placing (second review B1).
        self._wizard = parent.findChild(WizardPanel)
        if self._wizard is not None:
            self._wizard.step_changed.connect(lambda: QTimer.singleShot(0, self._keep_wizard_readable))

    def _image_changed(self) -> None:
        """Another film or plan opened: the session's expert answer no longer applies."""
        session = self.session
        image = self._controller.image_path
        if session is not None and (image is None or image.resolve() != session.case.image_path.resolve()):
            self.end_practice()
            self._messages.status("Practice ended: another document was opened.", 8000)

    # --- choosing a case ------------------------------------------------------------------------

    def choose_case(self) -> CasePicker:
        """Show the sample-case picker (window-modal; the window stays usable behind it)."""
        problems: list[str] = []
        cases = find_cases(problems=problems)
        if problems:
            self._messages.status(f"{len(problems)} sample case(s) left out: {problems[0]}", 15000)
        picker = CasePicker(cases, self._parent)
        picker.finished.connect(lambda result: self._case_chosen(picker, result))
        self.case_picker = picker
        picker.open()
        return picker

    def _case_chosen(self, picker: CasePicker, result: int) -> None:
        if result != QDialog.DialogCode.Accepted or picker.choice is None:
            return
        if picker.choice == "file":
            self._files.choose_and_open()
        elif picker.case is not None and picker.choice == "answer":
            self._files.open_path(picker.case.plan_path)
        elif picker.case is not None:
            self.start_practice(picker.case)

    # --- a practice session ---------------------------------------------------------------------

    def start_practice(self, case: TeachingCase) -> bool:
        """Open the case's film on an empty plan: the resident places every landmark."""
        try:
            expert = read_plan(case.plan_path)
        except AlignmentPlannerError as exc:
            self._messages.problem(f"This case cannot be used: {exc}")
            return False
        if not self._files.may_discard():
            return False
        self._controller.open_image(case.image_path)
        if self._landmarking is not None:
            self._landmarking.set_practice(True)
        started = datetime.now().isoformat(timespec="seconds")
        self.session = PracticeSession(case, expert, started, time.monotonic())
        self.errors.set_errors((), self._controller.geometry)
        self.errors.hide()
        self.panel.start(case)
        self.dock.show()
        self.dock.raise_()
        QTimer.singleShot(0, self._give_the_dock_room)
        self._clock.start()
        self._messages.status(f"Practice: {case.title}. The expert's landmarks are hidden.", 8000)
        return True

    def _give_the_dock_room(self) -> None:
        """The column's room for the stage the session is in: the wizard while the resident
        places landmarks, the score once there is one (second review B1)."""
        window = self._parent
        if not isinstance(window, QMainWindow) or self.session is None:
            return
        if self.session.score is None:
            room_for_placing(window, self.dock)
        else:
            room_for_the_score(window, self.dock)

    def _keep_wizard_readable(self) -> None:
        if (self.session is not None and self.session.score is None and self._wizard is not None
                and buttons_clipped(self._wizard)):
            self._give_the_dock_room()

    def _tick(self) -> None:
        if self.session is not None:
            self.panel.show_time(self.session.seconds())

    def check_landmarks(self) -> LandmarkScore | None:
        session = self.session
        if session is None:
            return None
        try:
            placed, asked = self._controller.plan.landmarks, None
            if self._landmarking is not None:
                placed = self._landmarking.placer.as_clicked(placed)
                asked = self._landmarking.asked_keys()
            score = score_landmarks(session.expert, placed, asked)
        except AlignmentPlannerError as exc:
            self._messages.problem(f"This case cannot be scored: {exc}")
            return None
        self.errors.set_errors(score.landmarks, self._controller.geometry)
        self.errors.show()
        first_score = session.score is None
        session.score = score
        self.panel.show_score(score, session.seconds())
        if first_score:
            QTimer.singleShot(0, self._give_the_dock_room)
        self._save_attempt()
        return score

    def compare_plan(self) -> PlanComparison | None:
        session = self.session
        if session is None:
            return None
        comparison = compare_plans(session.expert, self._controller.plan)
        session.comparison = comparison
        self.panel.show_comparison(comparison)
        self._save_attempt()
        return comparison

    def _save_attempt(self) -> None:
        session = self.session
        if session is None:
            return
        record = attempt_record(
            session.case.id, session.started, session.seconds(), session.score, session.comparison,
            self._controller.plan,
        )
        try:
            self.attempts.save(record)
        except OSError as exc:
            self._messages.status(f"The attempt was not saved to {self.attempts.folder}: {exc}", 8000)

    def end_practice(self) -> None:
        if self.session is not None and self._landmarking is not None:
            self._landmarking.set_practice(False)
        self.session = None
        self._clock.stop()
        self.errors.hide()
        self.dock.hide()

    def show_history(self) -> QDialog:
        """Every saved attempt, newest first (non-modal)."""
        titles = {case.id: case.title for case in find_cases()}
        dialog = history_dialog(self.attempts.load_all(), self._parent, titles)
        dialog.show()
        self.history_dialog = dialog
        return dialog
