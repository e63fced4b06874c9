"""The graphics scene shared by the screen and ``render`` (architecture.md principle 6)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from alignment_planner.imaging import Radiograph
from alignment_planner.scene.fragments import Fragment
from alignment_planner.scene.labels import Box
from alignment_planner.scene.primitives import DisplayGeometry, Overlay
from ui.canvas.click_marks import ClickMarks
from ui.canvas.fragment_item import FragmentItem, GapItem, display_transform, region_path
from ui.canvas.ghost_item import GhostItem
from ui.canvas.image_item import RadiographItem
from ui.canvas.overlay_item import OverlayItem


class PlanScene(QGraphicsScene):
    def __init__(self) -> None:
        super().__init__()
        # A handful of items, one of them changing on every drag event: a BSP index would only
        # be rebuilt over and over.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.image_item: RadiographItem | None = None
        self.fragment_items: list[FragmentItem] = []
        self.gap_item = GapItem()
        self.gap_item.hide()
        self.addItem(self.gap_item)
        self._regions: tuple[object, ...] = ()  # the regions the fragment items were made for
        self._export = False
        self.overlay_item = OverlayItem()
        self.addItem(self.overlay_item)
        self.click_marks = ClickMarks()  # head rim points, the corner assist's move: never exported
        self.addItem(self.click_marks)
        self.ghosts = GhostItem()  # unclicked vertebrae, interpolated for drawing: set by the window
        self.addItem(self.ghosts)

    def set_radiograph(self, radiograph: Radiograph | None, geometry: DisplayGeometry) -> None:
        self.set_fragments((), geometry)
        if self.image_item is not None:
            self.removeItem(self.image_item)
            self.image_item = None
        if radiograph is not None:
            self.image_item = RadiographItem(radiograph, geometry)
            self.image_item.setZValue(0)
            if self._export:
                self.image_item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            self.addItem(self.image_item)
            self.setSceneRect(self.image_item.boundingRect())
        self._bound_labels()

    def disable_caching(self) -> None:
        """For exports: item caches are device pixmaps, which a PDF would embed as pictures (the
        overlay must stay vector) and a full-size PNG does not need."""
        self._export = True
        for item in (self.image_item, self.gap_item, self.overlay_item.stable_layer):
            if item is not None:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    def set_overlay(self, overlay: Overlay) -> None:
        self.overlay_item.set_overlay(overlay)
        if self.image_item is None and not self.overlay_item.content_rect().isEmpty():
            self.setSceneRect(self.overlay_item.content_rect())

    def film_rect(self) -> QRectF:
        """What "fit" shows: the film (in the planned view, every moved part of it), or without
        an image the landmarks. Never the overlay's item bounds: those include room for labels
        drawn in device space, and fitting them shrank the film to half the window."""
        if self.image_item is None:
            return self.overlay_item.content_rect()
        rect = self.image_item.sceneBoundingRect()
        for item in self.fragment_items:
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def _bound_labels(self) -> None:
        """Labels keep inside the film: in the planned view, the film with every moved part of it
        (a label bound to the pre-op frame floats off a neck that moved out of it)."""
        rect = self.film_rect() if self.image_item is not None else QRectF()
        self.overlay_item.film_bounds = (
            None if rect.isEmpty() else Box(rect.left(), rect.top(), rect.right(), rect.bottom())
        )
        self.overlay_item.update()

    def set_fragments(self, fragments: tuple[Fragment, ...], geometry: DisplayGeometry) -> None:
        """Show the planned image (``fragments`` from the core) or, when empty, the film as is.
        Items are reused while the regions stay the same: an angle change only sets transforms."""
        base = self.image_item
        if base is None or not fragments:
            for item in self.fragment_items:
                self.removeItem(item)
            self.fragment_items = []
            self._regions = ()
            self.gap_item.hide()
            if base is not None and (base.clip is not None or not base.transform().isIdentity()):
                base.clip = None
                base.setTransform(QTransform())
                base.update()
            self._bound_labels()
            return
        self.gap_item.setRect(base.boundingRect())
        self.gap_item.show()
        below, *moving = fragments
        regions = tuple(f.rings for f in fragments)
        if regions != self._regions:
            self._regions = regions
            base.clip = region_path(below.rings, geometry)
            base.update()
            while len(self.fragment_items) > len(moving):
                self.removeItem(self.fragment_items.pop())
            while len(self.fragment_items) < len(moving):
                item = FragmentItem(base)
                item.fast = self.overlay_item.fast
                self.fragment_items.append(item)
                self.addItem(item)
            for z, (item, fragment) in enumerate(zip(self.fragment_items, moving, strict=True), start=1):
                item.set_region(region_path(fragment.rings, geometry), fragment.label)
                item.setZValue(z)
        _place(base, display_transform(below.motion, geometry))
        for item, fragment in zip(self.fragment_items, moving, strict=True):
            _place(item, display_transform(fragment.motion, geometry))
        self._bound_labels()

    def set_interactive(self, interactive: bool) -> None:
        """While an angle is being dragged, draw the moving film and the overlay without
        smoothing or antialiasing (a frame in half the time); full quality again on release."""
        self.overlay_item.fast = interactive
        for item in self.fragment_items:
            item.fast = interactive
        self.overlay_item.update()
        for item in self.fragment_items:
            item.update()


def _place(item: QGraphicsItem, transform: QTransform) -> None:
    """Set a transform only when it changes: setting one invalidates the item's cached pixmap
    (the film below the cuts keeps its cache while only the parts above them turn)."""
    if item.transform() != transform:
        item.setTransform(transform)
