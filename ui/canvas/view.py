"""The radiograph view: navigation as in PACS viewers, and pointer gestures turned into signals.

Wheel zooms about the cursor; middle-drag or Space+drag pans; right-drag changes window/level
(horizontal: width, vertical: centre); left-drag moves the landmark under the cursor; a left click
elsewhere is reported for placing points or calibration clicks, and a left drag elsewhere is
reported as a traced path too (a femoral head's rim). Space tapped without a pan is reported (the
wizard's "skip"). No geometry happens here.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from alignment_planner.scene.legend import legend
from alignment_planner.scene.primitives import Overlay
from ui.canvas.legend_painter import Entries, LegendPixmap
from ui.canvas.overlay_item import OverlayItem
from ui.canvas.scene import PlanScene

HIT_RADIUS_PX = 9.0
DRAG_THRESHOLD_PX = 3
ZOOM_STEP = 1.15


class RadiographView(QGraphicsView):
    handle_pressed = Signal(str)  # a drag of this handle starts
    handle_clicked = Signal(str, QPointF)  # pressed and released on a handle without moving
    handle_dragged = Signal(str, QPointF)
    handle_released = Signal(str)
    canvas_clicked = Signal(QPointF)
    canvas_traced = Signal(list)  # scene points of a left drag that began off any handle
    space_tapped = Signal()  # Space pressed and released without panning
    window_dragged = Signal(float, float, bool)  # horizontal px, vertical px, finished
    cursor_moved = Signal(QPointF)
    zoom_changed = Signal(float)

    def __init__(self, scene: QGraphicsScene, overlay: OverlayItem, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.overlay = overlay
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(Qt.GlobalColor.black)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._dragging: str | None = None
        self._pressed: tuple[str, QPoint] | None = None  # a handle pressed, not yet dragged
        self._panning_from: QPoint | None = None
        self._window_from: QPoint | None = None
        self._space_down = False
        self._space_panned = False
        self._trace: list[QPointF] | None = None  # a left drag off the handles, in scene units
        self.legend_rect: QRectF | None = None  # where the legend was last drawn (tests)
        self._legend = LegendPixmap()
        self._legend_of: tuple[Overlay, Entries] | None = None
        self.legend_texts: tuple[str, ...] = ()  # what it said (tests)
        self.extra_legend: Entries = ()  # lines the window draws itself (a follow-up's planned spine)
        self.fitted = False  # showing the whole film: kept fitted as the viewport resizes

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """The legend of line styles in the viewport's bottom left corner (the screen's copy of
        the list the PDF prints under the films)."""
        del rect
        overlay = self.overlay
        if not overlay.show_constructions or not overlay.overlay.primitives:
            return
        if self._legend_of is None or self._legend_of[0] is not overlay.overlay:
            self._legend_of = (overlay.overlay, legend(overlay.overlay))  # once per overlay, not per paint
        entries = self._legend_of[1] + self.extra_legend
        pixmap = self._legend.get(entries, self.viewport().devicePixelRatioF())
        width, height = pixmap.deviceIndependentSize().width(), pixmap.deviceIndependentSize().height()
        box = QRectF(6, self.viewport().height() - height - 6, width, height)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(box.topLeft(), pixmap)
        self.legend_rect = box
        self.legend_texts = tuple(text for _style, text in entries)
        painter.restore()

    # --- zoom -----------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self.fitted = False
        target = min(max(self.zoom * factor, 0.01), 40.0)
        self.scale(target / self.zoom, target / self.zoom)
        self.zoom_changed.emit(self.zoom)

    def fit(self) -> None:
        """Show the whole film (``PlanScene.film_rect``), as large as the viewport allows."""
        scene = self.scene()
        if not isinstance(scene, PlanScene):
            return
        rect = scene.film_rect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            self.fitted = True
            self.zoom_changed.emit(self.zoom)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A film shown whole stays whole when the window or its panels change size (a window
        shown, maximised or laid out after its film was fitted); a zoom chosen by hand is kept."""
        super().resizeEvent(event)
        if self.fitted:
            self.fit()

    def actual_size(self) -> None:
        self.zoom_by(1.0 / self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
        event.accept()

    # --- pointer --------------------------------------------------------------------------------

    def handle_at(self, viewport_pos: QPointF) -> str | None:
        best, best_distance = None, HIT_RADIUS_PX
        transform = self.viewportTransform()
        for handle in self.overlay.overlay.handles:
            mapped = transform.map(QPointF(*handle.position))
            distance = math.hypot(mapped.x() - viewport_pos.x(), mapped.y() - viewport_pos.y())
            if distance <= best_distance:
                best, best_distance = handle.key, distance
        return best

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._panning_from = event.position().toPoint()
            self._space_panned = self._space_down
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        elif button == Qt.MouseButton.RightButton:
            self._window_from = event.position().toPoint()
        elif button == Qt.MouseButton.LeftButton:
            key = self.handle_at(event.position())
            if key is not None:
                # Not a drag until the pointer moves: a plain click may mean "place a point here".
                self._pressed = (key, event.position().toPoint())
            else:
                start = self.mapToScene(event.position().toPoint())
                self._trace = [start]
                self.canvas_clicked.emit(start)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position().toPoint()
        scene_pos = self.mapToScene(position)
        if self._panning_from is not None:
            delta = position - self._panning_from
            self._panning_from = position
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
        elif self._window_from is not None:
            delta = position - self._window_from
            self._window_from = position
            self.window_dragged.emit(float(delta.x()), float(delta.y()), False)
        elif self._pressed is not None:
            key, origin = self._pressed
            if (position - origin).manhattanLength() > DRAG_THRESHOLD_PX:
                self._pressed = None
                self._dragging = key
                self.handle_pressed.emit(key)
                self.handle_dragged.emit(key, scene_pos)
        elif self._dragging is not None:
            self.handle_dragged.emit(self._dragging, scene_pos)
        elif self._trace is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._trace.append(scene_pos)
        else:
            hovering = self.handle_at(event.position()) is not None
            self.viewport().setCursor(
                Qt.CursorShape.SizeAllCursor if hovering else Qt.CursorShape.CrossCursor
            )
        self.cursor_moved.emit(scene_pos)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._panning_from = None
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        elif self._window_from is not None and event.button() == Qt.MouseButton.RightButton:
            self._window_from = None
            self.window_dragged.emit(0.0, 0.0, True)
        elif self._dragging is not None and event.button() == Qt.MouseButton.LeftButton:
            key, self._dragging = self._dragging, None
            self.handle_released.emit(key)
        elif self._pressed is not None and event.button() == Qt.MouseButton.LeftButton:
            key, origin = self._pressed
            self._pressed = None
            self.handle_clicked.emit(key, self.mapToScene(origin))
        elif self._trace is not None and event.button() == Qt.MouseButton.LeftButton:
            trace, self._trace = self._trace, None
            start = self.mapFromScene(trace[0])
            if any((self.mapFromScene(p) - start).manhattanLength() > DRAG_THRESHOLD_PX for p in trace):
                self.canvas_traced.emit(trace)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
            if not self._space_panned:
                self.space_tapped.emit()
            self._space_panned = False
            event.accept()
            return
        super().keyReleaseEvent(event)

    def contextMenuEvent(self, event: object) -> None:
        del event
