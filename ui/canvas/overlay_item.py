"""Paints an ``alignment_planner.scene.overlay.Overlay``: one item for all constructions and handles.

Geometry is drawn in scene (display) units with cosmetic pens; labels and landmark handles are drawn
in device pixels at a fixed size, so they stay readable at every zoom (and in exports, where
``label_scale`` sizes them for the output resolution).
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.scene.overlay import Arc, Circle, Handle, Label, Line, Overlay, Polygon, Primitive

STYLE_COLOURS: dict[str, QColor] = {
    "body": QColor(190, 160, 20),  # opaque: blending a long translucent outline costs on a drag
    "endplate": QColor(255, 214, 0),
    "construction": QColor(80, 200, 255),
    "cobb": QColor(255, 140, 0),
    "plumb": QColor(255, 90, 90),
    "pelvis": QColor(0, 225, 140),
    "hip": QColor(0, 225, 140),
    "angle": QColor(80, 200, 255),
    "osteotomy": QColor(255, 80, 200),
    "fusion": QColor(190, 160, 255),
    "annotation": QColor(150, 255, 90),
    "procedure": QColor(110, 235, 225),
}
HANDLE_COLOURS = {
    "femoral_heads": QColor(0, 225, 140),
    "center": QColor(255, 140, 0),
    "osteotomy": QColor(255, 80, 200),
    "annotation": QColor(150, 255, 90),
}
HANDLE_DEFAULT = QColor(255, 214, 0)
HANDLE_RADIUS = 4.5
# This many items that stayed the same but are painted live are worth one re-cache (ten drawn
# measurements are about 70 items: painted live, their labels alone cost ~2 ms per move).
RECACHE_FROM_ITEMS = 24


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
        live = _extent(self._live_primitives, self._live_handles)
        self._set_content_rect(_union(self._stable.extent, live))
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
        # In the overlay's own order, so labels are laid out the same way every time.
        self._live_primitives = tuple(p for p in self.overlay.primitives if p in live_primitives)
        self._live_handles = tuple(h for h in self.overlay.handles if h in live_handles)

    def _set_content_rect(self, extent: _Extent | None) -> None:
        content = _content_rect(extent)
        if content != self._content:
            self.prepareGeometryChange()
            self._content = content
            self._bounds = _padded(content)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        transform = painter.worldTransform()
        below = self._stable.occupied if self._stable.painted_with == _key(transform) else None
        _paint_layer(painter, self, self._live_primitives, self._live_handles, _Occupied(below))
        if self.fast:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)


class _StableLayer(QGraphicsItem):
    """The cached part of the overlay; painted just below its parent's live part."""

    def __init__(self, parent: OverlayItem) -> None:
        super().__init__(parent)
        self.owner = parent
        self.primitives: tuple[Primitive, ...] = ()
        self.handles: tuple[Handle, ...] = ()
        self.primitive_set: frozenset[Primitive] = frozenset()
        self.handle_set: frozenset[Handle] = frozenset()
        self.extent: _Extent | None = None
        self._bounds = QRectF()
        self.occupied = _Occupied()  # where its handles and labels went, for the live part
        self.painted_with: tuple[float, ...] | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_content(self, primitives: tuple[Primitive, ...], handles: tuple[Handle, ...]) -> None:
        self.primitives, self.handles = primitives, handles
        self.primitive_set, self.handle_set = frozenset(primitives), frozenset(handles)
        self.extent = _extent(primitives, handles)
        # Its own bounds, from its own content: when only the live part grows or shrinks (every
        # step of an angle slider on the planned image), this layer's cached pixmap stays valid.
        self.prepareGeometryChange()
        self._bounds = _padded(_content_rect(self.extent))
        self.painted_with = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del option, widget
        self.occupied = _Occupied()
        # Cached in device coordinates: the painter's translation is the cache's, so only the
        # scale is compared when the live layer asks whether this layout still applies.
        self.painted_with = _key(painter.worldTransform())
        _paint_layer(painter, self.owner, self.primitives, self.handles, self.occupied)


_Extent = tuple[float, float, float, float]  # left, top, right, bottom in scene units


def _extent(primitives: tuple[Primitive, ...], handles: tuple[Handle, ...]) -> _Extent | None:
    xs: list[float] = []
    ys: list[float] = []
    for item in primitives:
        if isinstance(item, Line):
            xs += [item.a[0], item.b[0]]
            ys += [item.a[1], item.b[1]]
        elif isinstance(item, Polygon):
            xs += [p[0] for p in item.points]
            ys += [p[1] for p in item.points]
        elif isinstance(item, Circle | Arc):
            xs += [item.center[0] - item.radius, item.center[0] + item.radius]
            ys += [item.center[1] - item.radius, item.center[1] + item.radius]
        else:
            xs.append(item.anchor[0])
            ys.append(item.anchor[1])
    xs += [h.position[0] for h in handles]
    ys += [h.position[1] for h in handles]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _content_rect(extent: _Extent | None) -> QRectF:
    if extent is None:
        return QRectF()
    margin = 200.0
    left, top, right, bottom = extent
    return QRectF(left, top, right - left, bottom - top).adjusted(-margin, -margin, margin, margin)


def _padded(content: QRectF) -> QRectF:
    """Room for labels and handles, which are drawn in device space beside their anchors."""
    margin = max(content.width(), content.height()) * 0.3
    return content.adjusted(-margin, -margin, margin, margin)


def _union(a: _Extent | None, b: _Extent | None) -> _Extent | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _key(transform: QTransform) -> tuple[float, ...]:
    return (round(transform.m11(), 9), round(transform.m22(), 9), round(transform.m12(), 9))


