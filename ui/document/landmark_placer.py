"""What a click for the landmarking wizard does (issue 17 §3–4).

* A femoral head is a circle: three clicks on its rim (or a drag along it) fit it by least squares;
  the second head is offered at the first one's radius, so one click on its centre places it.
* A corner click may then be moved by the corner assist onto the cortical corner it was meant for,
  as a second undo step: Undo puts the point back exactly where it was clicked. The assist never
  runs before the click, is off by a setting, and is off by default in practice mode, where what
  is scored is the click the resident made (``as_clicked``).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QPointF, Signal

from alignment_planner.anatomy.landmarking import HEAD_RIM_CLICKS, Step, landmark_name
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import CORNERS
from alignment_planner.geometry.circle import NotACircle, fit_circle
from alignment_planner.geometry.primitives import Point
from alignment_planner.imaging.corner_assist import refine_corner
from alignment_planner.imaging.corner_prior import expected_direction
from ui.document.controller import PlanController


class LandmarkPlacer(QObject):
    rim_changed = Signal(list)
    """The rim points clicked so far for a head (display coordinates), [] when none pending."""
    assisted = Signal(QPointF, QPointF)
    """The assist moved a click: from where it was clicked to the corner (display coordinates)."""

    def __init__(self, controller: PlanController) -> None:
        super().__init__()
        self._controller = controller
        self.assist_enabled = True
        self._rim: list[Point] = []
        self._rim_for: str | None = None
        self._assisted: dict[str, tuple[Point, Point]] = {}  # key → (clicked, moved to)

    # --- clicks ------------------------------------------------------------------------------------

    def click(self, step: Step, display: QPointF) -> bool:
        """Handle one click for ``step``; True when the step is complete (the wizard moves on)."""
        pixel = self._controller.to_pixel(display)
        if step.is_head:
            return self._head_click(step, pixel)
        self.cancel_rim()
        self._controller.set_point_pixels(step.key, pixel)
        self._controller.end_gesture()
        self._assisted.pop(step.key, None)
        if self.assist_enabled and step.point in CORNERS:
            self._assist(step, pixel)
        return True

    def trace(self, step: Step, displays: list[QPointF]) -> bool:
        """A drag along a femoral head's rim: the circle through all its points."""
        if not step.is_head or len(displays) < HEAD_RIM_CLICKS:
            return False
        self._rim = [self._controller.to_pixel(p) for p in displays]
        self._rim_for = step.key
        return self._fit_head(step)

    def cancel_rim(self) -> None:
        if self._rim:
            self._rim = []
            self._rim_for = None
            self.rim_changed.emit([])

    @property
    def rim_points(self) -> tuple[Point, ...]:
        return tuple(self._rim)

    def _head_click(self, step: Step, pixel: Point) -> bool:
        if self._rim_for != step.key:
            self.cancel_rim()
        index = int(step.point)
        heads = self._controller.plan.landmarks.femoral_heads
        if index == 1 and not self._rim and heads and heads[0].radius:
            # The second head at the first one's radius: the click is its centre.
            self._controller.set_femoral_head(index, pixel, heads[0].radius)
            self._controller.end_gesture()
            return True
        self._rim.append(pixel)
        self._rim_for = step.key
        self.rim_changed.emit([QPointF(*self._controller.geometry.to_display(p)) for p in self._rim])
        if len(self._rim) < HEAD_RIM_CLICKS:
            return False
        return self._fit_head(step)

    def _fit_head(self, step: Step) -> bool:
        try:
            circle = fit_circle(self._rim)
        except NotACircle as exc:
            self.cancel_rim()
            self._controller.problem.emit(f"{step.title}: {exc}")
            return False
        self.cancel_rim()
        self._controller.set_femoral_head(int(step.point), circle.center, circle.radius)
        self._controller.end_gesture()
        return True

    # --- the corner assist -------------------------------------------------------------------------

    def _assist(self, step: Step, clicked: Point) -> None:
        c = self._controller
        radiograph, spacing = c.radiograph, c.plan.calibration.spacing
        if radiograph is None or spacing is None:
            return  # without a scale "a few millimetres" means nothing: the click stays
        before = c.plan.landmarks.with_point(step.level, step.point, None)
        into_body = expected_direction(before, step.level, step.point, c.analysis.facing, clicked)
        if into_body is None:
            return
        result = refine_corner(
            radiograph.stored, clicked, (spacing.row, spacing.column), into_body,
            values=radiograph.value_table, invert=radiograph.invert,
        )
        if not result.moved:
            return
        mm = math.hypot((result.point[0] - clicked[0]) * spacing.column,
                        (result.point[1] - clicked[1]) * spacing.row)
        name = landmark_name(step.key)
        c.set_point_pixels(step.key, result.point, label=f"Corner assist {name} ({mm:.1f} mm)")
        c.end_gesture()
        self._assisted[step.key] = (clicked, result.point)
        geometry = c.geometry
        origin, corner = geometry.to_display(clicked), geometry.to_display(result.point)
        self.assisted.emit(QPointF(*origin), QPointF(*corner))
        c.notice.emit(
            f"Corner assist moved the {name} by {mm:.1f} mm (match {result.confidence:.2f}); "
            "Undo puts it back where you clicked"
        )

    def as_clicked(self, landmarks: Landmarks) -> Landmarks:
        """``landmarks`` with every point the assist moved (and nobody moved since) back where it
        was clicked: practice scores the resident's own clicks."""
        for key, (clicked, moved) in self._assisted.items():
            level, _, name = key.partition(".")
            if landmarks.point(level, name) == moved:
                landmarks = landmarks.with_point(level, name, clicked)
        return landmarks
