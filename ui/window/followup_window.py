"""A follow-up film landmarked beside the plan (issue 19 §1–2): a window of its own with the same
wizard, tools and calibration as the pre-op film, whose landmarks, image, calibration and facing
flow back into the plan's ``followups`` entry as the user works. Practice scoring is not involved:
the follow-up window never starts a session, and the plan's own landmarks are never touched.

It also shows the planned spine registered on the sacrum (where the spine was meant to go), and,
once the user has placed the hips and S1, offers the plan's vertebrae as a starting layout.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from alignment_planner.analysis.followups import measure_followup
from alignment_planner.analysis.registration import registered_on_sacrum, starting_layout
from alignment_planner.anatomy.skeleton import NotMeasurable
from alignment_planner.plan.model import FollowUp, Plan
from ui.canvas.palette import PLANNED_SPINE_COLOUR, PLANNED_SPINE_MEANING, PLANNED_SPINE_STYLE
from ui.document.controller import PlanController
from ui.document.recovery import RecoveryStore
from ui.document.settings import Settings
from ui.window.action import make_action

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

PLANNED_COLOUR = PLANNED_SPINE_COLOUR
CORNERS = ("ant_sup", "post_sup", "post_inf", "ant_inf")


class FollowUpWindow(QObject):
    def __init__(self, plan: PlanController, index: int, plan_folder: Path) -> None:
        super().__init__()
        from ui.window.main_window import MainWindow  # the window this one reuses whole

        self._plan = plan
        self.opening = plan.history.opening  # the plan this window belongs to (another may be opened)
        self.index = index
        self._plan_folder = plan_folder
        # Its own settings and recovery folder: the follow-up's state is the plan's, kept there.
        self._scratch = Path(tempfile.mkdtemp(prefix="ap-followup-"))
        self.window: MainWindow = MainWindow(
            Settings(str(self._scratch / "settings.ini")), RecoveryStore(self._scratch / "recovery")
        )
        w = self.window
        for action in (w.files.save_action, w.files.save_as_action, w.files.open_action):
            action.setVisible(False)  # the plan is saved from its own window
        w.files.recent_menu.menuAction().setVisible(False)
        w.task_tabs.setTabVisible(w.task_tabs.indexOf(w.plan_scroller), False)  # planned in the plan's window
        w.number_tabs.setTabVisible(w.number_tabs.indexOf(w.followups_panel), False)
        w.followups.add_action.setVisible(False)
        w.followups.menu.menuAction().setVisible(False)
        w.followups.fit_action.setVisible(False)
        w.controller.document_changed.connect(self._retitle)  # after the window's own title
        w.practice.cases_action.setEnabled(False)
        self.planned_item = QGraphicsPathItem()
        pen = QPen(PLANNED_COLOUR, 0)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        pen.setWidthF(2.0)
        self.planned_item.setPen(pen)
        self.planned_item.setZValue(50)
        w.scene.addItem(self.planned_item)
        self.planned_action = make_action(
            w, "Show &planned spine (registered on S1)", self.refresh_planned
        )
        self.planned_action.setCheckable(True)
        self.planned_action.setChecked(True)
        self.layout_action = make_action(
            w, "Lay out the plan's &vertebrae (after hips and S1)", self.lay_out
        )
        menu = w.menuBar().addMenu("F&ollow-up")
        menu.addActions([self.planned_action, self.layout_action])
        # One history for the plan, whichever window edits it: this window's edits become steps
        # of the plan's history ("Place L3.ant_sup (follow-up 1 year)"), its Undo and Redo walk
        # that history, and an undo in either window shows here (see _plan_changed).
        self._adopting = False
        w.controller.plan_changed.connect(self._film_changed)
        w.controller.gesture_ended.connect(plan.end_gesture)
        w.edit.share_history(plan)
        plan.plan_changed.connect(self._plan_changed)
        w.destroyed.connect(lambda: shutil.rmtree(self._scratch, ignore_errors=True))
        self._retitle()

    @property
    def stale(self) -> bool:
        """Its follow-up is gone: undone, or another plan was opened (the window closes)."""
        return self._plan.history.opening != self.opening or self.index >= len(self._plan.plan.followups)

    @property
    def followup(self) -> FollowUp:
        return self._plan.plan.followups[self.index]

    def open_new(self, image: Path) -> None:
        self.window.controller.open_image(image)

    def open_existing(self) -> None:
        f = self.followup
        film = Plan(landmarks=f.landmarks, image=f.image, facing=f.facing)
        self.window.controller.restore(film, None, self._plan_folder)
        self.window.controller.history.mark_saved()

    def _retitle(self) -> None:
        if self.stale:
            return
        f = self.followup
        name = f"{f.label}{f' ({f.date})' if f.date else ''}"
        self.window.setWindowTitle(f"Follow-up film: {name}")
        self.window.show_as_followup(name)

    def _film_changed(self) -> None:
        """An edit in this window: the plan's follow-up takes it, as one step of the plan's history
        named after this window's step (a drag stays one step: its merge key comes along)."""
        if self._adopting or self.stale:
            return  # the plan's own change, shown here; or the follow-up is gone (the window closes)
        controller = self.window.controller
        film = controller.plan
        image = film.image
        if image is not None and image.path is not None:
            image = replace(image, path=_portable(Path(image.path), self._plan_folder))
        updated = replace(self.followup, landmarks=film.landmarks, image=image, facing=film.facing)
        if updated != self.followup:
            step = controller.history.current_step
            merge: Hashable | None
            if controller.history.can_undo and step.plan is film:
                label = f"{step.label} (follow-up {updated.label})"
                merge = None if step.merge_key is None else ("followup", self.index, step.merge_key)
            else:  # the film itself, just loaded: part of adding the follow-up
                label, merge = f"Add follow-up film ({updated.label})", ("add followup", self.index)
            self._plan.set_followup(self.index, updated, label, merge)
        controller.history.mark_saved()  # nothing to save here: the plan holds it
        self.refresh_planned()
        self._retitle()

    def _plan_changed(self) -> None:
        """The plan changed (an undo or redo in either window, or any edit): the film shows its
        follow-up as the plan now holds it, with the image this window has loaded."""
        if self.stale:
            return
        f, controller = self.followup, self.window.controller
        film = controller.plan
        image = film.image if f.image is None else f.image
        if image is not None and film.image is not None:
            image = replace(image, path=film.image.path)  # the loaded film, as this window named it
        self._adopting = True
        try:
            controller.adopt(replace(film, landmarks=f.landmarks, image=image, facing=f.facing))
        finally:
            self._adopting = False

    def refresh_planned(self) -> None:
        path = QPainterPath()
        planned = self._plan.analysis.postop_skeleton
        film = measure_followup(self.followup)
        self.layout_action.setEnabled(
            planned is not None and film.skeleton is not None and bool(film.skeleton.heads)
            and film.skeleton.has_point("S1", "post_sup") and film.skeleton.has_point("S1", "ant_sup")
        )
        if self.planned_action.isChecked() and planned is not None and film.skeleton and film.frame:
            try:
                laid = registered_on_sacrum(planned, film.skeleton, film.frame)
            except NotMeasurable:
                laid = None
            geometry = self.window.controller.geometry
            for vertebra in laid.vertebrae.values() if laid else ():
                corners = [vertebra.point(name) for name in CORNERS]
                shown = [geometry.to_display(c) for c in corners if c is not None]
                if len(shown) >= 2:
                    path.moveTo(*shown[0])
                    for p in shown[1:]:
                        path.lineTo(*p)
                    if len(shown) == 4:
                        path.closeSubpath()
        self.planned_item.setPath(path)
        drawn = not path.isEmpty()
        self.window.view.extra_legend = ((PLANNED_SPINE_STYLE, PLANNED_SPINE_MEANING),) if drawn else ()
        self.window.view.viewport().update()

    def lay_out(self) -> None:
        """The plan's vertebrae, registered on the S1 the user placed, where nothing is placed
        yet: a starting layout to correct, never a measurement."""
        planned = self._plan.analysis.postop_skeleton
        film = measure_followup(self.followup)
        if planned is None or film.skeleton is None or film.frame is None:
            return
        try:
            layout = starting_layout(planned, film.skeleton, film.frame)
        except NotMeasurable as exc:
            self.window.messages.problem(f"No layout offered: {exc.reason}")
            return
        controller = self.window.controller
        placed = controller.plan.landmarks
        for level, points in layout.items():
            for name, pixel in points.items():
                if placed.point(level, name) is None:  # never over what the user placed
                    controller.set_point_pixels(
                        f"{level}.{name}", pixel, merge_key="layout", label="Lay out the plan's vertebrae"
                    )
        controller.end_gesture()
        self.window.wizard.refresh(controller.plan.landmarks)


def _portable(path: Path, folder: Path) -> str:
    """Relative to the plan's folder when the film lies under it, as the plan's own image."""
    try:
        return str(path.resolve().relative_to(folder.resolve()))
    except ValueError:
        return str(path)
