"""The radiograph: 8-bit windowed buffers painted with ``drawImage`` (imaging.md B5).

A small pyramid (full, ½, ¼ resolution) is kept. Painting uses the coarsest level that still has
at least one image pixel per screen pixel, and a window/level change re-applies the lookup table
only to that level; other levels are brought up to date the first time they are painted. So a
change costs a table over what is on screen, not over all 27 Mpx of a full-spine film.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.imaging import Radiograph, Window
from alignment_planner.imaging.windowing import apply_table, display_table
from alignment_planner.overlay import DisplayGeometry
from ui.qt_convert import grey_qimage

FACTORS = (1, 2, 4)


@dataclass
class _Level:
    factor: int
    stored: npt.NDArray[np.uint8] | npt.NDArray[np.uint16] | None = None
    buffer: npt.NDArray[np.uint8] | None = None
    image: QImage | None = None
    version: int = -1  # the table version its buffer was made with


class RadiographItem(QGraphicsItem):
    def __init__(self, radiograph: Radiograph, geometry: DisplayGeometry) -> None:
        super().__init__()
        self.radiograph = radiograph
        self.geometry = geometry
        self.window: Window = radiograph.default_window
        self.use_file_lut = radiograph.default_table is not None
        self.inverted = False
        self._levels = [_Level(f) for f in FACTORS]
        self._levels[0].stored = radiograph.stored
        self._table = display_table(radiograph, None if self.use_file_lut else self.window, False)
        self._version = 0
        self._shown = self._levels[-1]  # the level painted last: the one to refresh first

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
        self.window = window or self.radiograph.default_window
        self.refresh()

    def set_inverted(self, inverted: bool) -> None:
        self.inverted = inverted
        self.refresh()

    def refresh(self) -> None:
        self._table = display_table(
            self.radiograph, None if self.use_file_lut else self.window, self.inverted
        )
        self._version += 1
        self._bring_up_to_date(self._shown)
        self.update()

    def _bring_up_to_date(self, level: _Level) -> None:
        if level.stored is None:
            level.stored = np.ascontiguousarray(self.radiograph.stored[:: level.factor, :: level.factor])
        if level.buffer is None:
            level.buffer = np.empty(level.stored.shape, dtype=np.uint8)
            level.image = grey_qimage(level.buffer)
        if level.version != self._version:
            apply_table(self._table, level.stored, out=level.buffer)
            level.version = self._version

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
        del option, widget
        scale = abs(painter.worldTransform().m11())
        level = self._level_for(scale)
        self._bring_up_to_date(level)
        self._shown = level
        assert level.image is not None
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale * level.factor < 1.0)
        painter.drawImage(
            self.boundingRect(), level.image, QRectF(0, 0, level.image.width(), level.image.height())
        )
