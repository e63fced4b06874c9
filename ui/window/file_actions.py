"""Opening and saving documents: the Open, Open recent, Save and Save as… actions, and the
unsaved-changes question asked before a document is replaced."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.plan_reader import read_plan
from ui.document.controller import PlanController
from ui.document.disk_state import FileChangedOnDisk
from ui.document.settings import Settings
from ui.window.action import make_action
from ui.window.messages import Answer, Messages

IMAGE_FILTER = "Radiographs and plans (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.json);;All files (*)"


class FileActions:
    def __init__(
        self, controller: PlanController, settings: Settings, messages: Messages, parent: QWidget
    ) -> None:
        self._controller = controller
        self._settings = settings
        self._messages = messages
        self._parent = parent
        self.open_action = make_action(
            parent, "&Open image or plan…", self.choose_and_open, QKeySequence.StandardKey.Open
        )
        self.recent_menu = QMenu("Open &recent", parent)
        self.save_action = make_action(parent, "&Save plan", self.save, QKeySequence.StandardKey.Save)
        self.save_as_action = make_action(
            parent, "Save plan &as…", self.save_as, QKeySequence.StandardKey.SaveAs
        )
        self.refresh_recent()

    def may_discard(self) -> bool:
        """True when it is fine to replace the current document (saved, discarded, or clean)."""
        if not self._controller.dirty:
            return True
        answer = self._messages.ask_unsaved()
        if answer == Answer.Save:
            return self.save()
        return answer == Answer.Discard

    def choose_and_open(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._parent, "Open", self._settings.last_folder(), IMAGE_FILTER
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            # A plan is read and validated before anything is asked or replaced: a bad file
            # changes nothing and does not even raise the unsaved-changes question.
            plan = read_plan(path) if path.suffix.lower() == ".json" else None
            if not self.may_discard():
                return False
            if plan is not None:
                self._controller.open_plan(path, plan)
            else:
                self._controller.open_image(path)
        except AlignmentPlannerError as exc:
            self._messages.problem(str(exc))  # the open document is untouched
            return False
        self._settings.add_recent(path.resolve())
        self._settings.set_last_folder(path.resolve().parent)
        self.refresh_recent()
        return True

    def save(self) -> bool:
        if self._controller.path is None:
            return self.save_as()
        return self.save_to(None)

    def save_as(self) -> bool:
        c = self._controller
        start = str(c.path or (c.image_path or Path("plan")).with_suffix(".plan.json"))
        path, _filter = QFileDialog.getSaveFileName(self._parent, "Save plan", start, "Plans (*.json)")
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path | None) -> bool:
        """Save to ``path`` (None: where the plan came from); a failure keeps the plan open."""
        try:
            try:
                self._controller.save(path)
            except FileChangedOnDisk as changed:
                if not self._messages.ask_overwrite(str(changed)):
                    self._messages.status("Not saved: the file on disk was kept", 10000)
                    return False
                self._controller.save(path, overwrite_changed=True)
        except AlignmentPlannerError as exc:
            self._messages.problem(f"The plan was not saved (it is still open): {exc}")
            return False
        if self._controller.path is not None:
            self._settings.add_recent(self._controller.path)
            self.refresh_recent()
        self._messages.status(f"Saved {self._controller.path}", 5000)
        return True

    def refresh_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._settings.recent_files():
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self._settings.recent_files()))
