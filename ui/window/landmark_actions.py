"""Landmarking in the main window (issue 17): the wizard's clicks go through the placer (head
circles, the corner assist), a drag along a femoral head's rim fits it, Enter or a tap of Space
skips the current point, an osteotomy whose corners are missing asks for them in the wizard first,
the unclicked vertebrae are drawn as interpolated ghosts, and the assist follows its setting
(planning and practice each have their own)."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QTabWidget, QWidget

from alignment_planner.anatomy.landmarking import Step, landmark_name
from alignment_planner.plan.model import Osteotomy
from alignment_planner.scene.ghosts import ghost_vertebrae
from ui.canvas.scene import PlanScene
from ui.canvas.view import RadiographView
from ui.document.controller import PlanController
from ui.document.landmark_placer import LandmarkPlacer
from ui.document.settings import Settings
from ui.panels.osteotomy import OsteotomyPanel
from ui.panels.wizard import WizardPanel
from ui.window.action import make_action
from ui.window.annotation_actions import AnnotationActions
from ui.window.calibration_actions import CalibrationActions
from ui.window.messages import Messages


class LandmarkActions:
    def __init__(
        self,
        controller: PlanController,
        wizard: WizardPanel,
        wizard_dock: QDockWidget,
        view: RadiographView,
        scene: PlanScene,
        osteotomies: OsteotomyPanel,
        calibration: CalibrationActions,
        drawing: AnnotationActions,
        settings: Settings,
        messages: Messages,
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._wizard = wizard
        self._dock = wizard_dock
        self._view = view
        self._calibration = calibration
        self._drawing = drawing
        self._settings = settings
        self._messages = messages
        self._practice = False
        self.placer = LandmarkPlacer(controller)
        # Enter finishes a ball calibration while one is running, a reference line being drawn
        # (with its one point), and otherwise skips the point.
        self.enter_action = make_action(
            parent, "Skip point / finish calibration", self.enter,
            [QKeySequence("Return"), QKeySequence("Enter")],
        )
        parent.addAction(self.enter_action)
        self.placer.rim_changed.connect(self._rim_changed)
        self._scene = scene
        self.placer.assisted.connect(scene.click_marks.show_assist)
        self.placer.rim_changed.connect(scene.click_marks.set_rim)
        view.canvas_traced.connect(self.traced)
        view.space_tapped.connect(self._space)
        osteotomies.points_needed.connect(
            lambda osteotomy, steps: self.ask_for(osteotomy, steps, osteotomies)
        )
        wizard.assist_toggled.connect(self._assist_toggled)
        wizard.assist.setChecked(settings.corner_assist(practice=False))
        self.placer.assist_enabled = wizard.assist.isChecked()
        controller.plan_changed.connect(self._plan_changed)
        controller.stage_changed.connect(self._plan_changed)

    # --- clicks -----------------------------------------------------------------------------------

    def wants_click(self) -> bool:
        """A click on the film places the wizard's point: one is asked for, placing is ticked, and
        the film is the pre-op one (the planned film is a simulation: nothing is placed on it)."""
        return (
            self._wizard.current is not None and self._wizard.active.isChecked()
            and self._controller.stage == "preop"
        )

    def click(self, position: QPointF) -> None:
        """A click on the film while the wizard is placing points."""
        step = self._wizard.current
        if step is None:
            return
        self.placer.click(step, position)
        self._wizard.placed(self._controller.plan.landmarks)

    def traced(self, points: list[QPointF]) -> None:
        step = self._wizard.current
        if (
            step is not None and step.is_head and self.wants_click()
            and not self._calibration.active and not self._drawing.active
        ):
            self.placer.trace(step, points)

    def _rim_changed(self, points: list[QPointF]) -> None:
        self._wizard.show_rim_clicks(len(points))

    # --- keys -------------------------------------------------------------------------------------

    def enter(self) -> None:
        if self._calibration.active:
            self._calibration.finish_ball()
        elif self._drawing.active:
            self._drawing.finish()
        elif self._keys_are_ours():
            self.skip()

    def _space(self) -> None:
        if not self._calibration.active and not self._drawing.active:
            self.skip()

    def skip(self) -> None:
        self.placer.cancel_rim()
        self._wizard.skip()

    def _keys_are_ours(self) -> bool:
        """Enter belongs to a text or number field that has focus (an angle being typed)."""
        focus = QApplication.focusWidget()
        return focus is None or focus is self._view or self._wizard.isAncestorOf(focus) or (
            focus is self._view.viewport()
        )

    # --- corners on demand ------------------------------------------------------------------------

    def _reveal_wizard(self) -> None:
        """Show the dock holding the wizard, and the wizard's tab within it."""
        self._dock.show()
        self._dock.raise_()
        page: QWidget | None = self._wizard
        while page is not None and page is not self._dock:
            holder = page.parentWidget()
            tabs = holder.parentWidget() if holder is not None else None
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentWidget(page)
            page = holder

    def ask_for(self, osteotomy: Osteotomy, steps: tuple[Step, ...], panel: OsteotomyPanel) -> None:
        names = ", ".join(landmark_name(s.key) for s in steps)
        purpose = f"For the {osteotomy.type} at {osteotomy.level}"
        self._wizard.ask_for(steps, purpose, lambda: panel.add(osteotomy))
        self._reveal_wizard()
        self._messages.status(
            f"{osteotomy.type} at {osteotomy.level} needs {names}: place them, then it is simulated", 15000
        )

    def asked_keys(self) -> frozenset[str]:
        """The points the wizard's scope asks for (what practice scores landmark by landmark)."""
        return frozenset(step.key for step in self._wizard.scope_steps())

    # --- the assist setting -----------------------------------------------------------------------

    def set_practice(self, practice: bool) -> None:
        """Practice has its own assist setting, off by default: the resident's click is scored."""
        self._practice = practice
        self._wizard.assist.setChecked(self._settings.corner_assist(practice=practice))
        self.placer.assist_enabled = self._wizard.assist.isChecked()

    def _assist_toggled(self, on: bool) -> None:
        self.placer.assist_enabled = on
        self._settings.set_corner_assist(self._practice, on)

    def _plan_changed(self) -> None:
        c = self._controller
        spacing = c.plan.calibration.spacing
        self._wizard.spacing_mm = None if spacing is None else (spacing.row, spacing.column)
        # Ghosts sit where the pre-op film shows the spine: none on the planned image.
        ghosts = ghost_vertebrae(c.plan.landmarks) if c.stage == "preop" else {}
        self._scene.ghosts.set_ghosts(ghosts, c.geometry)
