"""Paints an ``alignment_planner.scene.overlay.Overlay``: one item for all constructions and handles.

Geometry is drawn in scene (display) units with cosmetic pens; labels and landmark handles are drawn
in device pixels at a fixed size, so they stay readable at every zoom (and in exports, where
``label_scale`` sizes them for the output resolution).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFontMetricsF,
    QPainter,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.geometry.primitives import Point
from alignment_planner.scene.label_strokes import arc_strokes
from alignment_planner.scene.labels import Box, PlacedLabel, TextSize, angles_first, layout_labels
from alignment_planner.scene.primitives import Handle, Label, Overlay, Primitive
from ui.canvas import film_marks
from ui.canvas.overlay_extent import Extent, content_rect, extent_of, padded, union
from ui.canvas.overlay_painting import LABEL_BACKGROUND, leader_pen, paint_layer, text_pen
from ui.canvas.palette import HANDLE_RADIUS, label_font

# This many items that stayed the same but are painted live are worth one re-cache (ten drawn
# measurements are about 70 items: painted live, their labels alone cost ~2 ms per move).
RECACHE_FROM_ITEMS = 24
LABEL_PAD_PX = 3.0


class OverlayItem(QGraphicsItem):
    """The overlay, drawn in two layers so that a drag repaints only what it changes.

    A child layer, cached as a device-coordinate pixmap, holds every primitive and handle that
    the last two overlays had in common; this item paints the rest live on top. While a point is
    dragged the shared part stays the same from one move to the next, so its cache is reused and
    each move paints only the few lines, arcs and labels that depend on the moving point.
    """

    def __init__(self) -> None:
        super().__init__()
        self.overlay = Overlay()
        self.selected_key: str | None = None
        self.show_constructions = True
        self._label_scale = 1.0
        self.fast = False  # during an angle drag: the live part without antialiasing
        self._bounds = QRectF()
        self._content = QRectF()
        self._stable = _StableLayer(self)
        self._live_primitives: tuple[Primitive, ...] = ()
        self._live_handles: tuple[Handle, ...] = ()
        self._previous_primitives: set[Primitive] = set()  # the last overlay's, as sets
        self._previous_handles: set[Handle] = set()
        self.film_bounds: Box | None = None  # labels stay inside the film (set by the scene)
        self._layout_key: object = None
        self._layout: tuple[PlacedLabel, ...] = ()
        self._sizes: dict[str, tuple[float, float]] = {}  # label text → box size, for _sizes_font
        self._sizes_font: object = None
        self.painted_label_rects: list[tuple[str, QRectF]] = []  # device pixels, last paint
        self._texts: dict[tuple[str, float], QStaticText] = {}
        self.planned_mark_rect: QRectF | None = None  # device pixels, last paint (tests)
        self.legend_on_film = False  # exports: the legend drawn on the film, labels kept off it
        self.painted_legend_rect: QRectF | None = None  # device pixels, last paint (tests)
        self._legend_place: Box | None = None  # display units, from the last layout
        self.setZValue(10)

    def set_overlay(self, overlay: Overlay) -> None:
        self.overlay = overlay
        primitives, handles = set(overlay.primitives), set(overlay.handles)
        common_primitives = self._previous_primitives & primitives
        common_handles = self._previous_handles & handles
        self._previous_primitives, self._previous_handles = primitives, handles
        still_valid = self._stable.primitive_set <= primitives and self._stable.handle_set <= handles
        cacheable = len(common_primitives) + len(common_handles) - len(self._stable.primitive_set)
        cacheable -= len(self._stable.handle_set)
        # Re-cache when the cached part is out of date, or when much more could be cached than is
        # (a new document, an undo, a few measurements drawn); not for the odd item, which would
        # re-cache on every move.
        total = len(primitives) + len(handles)
        if not still_valid or cacheable > min(0.25 * total, RECACHE_FROM_ITEMS):
            self._repartition(common_primitives, common_handles)
        self._split_live(primitives, handles)
        live = extent_of(self._live_primitives, self._live_handles)
        self._set_content_rect(union(self._stable.extent, live))
        self.update()

    def set_selected(self, key: str | None) -> None:
        if key != self.selected_key:
            self.selected_key = key
            self.refresh_layers()

    def refresh_layers(self) -> None:
        """Everything not selected goes to the cached layer (after a style or selection change)."""
        primitives, handles = set(self.overlay.primitives), set(self.overlay.handles)
        self._repartition(primitives, handles)
        self._split_live(primitives, handles)
        self.update()

    @property
    def label_scale(self) -> float:
        """Size of handles, labels and pens relative to the screen (exports draw them larger)."""
        return self._label_scale

    @label_scale.setter
    def label_scale(self, scale: float) -> None:
        if scale != self._label_scale:
            self._label_scale = scale
            self.refresh_layers()

    @property
    def stable_layer(self) -> QGraphicsItem:
        """The cached child layer (exports switch its cache off)."""
        return self._stable

    def content_rect(self) -> QRectF:
        """What the overlay covers in scene units (without room for its labels)."""
        return self._content

    def _repartition(self, primitives: set[Primitive], handles: set[Handle]) -> None:
        self._stable.set_content(
            tuple(p for p in self.overlay.primitives if p in primitives),
            tuple(h for h in self.overlay.handles if h in handles and h.key != self.selected_key),
        )

    def _split_live(self, primitives: set[Primitive], handles: set[Handle]) -> None:
        live_primitives = primitives - self._stable.primitive_set  # set algebra reuses the hashes
        live_handles = handles - self._stable.handle_set
        # In the overlay's own order, so labels are laid out the same way every time (lists, not
        # generators: this runs over every primitive on each drag event).
        self._live_primitives = tuple([p for p in self.overlay.primitives if p in live_primitives])
        self._live_handles = tuple([h for h in self.overlay.handles if h in live_handles])

    def _set_content_rect(self, extent: Extent | None) -> None:
        content = content_rect(extent)
        if content != self._content:
            self.prepareGeometryChange()
            self._content = content
            self._bounds = padded(content)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        paint_layer(painter, self, self._live_primitives, self._live_handles)
        # Every label is drawn here, above both layers, where the one layout puts it: a label
        # whose construction did not change can still have to make room for one that did.
        self._paint_labels(painter)
        if self.overlay.stage == "postop":
            self._paint_planned_mark(painter)
        if self.legend_on_film:
            self._paint_legend(painter)
        if self.fast:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    def label_layout(self, scene_per_px: float) -> tuple[PlacedLabel, ...]:
        """The overlay's labels laid out for output pixels of ``scene_per_px`` display units."""
        # Hiding the constructions (C) leaves the measurements the user drew, labels included.
        every = self.show_constructions
        primitives = self.overlay.primitives
        labels = tuple([p for p in primitives if isinstance(p, Label) and (every or p.style == "annotation")])
        corner = self._mark_corner()
        key = (
            labels,
            self.overlay.handles,
            round(scene_per_px, 9),
            self._label_scale,
            self.film_bounds,
            self.overlay.stage,
            self.show_constructions,
            self.legend_on_film,
            corner,
        )
        if key != self._layout_key:
            text_size = self._text_sizes()
            # Offsets of the last layout, when it was made at this zoom: labels hold still. The
            # film's bounds and the PLANNED mark may have moved (an angle slider moves the planned
            # film's parts): each kept spot is checked against them anyway.
            previous = (
                {p.label.key: self._offset_px(p, scene_per_px) for p in self._layout}
                if self._layout_key is not None and _same_view(self._layout_key, key)
                else None
            )
            # The cuts first, at their cut even over a handle (a cut label moved two levels names
            # the wrong level; second review D1), then the angles at their own arcs, then the rest
            # around them, off the handles and off the arcs of angles they do not name.
            reserved = self._reserved(scene_per_px, corner)
            strokes = (lambda: arc_strokes(primitives, scene_per_px)) if every else ()
            cut_labels = [p for p in labels if p.style == "osteotomy"]
            cuts = (
                layout_labels(
                    cut_labels, previous=previous, reserved=reserved, text_size=text_size,
                    units_per_px=scene_per_px, bounds=self.film_bounds,
                )
                if cut_labels
                else ()
            )
            self._layout = cuts + layout_labels(
                angles_first([p for p in labels if p.style != "osteotomy"]),
                previous=previous,
                reserved=reserved + tuple(p.box for p in cuts),
                text_size=text_size,
                units_per_px=scene_per_px,
                bounds=self.film_bounds,
                keep_clear=[h.position for h in self.overlay.handles],
                keep_clear_px=HANDLE_RADIUS * self._label_scale,
                keep_off=strokes,
            )
            self._layout_key = key
        return self._layout

    def _text_sizes(self) -> TextSize:
        """Each label text's box in output pixels, padding included. Measured once per text and
        font: a drag changes the values of a few labels, and the other texts stay the same."""
        font = label_font(self._label_scale)
        font_key = (font.key(), self._label_scale)
        if font_key != self._sizes_font or len(self._sizes) > 2000:
            self._sizes_font, self._sizes = font_key, {}
        metrics = QFontMetricsF(font)
        pad = 2 * LABEL_PAD_PX * self._label_scale
        sizes = self._sizes

        def text_size(text: str) -> tuple[float, float]:
            size = sizes.get(text)
            if size is None:
                size = sizes[text] = (metrics.horizontalAdvance(text) + pad, metrics.height() + pad)
            return size

        return text_size

    def _reserved(self, scene_per_px: float, corner: Point | None) -> tuple[Box, ...]:
        """Where the PLANNED mark and an export's legend go, in display units: no label may
        cover them."""
        on_film = self.legend_on_film
        marks = film_marks.reserved(
            self.overlay, self.film_bounds, self._label_scale, scene_per_px, legend_on_film=on_film,
            mark_corner=corner,
        )
        self._legend_place = marks.legend
        return marks.boxes

    def _mark_corner(self) -> Point | None:
        """Where the PLANNED mark goes: the film's top left corner in an export; on screen the top
        left of the part of the film in view. A large correction moves the head outside the
        pre-op film, so the planned film's corner is often above or beside the view, and a mark
        there would leave a simulated film on screen without it."""
        film = self.film_bounds
        scene = self.scene()
        if film is None or self.legend_on_film or scene is None or not scene.views():
            return None if film is None else (film.left, film.top)
        view = scene.views()[0]
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        left = min(max(film.left, visible.left()), film.right)
        top = min(max(film.top, visible.top()), film.bottom)
        return (left, top)

    def _paint_legend(self, painter: QPainter) -> None:
        self.painted_legend_rect = None
        if self._legend_place is not None:
            self.painted_legend_rect = film_marks.paint_legend_on_film(
                painter, self.overlay, self._legend_place, self._label_scale
            )

    def _paint_planned_mark(self, painter: QPainter) -> None:
        """ "PLANNED (simulated)" in the film's top left corner, on the screen and in every export:
        a simulated film must never pass for a radiograph."""
        corner = self._mark_corner()
        if corner is not None:
            self.planned_mark_rect = film_marks.paint_planned_mark(painter, corner, self._label_scale)

    def _static_text(self, text: str) -> QStaticText:
        """Label texts laid out once per size (drawn on every drag event)."""
        key = (text, self._label_scale)
        static = self._texts.get(key)
        if static is None:
            if len(self._texts) > 2000:
                self._texts.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), label_font(self._label_scale))
            self._texts[key] = static
        return static

    @staticmethod
    def _offset_px(placed: PlacedLabel, scene_per_px: float) -> tuple[float, float]:
        cx, cy = placed.box.center
        return ((cx - placed.label.anchor[0]) / scene_per_px, (cy - placed.label.anchor[1]) / scene_per_px)

    def _paint_labels(self, painter: QPainter) -> None:
        transform = painter.worldTransform()
        scale = math.hypot(transform.m11(), transform.m12())
        if scale <= 0.0:
            self.painted_label_rects = []
            return
        placed = self.label_layout(1.0 / scale)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(label_font(self._label_scale))
        rects: list[tuple[str, QRectF]] = []
        for item in placed:
            edges = item.box
            box = transform.mapRect(
                QRectF(edges.left, edges.top, edges.right - edges.left, edges.bottom - edges.top)
            )
            style = item.label.style
            if item.leader is not None:
                painter.setPen(leader_pen(style, self._label_scale))
                painter.drawLine(
                    transform.map(QPointF(*item.leader[0])), transform.map(QPointF(*item.leader[1]))
                )
            painter.fillRect(box, LABEL_BACKGROUND)
            painter.setPen(text_pen(style))
            text = self._static_text(item.label.text)
            size, centre = text.size(), box.center()
            painter.drawStaticText(
                QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), text
            )
            rects.append((item.label.key, box))
        self.painted_label_rects = rects
        painter.restore()


