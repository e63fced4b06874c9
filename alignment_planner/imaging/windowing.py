"""Stored values → 8-bit display through one lookup table (imaging.md B2 step 5, B5).

The table folds the modality LUT, the window (linear, DICOM C.11.2.1.2) and MONOCHROME1 inversion,
so a window/level change costs one table build (< 1 ms) and one ``np.take`` over the image, done in
row bands on two threads (numpy releases the GIL there).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from alignment_planner.imaging.radiograph import Radiograph, Window

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="window-lut")
_BANDS = 8
# Below this many pixels one thread is faster: handing bands to the pool costs GIL switches,
# which another busy thread (decoding, hashing) can stretch to milliseconds each.
_THREADED_FROM = 4_000_000


def linear_table(values: npt.NDArray[np.float64], window: Window, invert: bool) -> npt.NDArray[np.uint8]:
    """DICOM linear VOI: ``((x − (c − 0.5)) / (w − 1) + 0.5)`` clipped to [0, 1], scaled to 0…255."""
    width = max(window.width, 1.0)
    if width <= 1.0:
        scaled = (values > window.center - 0.5).astype(np.float64)
    else:
        scaled = np.clip((values - (window.center - 0.5)) / (width - 1.0) + 0.5, 0.0, 1.0)
    table = np.rint(scaled * 255.0).astype(np.uint8)
    return (255 - table) if invert else table


def display_table(radiograph: Radiograph, window: Window | None, invert: bool) -> npt.NDArray[np.uint8]:
    """The table for the user's window, or the file's own VOI LUT when ``window`` is None and the
    file has one. ``invert`` is the user's inversion on top of MONOCHROME1's."""
    flip = radiograph.invert != invert
    if window is None and radiograph.default_table is not None:
        table = radiograph.default_table
        return (255 - table) if flip else table
    return linear_table(radiograph.value_table, window or radiograph.default_window, flip)


def apply_table(
    table: npt.NDArray[np.uint8],
    stored: npt.NDArray[np.uint8] | npt.NDArray[np.uint16],
    out: npt.NDArray[np.uint8] | None = None,
) -> npt.NDArray[np.uint8]:
    """``table[stored]`` into ``out`` (allocated if None), in row bands on two threads."""
    if out is None:
        out = np.empty(stored.shape, dtype=np.uint8)
    rows = stored.shape[0]
    if rows < 512 or stored.size < _THREADED_FROM:
        np.take(table, stored, out=out)
        return out
    edges = np.linspace(0, rows, _BANDS + 1, dtype=int)

    def band(i: int) -> None:
        np.take(table, stored[edges[i]:edges[i + 1]], out=out[edges[i]:edges[i + 1]])

    list(_POOL.map(band, range(_BANDS)))
    return out


def percentile_window(values: npt.NDArray[np.float64], stored: npt.NDArray[np.generic]) -> Window:
    """A default window from the 0.5–99.5 % range of the image (for files that carry none), from a
    subsample: exact percentiles of 27 Mpx are not worth 300 ms."""
    step = max(1, int(np.sqrt(stored.size / 250_000)))
    sample = values[stored[::step, ::step]]
    low, high = np.percentile(sample, [0.5, 99.5])
    if high <= low:
        low, high = float(values.min()), float(values.max())
    width = max(float(high - low), 1.0)
    return Window(center=float(low) + width / 2.0, width=width)


def squeeze_to_uint16(array: npt.NDArray[np.generic]) -> tuple[npt.NDArray[np.uint16], float, float]:
    """Deep (32-bit or float) data linearly onto 0…65535 for display tables: the indices, and the
    ``low`` value and ``span`` that map an index back (``low + index / 65535 · span``)."""
    low, high = float(np.min(array)), float(np.max(array))
    span = (high - low) or 1.0
    index = np.rint((array.astype(np.float64) - low) / span * 65535.0).astype(np.uint16)
    return index, low, span
