"""Practice mode in the main window (issue 7 §3–4): the case picker, a practice session with its
clock, Check and Compare, and the attempt history. A mixin of ``MainWindow``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem, QVBoxLayout

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
from ui.panels.practice import PracticePanel
from ui.window.case_picker import CasePicker


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
    def _build_practice(self) -> None:
        self.practice_panel = PracticePanel()
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.practice_dock = self._dock("Practice", self.practice_panel, right)
        self.practice_dock.hide()
        self.practice_errors = PracticeErrorsItem()
        self.practice_errors.hide()
        self.scene.addItem(self.practice_errors)
        self.attempts = AttemptStore()
        self.practice: PracticeSession | None = None
        self._practice_clock = QTimer(self)
        self._practice_clock.setInterval(1000)
        self._practice_clock.timeout.connect(self._tick)
        panel = self.practice_panel
        panel.check_button.clicked.connect(self.check_landmarks)
        panel.compare_button.clicked.connect(self.compare_plan)
        panel.history_button.clicked.connect(self.show_history)
        panel.end_button.clicked.connect(self.end_practice)
        self.case_picker: CasePicker | None = None
        self.controller.image_changed.connect(self._practice_image_changed)

    def _practice_image_changed(self) -> None:
        """Another film or plan opened: the session's expert answer no longer applies."""
        session = self.practice
        image = self.controller.image_path
        if session is not None and (image is None or image.resolve() != session.case.image_path.resolve()):
            self.end_practice()
            self.statusBar().showMessage("Practice ended: another document was opened.", 8000)

    # --- choosing a case ------------------------------------------------------------------------

    def choose_case(self) -> CasePicker:
        """Show the sample-case picker (window-modal; the window stays usable behind it)."""
        problems: list[str] = []
        cases = find_cases(problems=problems)
        if problems:
            self.statusBar().showMessage(f"{len(problems)} sample case(s) left out: {problems[0]}", 15000)
        picker = CasePicker(cases, self)
        picker.finished.connect(lambda result: self._case_chosen(picker, result))
        self.case_picker = picker
        picker.open()
        return picker

    def _case_chosen(self, picker: CasePicker, result: int) -> None:
        if result != QDialog.DialogCode.Accepted or picker.choice is None:
            return
        if picker.choice == "file":
            self.choose_and_open()
        elif picker.case is not None and picker.choice == "answer":
            self.open_path(picker.case.plan_path)
        elif picker.case is not None:
            self.start_practice(picker.case)

    # --- a practice session ---------------------------------------------------------------------

    def start_practice(self, case: TeachingCase) -> bool:
        """Open the case's film on an empty plan: the resident places every landmark."""
        try:
            expert = read_plan(case.plan_path)
        except AlignmentPlannerError as exc:
            self.show_problem(f"This case cannot be used: {exc}")
            return False
        if not self.may_discard():
            return False
        self.controller.open_image(case.image_path)
        started = datetime.now().isoformat(timespec="seconds")
        self.practice = PracticeSession(case, expert, started, time.monotonic())
        self.practice_errors.set_errors((), self.controller.geometry)
        self.practice_errors.hide()
        self.practice_panel.start(case)
        self.practice_dock.show()
        self.practice_dock.raise_()
        self._practice_clock.start()
        self.statusBar().showMessage(f"Practice: {case.title}. The expert's landmarks are hidden.", 8000)
        return True

    def _tick(self) -> None:
        if self.practice is not None:
            self.practice_panel.show_time(self.practice.seconds())

    def check_landmarks(self) -> LandmarkScore | None:
        session = self.practice
        if session is None:
            return None
        try:
            score = score_landmarks(session.expert, self.controller.plan.landmarks)
        except AlignmentPlannerError as exc:
            self.show_problem(f"This case cannot be scored: {exc}")
            return None
        session.score = score
        self.practice_errors.set_errors(score.landmarks, self.controller.geometry)
        self.practice_errors.show()
        self.practice_panel.show_score(score, session.seconds())
        self._save_attempt()
        return score

    def compare_plan(self) -> PlanComparison | None:
        session = self.practice
        if session is None:
            return None
        comparison = compare_plans(session.expert, self.controller.plan)
        session.comparison = comparison
        self.practice_panel.show_comparison(comparison)
        self._save_attempt()
        return comparison

    def _save_attempt(self) -> None:
        session = self.practice
        if session is None:
            return
        record = attempt_record(
            session.case.id, session.started, session.seconds(), session.score, session.comparison,
            self.controller.plan,
        )
        try:
            self.attempts.save(record)
        except OSError as exc:
            self.statusBar().showMessage(f"The attempt was not saved to {self.attempts.folder}: {exc}", 8000)

    def end_practice(self) -> None:
        self.practice = None
        self._practice_clock.stop()
        self.practice_errors.hide()
        self.practice_dock.hide()

    def show_history(self) -> QDialog:
        """Every saved attempt, newest first (non-modal)."""
        records = self.attempts.load_all()
        dialog = QDialog(self)
        dialog.setWindowTitle("Practice history")
        table = QTableWidget(len(records), 5)
        table.setHorizontalHeaderLabels(("Started", "Case", "Minutes", "Landmarks", "Planned values"))
        table.verticalHeader().hide()
        for row, record in enumerate(records):
            landmarks = record.get("landmarks") or {}
            plan = record.get("plan") or {}
            planned = plan.get("planned") or {}
            good = sum(1 for v in planned.values() if isinstance(v, dict) and v.get("grade") == "good")
            cells = (
                str(record.get("started", "")),
                str(record.get("case", "")),
                f"{float(record.get('seconds', 0)) / 60:.1f}",
                str(landmarks.get("summary", "not checked")),
                f"{good} of {len(planned)} within variability" if planned else "not compared",
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(900, 400)
        dialog.show()
        self.history_dialog = dialog
        return dialog
