"""File → Add follow-up film…, and File → Follow-up films ▸ (issue 19 §1): each follow-up is
landmarked in a window beside the plan; the side-by-side table lives in the Follow-ups dock."""

from __future__ import annotations

import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from alignment_planner.analysis.outcomes import plan_outcome, summarise
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.followup_reader import is_iso_date
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import FollowUp
from ui.document.controller import PlanController
from ui.document.settings import Settings
from ui.panels.followups import FollowUpsPanel
from ui.panels.osteotomy import OsteotomyPanel
from ui.window.action import make_action
from ui.window.followup_window import FollowUpWindow
from ui.window.messages import Messages

FILM_FILTER = "Radiographs (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"


class FollowUpActions:
    def __init__(
        self, controller: PlanController, panel: FollowUpsPanel, osteotomies: OsteotomyPanel,
        settings: Settings, messages: Messages, parent: QWidget,
    ) -> None:
        self._controller = controller
        self._panel = panel
        self._osteotomies = osteotomies
        self._settings = settings
        self._messages = messages
        self._parent = parent
        self.windows: dict[int, FollowUpWindow] = {}
        self.add_action = make_action(parent, "Add &follow-up film…", self.choose_and_add)
        self.fit_action = make_action(
            parent, "Fit personal compensation &model…", self.choose_and_fit
        )
        fit = settings.personal_model()
        if fit is not None:
            self._offer(fit)
        self.menu = QMenu("Follow-up fil&ms", parent)
        # The side-by-side table propagates landmark error (tens of ms): refreshed once an edit
        # settles, never on every step of a drag (issue 4's budget is for the canvas).
        self._refresh = QTimer(parent)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(150)
        self._refresh.timeout.connect(self.refresh_table)
        controller.plan_changed.connect(self.plan_changed)
        controller.document_changed.connect(self._close_stale)

    def refresh_table(self) -> None:
        self._panel.show_plan(self._controller.plan, self._controller.analysis)

    def plan_changed(self) -> None:
        c = self._controller
        self._refresh.start()
        self.menu.clear()
        for i, f in enumerate(c.plan.followups):
            action = self.menu.addAction(f"{f.label}{f' ({f.date})' if f.date else ''}")
            action.triggered.connect(partial(self.open, i))
        self.menu.setEnabled(bool(c.plan.followups))
        for window in self.windows.values():
            if not window.stale:
                window.refresh_planned()

    def _close_stale(self) -> None:
        """A follow-up that no longer exists (undone, another plan opened) closes its window."""
        for index in [i for i, window in self.windows.items() if window.stale]:
            self.windows.pop(index).window.close()

    def choose_and_add(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._parent, "Add follow-up film", self._settings.last_folder(), FILM_FILTER
        )
        if not path:
            return
        label, ok = QInputDialog.getText(self._parent, "Follow-up film", "Label (e.g. 6 weeks):")
        if not ok or not label.strip():
            return
        today = datetime.date.today().isoformat()
        date, ok = QInputDialog.getText(self._parent, "Follow-up film", "Date (YYYY-MM-DD):", text=today)
        if not ok:
            return
        self.add(Path(path), label.strip(), date.strip() or None)

    def add(self, image: Path, label: str, date: str | None) -> FollowUpWindow | None:
        if date is not None and not is_iso_date(date):
            self._messages.problem(f"follow-up date: expected YYYY-MM-DD, got {date!r}")
            return None
        index = self._controller.set_followup(None, FollowUp(label=label, date=date))
        window = self._window(index)
        window.open_new(image)
        return window

    def open(self, index: int) -> FollowUpWindow:
        window = self.windows.get(index)
        if window is None:
            window = self._window(index)
            window.open_existing()
        window.window.show()
        window.window.raise_()
        return window

    def _window(self, index: int) -> FollowUpWindow:
        folder = self._controller.path.parent if self._controller.path else Path.cwd()
        window = FollowUpWindow(self._controller, index, folder)
        self.windows[index] = window
        window.window.show()
        return window

    def choose_and_fit(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self._parent, "Plans with follow-up films", self._settings.last_folder(), "Plans (*.json)"
        )
        if paths:
            self.fit([Path(p) for p in paths])

    def fit(self, paths: list[Path]) -> bool:
        """Fit the surgeon's pelvic response from these plans' follow-ups (issue 19 §4) and offer
        it beside the published models; refused, with the reason, below the minimum n."""
        outcomes, skipped = [], []
        for path in paths:
            try:
                outcome = plan_outcome(str(path), read_plan(path))
            except AlignmentPlannerError as exc:
                self._messages.problem(f"No personal model: {exc}")
                return False
            if outcome is None:
                skipped.append(str(path))
            else:
                outcomes.append(outcome)
        summary = summarise(outcomes, skipped)
        if summary.personal is None:
            self._messages.problem(f"No personal model: {summary.personal_note}")
            return False
        fit = summary.personal.as_settings()
        self._settings.set_personal_model(fit)
        self._offer(fit)
        self._messages.status(summary.personal_note, 15000)
        return True

    def _offer(self, fit: dict[str, float | int]) -> None:
        label = f"Personal, n = {fit.get('n')} plans: ΔPT = {float(fit.get('slope', 0)):+.2f}·ΔLL " \
            f"(SE {float(fit.get('se', 0)):.2f})"
        self._osteotomies.offer_personal(fit, label)
