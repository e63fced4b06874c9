"""Drawing a free measurement with the mouse (issue 18): which clicks each tool takes, and a preview
of the points clicked so far with a rubber band to the pointer.

Clicks are in pre-operative pixels. Distance: two clicks; angle: arm, vertex, arm; Cobb: two
clicks per line, the lines anywhere on the film; vertical/horizontal: the point the line goes
through, then the point whose offset is measured (Return ends with the line alone); text: one
click (the window asks for the text); arrow: tail, then tip.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.annotations.values import TYPE_NAMES
from alignment_planner.geometry.primitives import Point
from alignment_planner.plan.model import ANNOTATION_POINTS, Annotation
from alignment_planner.scene.primitives import DisplayGeometry

PROMPTS: dict[str, tuple[str, ...]] = {
    "distance": ("the first end", "the second end"),
    "angle": ("a point on the first arm", "the vertex", "a point on the second arm"),
    "cobb": ("line 1, first point", "line 1, second point", "line 2, first point", "line 2, second point"),
    "vertical": ("the point the vertical line goes through",
                 "the point to measure the horizontal offset to (Return: the line alone)"),
    "horizontal": ("the point the horizontal line goes through",
                   "the point to measure the vertical offset to (Return: the line alone)"),
    "text": ("where the note goes",),
    "arrow": ("the tail of the arrow", "the tip of the arrow"),
}
SHORTCUTS: dict[str, str] = {
    "distance": "D", "angle": "A", "cobb": "L", "vertical": "V", "horizontal": "H", "text": "T",
    "arrow": "N",
}
"""Single keys; C (constructions), F, I, P and R are taken by the View menu."""


@dataclass
class AnnotationTool:
    """The tool in use and the points clicked so far."""

    kind: str | None = None
    points: tuple[Point, ...] = ()

    def start(self, kind: str | None) -> None:
        self.kind, self.points = kind, ()

    @property
    def active(self) -> bool:
        return self.kind is not None

    def prompt(self) -> str:
        if self.kind is None:
            return ""
        step = PROMPTS[self.kind][min(len(self.points), len(PROMPTS[self.kind]) - 1)]
        return f"{TYPE_NAMES[self.kind]}: click {step} (Esc cancels)"

    def click(self, pixel: Point) -> Annotation | None:
        """Add a point; the finished annotation once the tool has all it needs (the tool then
        starts over, ready for the next one of the same kind)."""
        if self.kind is None:
            return None
        self.points = (*self.points, pixel)
        if len(self.points) < ANNOTATION_POINTS[self.kind][1]:
            return None
        return self.finish()

    def finish(self) -> Annotation | None:
        """End now if the points so far make an annotation (a reference line without its offset)."""
        if self.kind is None or len(self.points) < ANNOTATION_POINTS[self.kind][0]:
            return None
        annotation = Annotation(self.kind, self.points)
        self.points = ()
        return annotation


class ToolPreviewItem(QGraphicsItem):
    """The clicked points and a dashed line from the last one to the pointer (display units)."""

    def __init__(self) -> None:
        super().__init__()
        self.points: tuple[Point, ...] = ()
        self.pointer: Point | None = None
        self.pairs = False  # Cobb: points join in pairs (two separate lines)
        self.setZValue(40)

    def show_points(self, points: tuple[Point, ...], pointer: Point | None, pairs: bool) -> None:
        self.prepareGeometryChange()
        self.points, self.pointer, self.pairs = points, pointer, pairs
        self.update()

    def boundingRect(self) -> QRectF:
        shown = [*self.points, *([self.pointer] if self.pointer and self.points else [])]
        if not shown:
            return QRectF()
        xs, ys = [p[0] for p in shown], [p[1] for p in shown]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(-50, -50, 50, 50)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        if not self.points:
            return
        pen = QPen(QColor(150, 255, 90), 1.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        chain = list(self.points) + ([self.pointer] if self.pointer is not None else [])
        for index in range(len(chain) - 1):
            if self.pairs and index % 2 == 1:
                continue  # between Cobb's two lines: nothing
            if index == len(chain) - 2 and self.pointer is not None:
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
            painter.drawLine(QLineF(QPointF(*chain[index]), QPointF(*chain[index + 1])))
        scale = painter.worldTransform().m11() or 1.0
        radius = 4.0 / scale
        for p in self.points:
            painter.drawEllipse(QPointF(*p), radius, radius)


def preview_points(tool: AnnotationTool, geometry: DisplayGeometry) -> tuple[Point, ...]:
    return tuple(geometry.to_display(p) for p in tool.points)
