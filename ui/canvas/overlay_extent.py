"""How much of the scene an overlay covers: the extent of its primitives and handles (scene
units), and the rectangles the overlay item reports to the scene from it."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from alignment_planner.scene.primitives import Arc, Circle, Handle, Line, Polygon, Primitive

Extent = tuple[float, float, float, float]  # left, top, right, bottom in scene units


def extent_of(primitives: tuple[Primitive, ...], handles: tuple[Handle, ...]) -> Extent | None:
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


def content_rect(extent: Extent | None) -> QRectF:
    if extent is None:
        return QRectF()
    margin = 200.0
    left, top, right, bottom = extent
    return QRectF(left, top, right - left, bottom - top).adjusted(-margin, -margin, margin, margin)


def padded(content: QRectF) -> QRectF:
    """Room for labels and handles, which are drawn in device space beside their anchors."""
    margin = max(content.width(), content.height()) * 0.3
    return content.adjusted(-margin, -margin, margin, margin)


def union(a: Extent | None, b: Extent | None) -> Extent | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
