"""The radiograph: 8-bit windowed buffers painted with ``drawImage`` (imaging.md B5).

A small pyramid (full, ½, ¼ resolution) is kept. Painting uses the coarsest level that still has
at least one image pixel per screen pixel, and within it only the bands of rows being painted are
(re)windowed: each band remembers the table version it was made with. So a window/level change
costs a table over what is on screen, at fit or at 100 %, never over all 27 Mpx of a full-spine
film; the rest is brought up to date when it is scrolled into view.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QImage, QPainter, QPainterPath, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.imaging import Radiograph, Window
from alignment_planner.imaging.windowing import apply_table, display_table
from alignment_planner.scene.primitives import DisplayGeometry
from ui.canvas.qt_convert import grey_qimage

# Pyramid levels (every n-th pixel). A full-spine film fitted to a screen is drawn from the level
# with just over one pixel per screen pixel: 1/8 for a 9000-row film in an 850-pixel view. Texture
# fetches from a coarser level stay in cache: a rotated fragment fill took 1.2 ms from the 1/4
# level and 0.25 ms from the 1/8 (the slider step, issue 4).
FACTORS = (1, 2, 4, 8, 16)


BAND_ROWS = 128


@dataclass
class _Level:
    factor: int
    stored: npt.NDArray[np.uint8] | npt.NDArray[np.uint16] | None = None
    buffer: npt.NDArray[np.uint8] | None = None
    image: QImage | None = None
    versions: npt.NDArray[np.int64] | None = None  # per band: the table version it was made with
    texture: QImage | None = None  # RGB32 copy for fragment fills, valid for texture_key
    texture_key: tuple[int, int] | None = None


class RadiographItem(QGraphicsItem):
    def __init__(self, radiograph: Radiograph, geometry: DisplayGeometry) -> None:
        super().__init__()
        self.radiograph = radiograph
        self.geometry = geometry
        self.display_window: Window = radiograph.default_window
        self.use_file_lut = radiograph.default_table is not None
        self.inverted = False
        self._levels = [_Level(f) for f in FACTORS]
        self._levels[0].stored = radiograph.stored
        self._table = display_table(radiograph, None if self.use_file_lut else self.display_window, False)
        self._version = 0
        self.first_painted: Callable[[], None] | None = None  # called once, after the first paint
        self.clip: QPainterPath | None = None  # in the planned stage: the part below every cut
        # Painted once per zoom, pan or window change and blitted otherwise: a landmark drag
        # repaints the viewport but must not rescale the film each time (issue 3: ≤ 4 ms).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)  # exposedRect

    def boundingRect(self) -> QRectF:
        return QRectF(
            0,
            0,
            self.radiograph.width * self.geometry.scale_x,
            self.radiograph.height * self.geometry.scale_y,
        )

    # --- window / level -------------------------------------------------------------------------

    def set_window(self, window: Window | None, *, preview: bool = False) -> None:
        """``None`` returns to the file's own VOI LUT (or default window). ``preview`` is accepted
        for the drag gesture; every change already costs only the level on screen."""
        del preview
        self.use_file_lut = window is None and self.radiograph.default_table is not None
        self.display_window = window or self.radiograph.default_window
        self.refresh()

    def set_inverted(self, inverted: bool) -> None:
        self.inverted = inverted
        self.refresh()

    def refresh(self) -> None:
        self._table = display_table(
            self.radiograph, None if self.use_file_lut else self.display_window, self.inverted
        )
        self._version += 1
        self.update()  # the paint windows what it exposes

    def _bring_up_to_date(self, level: _Level, first_row: int = 0, end_row: int | None = None) -> None:
        """Window the bands of ``level`` that hold rows ``first_row`` up to ``end_row``."""
        stored = level.stored
        if stored is None:  # decimated once, on first use (level 0 is the film itself)
            stored = level.stored = self.radiograph.stored[:: level.factor, :: level.factor].copy(order="C")
        rows = stored.shape[0]
        if level.buffer is None or level.versions is None:
            level.buffer = np.empty(stored.shape, dtype=np.uint8)
            level.image = grey_qimage(level.buffer)
            level.versions = np.full(-(-rows // BAND_ROWS), -1, dtype=np.int64)
        end = rows if end_row is None else min(end_row, rows)
        first_band, end_band = max(first_row, 0) // BAND_ROWS, -(-end // BAND_ROWS)
        stale = np.flatnonzero(level.versions[first_band:end_band] != self._version) + first_band
        if stale.size == 0:
            return
        # Runs of neighbouring stale bands in one call each (fewer, larger table applications).
        breaks = np.flatnonzero(np.diff(stale) != 1)
        for run in np.split(stale, breaks + 1):
            top, bottom = int(run[0]) * BAND_ROWS, min((int(run[-1]) + 1) * BAND_ROWS, rows)
            apply_table(self._table, stored[top:bottom], out=level.buffer[top:bottom])
        level.versions[stale] = self._version

    def displayed_pixels(self) -> npt.NDArray[np.uint8]:
        """The 8-bit values at full resolution under the current window (tests, export)."""
        full = self._levels[0]
        self._bring_up_to_date(full)
        assert full.buffer is not None
        return full.buffer

    # --- painting -------------------------------------------------------------------------------

    def _level_for(self, device_scale: float) -> _Level:
        """Coarsest level with at least one image pixel per device pixel."""
        chosen = self._levels[0]
        for level in self._levels:
            if device_scale * self.geometry.scale_x * level.factor <= 1.0:
                chosen = level
        return chosen

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        del widget
        if self.clip is not None:
            painter.setClipPath(self.clip, Qt.ClipOperation.IntersectClip)
        self.paint_image(painter, option)
        if self.first_painted is not None:
            callback, self.first_painted = self.first_painted, None
            QTimer.singleShot(0, callback)  # after this paint has reached the screen

    def texture(self, painter: QPainter, option: QStyleOptionGraphicsItem) -> QBrush:
        """The film as a brush in item coordinates, brought up to date where ``option`` exposes
        it: filling a region's polygon with it is much cheaper than clipping a drawImage."""
        level = self._prepare(painter, option)
        assert level.image is not None and level.versions is not None
        image = level.image
        if level.factor > 1:
            # A rotated texture fill samples RGB32 about a third faster than Grayscale8 (the slider
            # step, issue 4); the coarse levels are small enough to convert once per window change.
            fresh = int(np.count_nonzero(level.versions == self._version))
            key = (self._version, fresh)
            if level.texture is None or level.texture_key != key:
                level.texture, level.texture_key = image.convertToFormat(QImage.Format.Format_RGB32), key
            image = level.texture
        brush = QBrush(image)
        brush.setTransform(
            QTransform.fromScale(self.geometry.scale_x * level.factor, self.geometry.scale_y * level.factor)
        )
        return brush

    def _prepare(self, painter: QPainter, option: QStyleOptionGraphicsItem) -> _Level:
        """The pyramid level for this paint, with the rows it exposes windowed. A cache refresh
        reports the whole item as exposed; what can show is the paint device (a viewport-sized
        cache pixmap) mapped back into item coordinates."""
        scale = math.hypot(painter.worldTransform().m11(), painter.worldTransform().m12())
        level = self._level_for(scale)
        exposed = option.exposedRect.intersected(self.boundingRect())
        device = painter.device()
        inverse, invertible = painter.worldTransform().inverted()
        if device is not None and invertible:
            exposed = exposed.intersected(inverse.mapRect(QRectF(0, 0, device.width(), device.height())))
        rows_per_unit = 1.0 / (self.geometry.scale_y * level.factor)
        first = int(exposed.top() * rows_per_unit) - 1
        end = int(exposed.bottom() * rows_per_unit) + 2
        self._bring_up_to_date(level, first, end)
        return level

    def paint_image(self, painter: QPainter, option: QStyleOptionGraphicsItem) -> None:
        """Draw the film in item coordinates, windowing only the rows that can show."""
        level = self._prepare(painter, option)
        scale = math.hypot(painter.worldTransform().m11(), painter.worldTransform().m12())
        assert level.image is not None
        rotated = abs(painter.worldTransform().m12()) > 1e-9
        painter.setRenderHint(
            QPainter.RenderHint.SmoothPixmapTransform, rotated or scale * level.factor < 1.0
        )
        painter.drawImage(
            self.boundingRect(), level.image, QRectF(0, 0, level.image.width(), level.image.height())
        )
