"""How the film is looked at: zoom, window/level and inversion, the constructions layer and the
pre-op/planned comparison, with the status-bar labels that describe them."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from alignment_planner.imaging import Window
from ui.canvas.scene import PlanScene
from ui.canvas.view import RadiographView
from ui.document.controller import PlanController
from ui.window.action import make_action
from ui.window.status_labels import StatusLabels


class ViewActions:
    def __init__(
        self,
        controller: PlanController,
        view: RadiographView,
        scene: PlanScene,
        labels: StatusLabels,
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._view = view
        self._scene = scene
        self._labels = labels
        self.film_label = "pre-op"  # what the status bar calls the film measured (a follow-up's label)
        self.fit_action = make_action(parent, "&Fit to window", view.fit, "F")
        self.actual_size_action = make_action(parent, "Actual &size (1:1)", view.actual_size, "1")
        self.zoom_in_action = make_action(
            parent, "Zoom &in", lambda: view.zoom_by(1.25), [QKeySequence("+"), QKeySequence("=")]
        )
        self.zoom_out_action = make_action(parent, "Zoom &out", lambda: view.zoom_by(0.8), "-")
        self.invert_action = make_action(parent, "&Invert", self.toggle_invert, "I", checkable=True)
        self.reset_window_action = make_action(parent, "&Reset window/level", self.reset_window, "R")
        self.constructions_action = make_action(
            parent, "Show &constructions", self.toggle_constructions, "C", checkable=True
        )
        self.constructions_action.setChecked(True)
        self.planned_action = make_action(
            parent, "&Planned image (simulated)", self.toggle_planned, "P", checkable=True
        )
        view.window_dragged.connect(self._window_dragged)
        view.cursor_moved.connect(self._cursor_moved)
        controller.stage_changed.connect(self._stage_changed)

    def image_shown(self) -> None:
        """A new film is on screen, with its own default window and not inverted."""
        self.invert_action.setChecked(False)
        self._show_window()

    def toggle_invert(self) -> None:
        if self._scene.image_item is not None:
            self._scene.image_item.set_inverted(self.invert_action.isChecked())

    def reset_window(self) -> None:
        if self._scene.image_item is not None:
            self._scene.image_item.set_window(None)
            self._show_window()

    def toggle_constructions(self) -> None:
        self._scene.overlay_item.show_constructions = self.constructions_action.isChecked()
        self._scene.overlay_item.refresh_layers()

    def toggle_planned(self) -> None:
        """Compare pre-op and planned: the same view, the film and overlay of either stage."""
        self._controller.set_stage("postop" if self.planned_action.isChecked() else "preop")

    def name_film(self, label: str) -> None:
        self.film_label = label
        self._stage_changed()

    def _stage_changed(self) -> None:
        planned = self._controller.stage == "postop"
        self.planned_action.setChecked(planned)
        self._labels.stage.setText("PLANNED" if planned else self.film_label)
        self._labels.stage.setStyleSheet("color: #ff50c8; font-weight: bold" if planned else "")

    def _window_dragged(self, dx: float, dy: float, finished: bool) -> None:
        item = self._scene.image_item
        if item is None:
            return
        low, high = item.radiograph.value_range
        sensitivity = max(high - low, 1.0) / 1000.0
        window = item.display_window if not item.use_file_lut else item.radiograph.default_window
        if not finished:  # each change is final already: the lookup runs on the level on screen
            item.set_window(
                Window(window.center - dy * sensitivity, max(1.0, window.width + dx * sensitivity))
            )
        self._show_window()

    def _show_window(self) -> None:
        item = self._scene.image_item
        if item is None:
            self._labels.window_level.setText("")
        elif item.use_file_lut:
            self._labels.window_level.setText("window: file VOI LUT")
        else:
            window = item.display_window
            self._labels.window_level.setText(f"C {window.center:.0f} / W {window.width:.0f}")

    def _cursor_moved(self, position: QPointF) -> None:
        x, y = self._controller.to_pixel(position)
        self._labels.cursor.setText(f"x {x:.0f}  y {y:.0f} px   zoom {self._view.zoom * 100:.0f} %")
