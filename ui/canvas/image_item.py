"""The radiograph: an 8-bit windowed buffer painted with ``drawImage`` (imaging.md B5).

Window/level changes rewrite the buffer through one lookup table (two threads) and repaint; while
the user drags the window, a half-resolution preview is updated instead (4× fewer pixels).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from alignment_planner.imaging import Radiograph, Window
from alignment_planner.imaging.windowing import apply_table, display_table
from alignment_planner.overlay import DisplayGeometry
from ui.qt_convert import grey_qimage


class RadiographItem(QGraphicsItem):
    def __init__(self, radiograph: Radiograph, geometry: DisplayGeometry) -> None:
        super().__init__()
        self.radiograph = radiograph
        self.geometry = geometry
        self.window: Window = radiograph.default_window
        self.use_file_lut = radiograph.default_table is not None
        self.inverted = False
        self._buffer = np.empty(radiograph.stored.shape, dtype=np.uint8)
        self._image = grey_qimage(self._buffer)
        self._preview_stored = np.ascontiguousarray(radiograph.stored[::2, ::2])
        self._preview_buffer = np.empty(self._preview_stored.shape, dtype=np.uint8)
        self._preview_image = grey_qimage(self._preview_buffer)
        self._previewing = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.refresh()

    def boundingRect(self) -> QRectF:
        return QRectF(
            0,
            0,
            self.radiograph.width * self.geometry.scale_x,
            self.radiograph.height * self.geometry.scale_y,
        )

    def set_window(self, window: Window | None, *, preview: bool = False) -> None:
        """``None`` returns to the file's own VOI LUT (or default window)."""
        self.use_file_lut = window is None and self.radiograph.default_table is not None
        self.window = window or self.radiograph.default_window
        self.refresh(preview=preview)

    def set_inverted(self, inverted: bool) -> None:
        self.inverted = inverted
        self.refresh()

    def refresh(self, *, preview: bool = False) -> None:
        table = display_table(self.radiograph, None if self.use_file_lut else self.window, self.inverted)
        if preview:
            apply_table(table, self._preview_stored, out=self._preview_buffer)
        else:
            apply_table(table, self.radiograph.stored, out=self._buffer)
        self._previewing = preview
        self.update()

    def displayed_pixels(self) -> np.ndarray:  # type: ignore[type-arg]
        """The 8-bit values currently shown (full resolution), for tests and export."""
        return self._buffer

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        target = self.boundingRect()
        scale = painter.worldTransform().m11()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1.0 / self.geometry.scale_x)
        if self._previewing:
            image = self._preview_image
        else:
            image = self._image
        painter.drawImage(target, image, QRectF(0, 0, image.width(), image.height()))
        del option, widget


PAN_CURSOR = Qt.CursorShape.ClosedHandCursor
