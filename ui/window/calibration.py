"""Manual calibration from the main window (clinical.md §6): two clicks on a known distance, or
three or more on a calibration ball's edge. A mixin of ``MainWindow``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QInputDialog

from alignment_planner.calibration.manual import CalibrationError, calibrate_ball, calibrate_distance
from alignment_planner.calibration.spacing import PixelSpacing


class CalibrationActions:
    def start_calibration(self, kind: str) -> None:
        self._calibration = (kind, [])
        what = (
            "click the two ends of a known distance"
            if kind == "distance"
            else "click three or more points on the calibration ball's edge, then press Enter"
        )
        self.statusBar().showMessage(f"Calibration: {what} (Esc cancels)")

    def cancel_calibration(self) -> None:
        if self._calibration is not None:
            self._calibration = None
            self.statusBar().showMessage("Calibration cancelled", 5000)

    def _calibration_click(self, position: QPointF) -> None:
        assert self._calibration is not None
        kind, points = self._calibration
        points.append(self.controller.to_pixel(position))
        if kind == "distance" and len(points) == 2:
            known, ok = QInputDialog.getDouble(
                self, "Known distance", "Distance between the points (mm):", 100.0, 0.1, 10000.0, 2
            )
            self._calibration = None
            if ok:
                self._apply_calibration(
                    lambda: calibrate_distance(points[0], points[1], known, self._spacing())
                )
        elif kind == "ball":
            self.statusBar().showMessage(f"Calibration: {len(points)} edge points; Enter to finish")

    def finish_ball(self) -> None:
        if self._calibration is None or self._calibration[0] != "ball":
            return
        points = self._calibration[1]
        diameter, ok = QInputDialog.getDouble(
            self, "Calibration ball", "Ball diameter (mm):", 25.0, 0.1, 500.0, 2
        )
        self._calibration = None
        if ok:
            self._apply_calibration(lambda: calibrate_ball(points, diameter, self._spacing())[0])

    def _spacing(self) -> PixelSpacing | None:
        return self.controller.plan.calibration.spacing

    def _apply_calibration(self, compute: Callable[[], object]) -> None:
        try:
            calibration = compute()
        except CalibrationError as exc:
            self.show_problem(f"Calibration not changed: {exc}")
            return
        self.controller.set_calibration(calibration)  # type: ignore[arg-type]
        self.statusBar().showMessage(f"Calibrated: {self.controller.plan.calibration.describe()}", 10000)