def _same_view(before: object, now: tuple[object, ...]) -> bool:
    """Two layout keys made at one zoom, label size, stage and set of shown things."""
    assert isinstance(before, tuple)
    return before[2:4] == now[2:4] and before[5:8] == now[5:8]


class _StableLayer(QGraphicsItem):
    """The cached part of the overlay; painted just below its parent's live part."""

    def __init__(self, parent: OverlayItem) -> None:
        super().__init__(parent)
        self.owner = parent
        self.primitives: tuple[Primitive, ...] = ()
        self.handles: tuple[Handle, ...] = ()
        self.primitive_set: frozenset[Primitive] = frozenset()
        self.handle_set: frozenset[Handle] = frozenset()
        self.extent: Extent | None = None
        self._bounds = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_content(self, primitives: tuple[Primitive, ...], handles: tuple[Handle, ...]) -> None:
        self.primitives, self.handles = primitives, handles
        self.primitive_set, self.handle_set = frozenset(primitives), frozenset(handles)
        self.extent = extent_of(primitives, handles)
        # Its own bounds, from its own content: when only the live part grows or shrinks (every
        # step of an angle slider on the planned image), this layer's cached pixmap stays valid.
        self.prepareGeometryChange()
        self._bounds = padded(content_rect(self.extent))
        self.drop_cache()

    def drop_cache(self) -> None:
        """Throw the cached pixmap away. ``update()`` alone is not enough: when the layer is much
        larger than the viewport Qt keeps a partial device cache and scrolls it with the view,
        and after new content it kept showing the old picture shifted (the planned view drew the
        unchanged overlay below the bones until the next zoom). Switching the mode purges it."""
        mode = self.cacheMode()
        if mode != QGraphicsItem.CacheMode.NoCache:
            self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            self.setCacheMode(mode)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        paint_layer(painter, self.owner, self.primitives, self.handles)
