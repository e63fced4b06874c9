"""Manual calibration from the main window (clinical.md §6): two clicks on a known distance, or
three or more on a calibration ball's edge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QInputDialog, QWidget

from alignment_planner.calibration.manual import CalibrationError, calibrate_ball, calibrate_distance
from alignment_planner.calibration.spacing import Calibration, PixelSpacing
from ui.document.controller import PlanController
from ui.window.action import make_action
from ui.window.messages import Messages

CalibrationKind = Literal["distance", "ball"]


class CalibrationActions:
    def __init__(self, controller: PlanController, messages: Messages, parent: QWidget) -> None:
        self._controller = controller
        self._messages = messages
        self._parent = parent
        # The calibration being clicked, with the pixels clicked so far; None when none is.
        self._pending: tuple[CalibrationKind, list[tuple[float, float]]] | None = None
        self.distance_action = make_action(
            parent, "Calibrate by a known &distance…", lambda: self.start("distance"), "Ctrl+D"
        )
        self.ball_action = make_action(parent, "Calibrate on a &ball…", lambda: self.start("ball"), "Ctrl+B")
        # Enter itself belongs to the landmark actions, which finish a calibration in progress and
        # otherwise skip the wizard's point (two actions on one key would both be disabled by Qt).
        self.finish_action = make_action(parent, "&Finish ball calibration\tEnter", self.finish_ball)
        self.cancel_action = make_action(parent, "&Cancel calibration", self.cancel, "Escape")

    @property
    def active(self) -> bool:
        """True while clicks on the image belong to a calibration."""
        return self._pending is not None

    def start(self, kind: CalibrationKind) -> None:
        self._pending = (kind, [])
        what = (
            "click the two ends of a known distance"
            if kind == "distance"
            else "click three or more points on the calibration ball's edge, then press Enter"
        )
        self._messages.status(f"Calibration: {what} (Esc cancels)")

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending = None
            self._messages.status("Calibration cancelled", 5000)

    def click(self, position: QPointF) -> None:
        assert self._pending is not None, "a click reaches the calibration only while one is active"
        kind, points = self._pending
        points.append(self._controller.to_pixel(position))
        if kind == "distance" and len(points) == 2:
            known, ok = QInputDialog.getDouble(
                self._parent, "Known distance", "Distance between the points (mm):", 100.0, 0.1, 10000.0, 2
            )
            self._pending = None
            if ok:
                self._apply(lambda: calibrate_distance(points[0], points[1], known, self._spacing()))
        elif kind == "ball":
            self._messages.status(f"Calibration: {len(points)} edge points; Enter to finish")

    def finish_ball(self) -> None:
        if self._pending is None or self._pending[0] != "ball":
            return
        points = self._pending[1]
        diameter, ok = QInputDialog.getDouble(
            self._parent, "Calibration ball", "Ball diameter (mm):", 25.0, 0.1, 500.0, 2
        )
        self._pending = None
        if ok:
            self._apply(lambda: calibrate_ball(points, diameter, self._spacing())[0])

    def _spacing(self) -> PixelSpacing | None:
        return self._controller.plan.calibration.spacing

    def _apply(self, compute: Callable[[], Calibration]) -> None:
        try:
            calibration = compute()
        except CalibrationError as exc:
            self._messages.problem(f"Calibration not changed: {exc}")
            return
        self._controller.set_calibration(calibration)
        self._messages.status(f"Calibrated: {self._controller.plan.calibration.describe()}", 10000)
