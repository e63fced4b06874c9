"""The graphics scene shared by the screen and ``render`` (architecture.md principle 6)."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsScene

from alignment_planner.imaging import Radiograph
from alignment_planner.overlay import DisplayGeometry, Overlay
from ui.canvas.image_item import RadiographItem
from ui.canvas.overlay_item import OverlayItem


class PlanScene(QGraphicsScene):
    def __init__(self) -> None:
        super().__init__()
        # A handful of items, one of them changing on every drag event: a BSP index would only
        # be rebuilt over and over.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.image_item: RadiographItem | None = None
        self.overlay_item = OverlayItem()
        self.addItem(self.overlay_item)

    def set_radiograph(self, radiograph: Radiograph | None, geometry: DisplayGeometry) -> None:
        if self.image_item is not None:
            self.removeItem(self.image_item)
            self.image_item = None
        if radiograph is not None:
            self.image_item = RadiographItem(radiograph, geometry)
            self.image_item.setZValue(0)
            self.addItem(self.image_item)
            self.setSceneRect(self.image_item.boundingRect())

    def set_overlay(self, overlay: Overlay) -> None:
        self.overlay_item.set_overlay(overlay)
        if self.image_item is None and not self.overlay_item.content_rect().isEmpty():
            self.setSceneRect(self.overlay_item.content_rect())