def _pen(style_name: str, scale: float) -> QPen:
    pen = _PENS.get((style_name, scale))
    if pen is None:
        pen = QPen(STYLE_COLOURS[style_name], 1.6 * scale)
        pen.setCosmetic(True)
        if style_name == "construction":
            pen.setStyle(Qt.PenStyle.DashLine)
        _PENS[(style_name, scale)] = pen
    return pen


_PENS: dict[tuple[str, float], QPen] = {}


def _paint_layer(
    painter: QPainter,
    style: OverlayItem,
    primitives: tuple[Primitive, ...],
    handles: tuple[Handle, ...],
    taken: _Occupied,
) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, not style.fast)
    labels: list[Label] = []
    # Hiding the constructions (C) leaves the measurements the user drew.
    shown = primitives if style.show_constructions else [p for p in primitives if p.style == "annotation"]
    if shown:
        # Straight segments are batched per style into one drawLines call: a planned spine moves
        # every outline above the cut on each slider step, so all of them are painted each time.
        segments: dict[str, list[QLineF]] = {}
        curves: list[Circle | Arc] = []
        for item in shown:
            if isinstance(item, Label):
                labels.append(item)
            elif isinstance(item, Line):
                segments.setdefault(item.style, []).append(QLineF(*item.a, *item.b))
            elif isinstance(item, Polygon):
                # Edges as lines: an antialiased drawPolygon costs ~20× as much here (drag bench).
                points = item.points
                batch = segments.setdefault(item.style, [])
                for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
                    batch.append(QLineF(ax, ay, bx, by))
            else:
                curves.append(item)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for style_name, lines in segments.items():
            painter.setPen(_pen(style_name, style.label_scale))
            painter.drawLines(lines)
        for curve in curves:
            painter.setPen(_pen(curve.style, style.label_scale))
            if isinstance(curve, Circle):
                painter.drawEllipse(QPointF(*curve.center), curve.radius, curve.radius)
            else:
                rect = QRectF(
                    curve.center[0] - curve.radius,
                    curve.center[1] - curve.radius,
                    2 * curve.radius,
                    2 * curve.radius,
                )
                painter.drawArc(rect, round(curve.start_deg * 16), round(curve.span_deg * 16))
    _paint_device_space(painter, style, handles, labels, taken)


def _paint_device_space(
    painter: QPainter, style: OverlayItem, handles: tuple[Handle, ...], labels: list[Label], taken: _Occupied
) -> None:
    transform = painter.worldTransform()
    painter.save()
    painter.resetTransform()
    font = QFont()
    font.setPixelSize(max(9, round(12 * style.label_scale)))
    font.setBold(True)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    pad = 3.0 * style.label_scale
    # Handles first (so labels can keep clear of them), labels last (so nothing hides them).
    zoomed_out = transform.m11() < 0.6 and style.label_scale == 1.0
    radius = (3.0 if zoomed_out else HANDLE_RADIUS) * style.label_scale
    outline = QPen(QColor(0, 0, 0), 1.2)
    for handle in handles:
        centre = transform.map(QPointF(*handle.position))
        selected = handle.key == style.selected_key
        colour = HANDLE_COLOURS.get(handle.level, HANDLE_COLOURS.get(handle.point, HANDLE_DEFAULT))
        painter.setPen(outline)
        painter.setBrush(QBrush(QColor(255, 60, 60) if selected else colour))
        r = radius * (1.5 if selected else 1.0)
        painter.drawEllipse(centre, r, r)
        taken.add(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
    for label in labels:
        anchor = transform.map(QPointF(*label.anchor))
        width = metrics.horizontalAdvance(label.text)
        offset = {"centre": width / 2 + pad, "left": width + 2 * pad, "right": 0.0}[label.side]
        box = QRectF(
            anchor.x() - offset,
            anchor.y() - metrics.height() / 2 - pad,
            width + 2 * pad,
            metrics.height() + 2 * pad,
        )
        box = _free_spot(box, taken)
        taken.add(box)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(0, 0, 0, 185)))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(STYLE_COLOURS[label.style].lighter(130))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label.text)
    painter.restore()


class _Occupied:
    """Rectangles already drawn in device space, bucketed by rows of 32 px so a label is only
    checked against its neighbours (a full spine has ~100 handles and ~10 labels per frame)."""

    ROW = 32.0

    def __init__(self, below: _Occupied | None = None) -> None:
        self._rows: dict[int, list[QRectF]] = {}
        self._below = below  # a layer painted underneath, consulted but not changed

    def _span(self, box: QRectF) -> range:
        return range(int(box.top() // self.ROW), int(box.bottom() // self.ROW) + 1)

    def add(self, box: QRectF) -> None:
        for row in self._span(box):
            self._rows.setdefault(row, []).append(box)

    def hits(self, box: QRectF) -> bool:
        if self._below is not None and self._below.hits(box):
            return True
        return any(box.intersects(other) for row in self._span(box) for other in self._rows.get(row, ()))


def _free_spot(box: QRectF, taken: _Occupied) -> QRectF:
    """Move a label box off what is already drawn: alternately below and above, one box height at
    a time (labels anchored near each other, such as SS and SVA at the sacrum, stay legible)."""
    if not taken.hits(box):
        return box
    step = box.height() + 1.0
    for n in range(1, 12):
        for direction in (1, -1):
            moved = box.translated(0, direction * n * step)
            if not taken.hits(moved):
                return moved
    return box
