"""Editing points on the image: what a click or drag on the canvas means (draw a measurement,
place the wizard's point, pick an osteotomy or procedure site, a calibration click, select or drag
a handle), the selected point with its arrow-key nudges and Delete, and Undo/Redo."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from ui.canvas.overlay_item import OverlayItem
from ui.document.controller import PlanController
from ui.panels.osteotomy import OsteotomyPanel
from ui.panels.procedures import ProceduresPanel
from ui.panels.wizard import WizardPanel
from ui.window.action import make_action
from ui.window.annotation_actions import AnnotationActions
from ui.window.calibration_actions import CalibrationActions
from ui.window.landmark_actions import LandmarkActions
from ui.window.messages import Messages

CLICK_PROMPT = "Click: "


class EditActions:
    def __init__(
        self,
        controller: PlanController,
        overlay: OverlayItem,
        wizard: WizardPanel,
        osteotomies: OsteotomyPanel,
        procedures: ProceduresPanel,
        calibration: CalibrationActions,
        landmarks: LandmarkActions,
        drawing: AnnotationActions,
        messages: Messages,
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._overlay = overlay
        self._wizard = wizard
        self._osteotomies = osteotomies
        self._procedures = procedures
        self._calibration = calibration
        self._landmarks = landmarks
        self._drawing = drawing
        self._messages = messages
        self.selected: str | None = None  # the handle arrow keys and Delete act on
        self._drag_serial = 0  # one undo step per drag: the merge key of its moves
        self._document = controller  # whose history Undo and Redo walk (see share_history)
        self.undo_action = make_action(
            parent, "&Undo", lambda: self._document.undo(), QKeySequence.StandardKey.Undo
        )
        self.redo_action = make_action(
            parent,
            "&Redo",
            lambda: self._document.redo(),
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")],
        )
        self.delete_action = make_action(
            parent, "&Delete selected point", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        wizard.step_changed.connect(self._step_changed)
        wizard.active.toggled.connect(lambda _on: self._step_changed())
        controller.stage_changed.connect(self._step_changed)

    def share_history(self, document: PlanController) -> None:
        """Undo and Redo walk ``document``'s history instead of this window's: a follow-up window
        edits part of the plan, and the plan has one history, whichever window made an edit."""
        self._document = document
        document.plan_changed.connect(self.show_history)
        document.document_changed.connect(self.show_history)
        self.show_history()

    def show_history(self) -> None:
        """Name the next undo and redo steps in the Edit menu."""
        history = self._document.history
        self.undo_action.setEnabled(history.can_undo)
        self.redo_action.setEnabled(history.can_redo)
        self.undo_action.setText(f"&Undo {history.undo_label or ''}".strip())
        self.redo_action.setText(f"&Redo {history.redo_label or ''}".strip())

    def select(self, key: str | None) -> None:
        self.selected = key
        self._overlay.set_selected(key)
        self._drawing.handle_selected(key)

    def handle_pressed(self, key: str) -> None:
        """A handle is pressed: it is selected, and a drag of it starts."""
        self.select(key)
        self._drag_serial += 1

    def handle_dragged(self, key: str, position: QPointF) -> None:
        self._controller.set_point(key, position, merge_key=("drag", self._drag_serial))

    def handle_clicked(self, key: str, position: QPointF) -> None:
        """A click on a handle places the wizard's point there if one is being placed (points can
        sit close together at low zoom), and otherwise selects the handle for nudging."""
        if (
            self._drawing.active
            or self._calibration.active
            or self._osteotomies.pick_button.isChecked()
            or self._landmarks.wants_click()
            or self._procedures.pick_button.isChecked()
        ):
            self.canvas_clicked(position)
        else:
            self.handle_pressed(key)

    def canvas_clicked(self, position: QPointF) -> None:
        if self._drawing.active:
            self._drawing.click(position)
            return
        if self._calibration.active:
            self._calibration.click(position)
            return
        if self._osteotomies.pick_button.isChecked():
            self._osteotomies.pick_at(self._controller.to_pixel(position))
            return
        if self._procedures.pick_button.isChecked():
            self._procedures.pick_at(self._controller.to_pixel(position))
            return
        step = self._wizard.current
        if step is None or not self._landmarks.wants_click():
            return
        self._landmarks.click(position)
        if not step.is_head:
            self.select(step.key)

    def nudge_selected(self, dx: float, dy: float) -> bool:
        """Move the selected point by (dx, dy) image pixels; False when nothing is selected."""
        if self.selected is None:
            return False
        self._controller.nudge(self.selected, dx, dy)
        return True

    def delete_selected(self) -> None:
        if self.selected is not None:
            self._controller.remove_point(self.selected)
            self.select(None)

    def _step_changed(self) -> None:
        """Prompt for the wizard's point while a click places it; otherwise take a prompt left
        from before away (all points placed, the planned film shown, placing switched off)."""
        step = self._wizard.current
        if self._calibration.active:
            return
        if step is not None and self._landmarks.wants_click():
            self._messages.status(f"{CLICK_PROMPT}{step.title}")
        else:
            self._messages.clear_status_starting(CLICK_PROMPT)
