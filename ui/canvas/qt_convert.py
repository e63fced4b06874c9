"""The only numpy ↔ Qt bridge (architecture.md layout)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage


def grey_qimage(buffer: npt.NDArray[np.uint8]) -> QImage:
    """Wrap a C-contiguous (h, w) uint8 array as a Grayscale8 QImage without copying.

    The QImage keeps a reference to the buffer (PySide6 ≥ 6.4, imaging.md B5); we also hang the
    array on the image so the lifetime is explicit. Writing into the array changes the image.
    """
    if buffer.dtype != np.uint8 or buffer.ndim != 2 or not buffer.flags.c_contiguous:
        raise ValueError("expected a C-contiguous 2-D uint8 array")
    height, width = buffer.shape
    image = QImage(buffer.data, width, height, int(buffer.strides[0]), QImage.Format.Format_Grayscale8)
    image.__dict__["_keep"] = buffer
    return image
