"""Free measurements from the main window (issue 18): the drawing tools (toolbar, Measure menu,
one key each), the clicks that draw them, and the *Drawn* panel that lists, renames and deletes
them. Dragging their points and Delete on a point go through the window's usual handle editing.
Every change is one undo step; nothing here computes a value (the core does)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QWidget

from alignment_planner.plan.model import ANNOTATION_POINTS, Annotation
from alignment_planner.scene.planned_annotations import annotation_values
from ui.canvas.annotation_tool import SHORTCUTS, AnnotationTool, ToolPreviewItem, preview_points
from ui.canvas.scene import PlanScene
from ui.canvas.tool_icons import tool_icon
from ui.canvas.view import RadiographView
from ui.document.controller import PlanController
from ui.panels.annotations import AnnotationsPanel
from ui.window.action import make_action
from ui.window.messages import Messages

REFRESH_DELAY_MS = 150
TOOL_TITLES = {
    "distance": "&Distance", "angle": "&Angle", "cobb": "Cobb (two &lines)", "vertical": "&Vertical line",
    "horizontal": "&Horizontal line", "text": "&Text note", "arrow": "Arrow &note",
}
TOOL_TIPS = {
    "distance": "Distance in mm: click both ends",
    "angle": "Angle at a vertex: click an arm, the vertex, the other arm",
    "cobb": "Cobb angle between two lines drawn anywhere: two clicks per line",
    "vertical": "Vertical line through a point, and the horizontal offset of a second point (mm)",
    "horizontal": "Horizontal line through a point, and the vertical offset of a second point (mm)",
    "text": "A text note: click where it goes",
    "arrow": "An arrow with an optional note: click the tail, then the tip",
}


class AnnotationActions:
    def __init__(
        self,
        controller: PlanController,
        view: RadiographView,
        scene: PlanScene,
        select: Callable[[str | None], None],
        messages: Messages,
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._view = view
        self._select = select
        self._messages = messages
        self._parent = parent
        self.tool = AnnotationTool()
        self.preview = ToolPreviewItem()
        scene.addItem(self.preview)
        self._group = QActionGroup(parent)
        self._group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.tool_actions: dict[str, QAction] = {}
        for kind in ANNOTATION_POINTS:
            action = make_action(
                parent, TOOL_TITLES[kind], functools.partial(self.choose, kind), SHORTCUTS[kind],
                checkable=True,
            )
            action.setIcon(tool_icon(kind))
            action.setToolTip(f"{TOOL_TIPS[kind]} ({SHORTCUTS[kind]})")
            action.setStatusTip(TOOL_TIPS[kind])
            self._group.addAction(action)
            self.tool_actions[kind] = action
        self.panel = AnnotationsPanel(", ".join(SHORTCUTS.values()))
        self.panel.renamed.connect(controller.set_annotation_label)
        self.panel.noted.connect(controller.set_annotation_text)
        self.panel.delete_requested.connect(self._delete)
        self.panel.selected.connect(lambda row: select(f"annotation.{row}.0"))
        view.cursor_moved.connect(self._pointer_moved)
        # While a landmark or an angle is dragged only the planned values can change: the list
        # follows once the drag pauses, so each move stays within the drag budget.
        self._refresh_later = QTimer(parent)
        self._refresh_later.setSingleShot(True)
        self._refresh_later.setInterval(REFRESH_DELAY_MS)
        self._refresh_later.timeout.connect(self._show_values)
        self._shown_for: tuple[object, ...] | None = None
        # How the window asks for a note's text; replaceable (tests answer without a dialog).
        self.ask_text: Callable[[str, str], str | None] = self._ask_text

    # --- the drawing tools -----------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """True while clicks on the film draw a measurement."""
        return self.tool.active

    def choose(self, kind: str) -> None:
        """Start drawing ``kind`` (its action was triggered); triggered again, stop."""
        if not self.tool_actions[kind].isChecked():
            self.stop()
            return
        if self._controller.stage != "preop":
            self._controller.set_stage("preop")  # drawn in pre-op pixels, on the pre-op film
        self.tool.start(kind)
        self._show_progress()

    def stop(self) -> None:
        if not self.tool.active:
            return
        self.tool.start(None)
        checked = self._group.checkedAction()
        if checked is not None:
            checked.setChecked(False)
        self.preview.show_points((), None, False)
        self._messages.status("Drawing stopped", 3000)

    def click(self, position: QPointF) -> None:
        assert self.tool.active, "a click reaches the drawing tool only while one is in use"
        annotation = self.tool.click(self._controller.to_pixel(position))
        if annotation is not None:
            self._add(annotation)
        self._show_progress()

    def finish(self) -> None:
        """Return: end a reference line with its one point."""
        if self.tool.active:
            annotation = self.tool.finish()
            if annotation is not None:
                self._add(annotation)
            self._show_progress()

    def _add(self, annotation: Annotation) -> None:
        if annotation.type in ("text", "arrow"):
            title = "Text note" if annotation.type == "text" else "Arrow note (may be empty)"
            text = self.ask_text(title, "")
            if text is None or (annotation.type == "text" and not text.strip()):
                self._messages.status("Note not added", 3000)
                return
            annotation = Annotation(annotation.type, annotation.points, text=text.strip() or None)
        self._controller.add_annotation(annotation)
        self._controller.end_gesture()
        index = len(self._controller.plan.annotations) - 1
        self._select(f"annotation.{index}.0")
        self.panel.select_row(index)

    def _show_progress(self) -> None:
        geometry = self._controller.geometry
        self.preview.show_points(
            preview_points(self.tool, geometry), None, self.tool.kind == "cobb"
        )
        if self.tool.active:
            self._messages.status(self.tool.prompt())

    def _pointer_moved(self, position: QPointF) -> None:
        if self.tool.active and self.tool.points:
            pointer = (position.x(), position.y())
            self.preview.show_points(
                preview_points(self.tool, self._controller.geometry), pointer, self.tool.kind == "cobb"
            )

    # --- the list ---------------------------------------------------------------------------------

    def plan_changed(self) -> None:
        c = self._controller
        drawn_for = (c.plan.annotations, c.analysis.calibration, c.analysis.facing)
        shown = self._shown_for
        # The same annotations (the very tuple: plans share what an edit did not change), scale
        # and facing: only the planned values may differ.
        if shown is not None and shown[0] is drawn_for[0] and shown[1:] == drawn_for[1:]:
            if c.plan.annotations:
                self._refresh_later.start()
            return
        self._show_values()

    def _show_values(self) -> None:
        c = self._controller
        self._refresh_later.stop()
        self._shown_for = (c.plan.annotations, c.analysis.calibration, c.analysis.facing)
        self.panel.show_values(annotation_values(c.plan, c.analysis), c.analysis.simulated)

    def handle_selected(self, key: str | None) -> None:
        """A point was selected on the film: select its measurement in the list."""
        if key is not None and key.startswith("annotation."):
            self.panel.select_row(int(key.split(".")[1]))
        else:
            self.panel.select_row(None)

    def _delete(self, row: int) -> None:
        self._controller.remove_annotation(row)
        self._select(None)

    def _ask_text(self, title: str, current: str) -> str | None:
        text, ok = QInputDialog.getText(self._parent, title, "Note:", text=current)
        return text if ok else None
