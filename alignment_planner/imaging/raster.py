"""PNG, JPEG and TIFF through Pillow (imaging.md B5: Pillow reads 16-bit PNG exactly as ``I;16``).

Raster files carry no trustworthy physical spacing for radiographs (a DPI tag describes print size),
so they open uncalibrated; the user calibrates on a marker or a known distance.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from alignment_planner.calibration.spacing import UNCALIBRATED
from alignment_planner.errors import ImageLoadError
from alignment_planner.imaging.limits import MAX_PIXELS, describe_size
from alignment_planner.imaging.orientation import open_oriented
from alignment_planner.imaging.radiograph import ImageFormat, Radiograph, Window
from alignment_planner.imaging.raster_source import open_raster
from alignment_planner.imaging.windowing import percentile_window, squeeze_to_uint16
from alignment_planner.safety.quoting import PATH_LIMIT, quoted
from alignment_planner.safety.safe_open import UnsafeInputError

# We enforce our own limit (``limits.py``) before decoding; Pillow's bomb check would otherwise
# raise its own, less specific, error for large but legitimate stitched images.
Image.MAX_IMAGE_PIXELS = None

_FORMATS: dict[str, ImageFormat] = {"PNG": "png", "JPEG": "jpeg", "MPO": "jpeg", "TIFF": "tiff"}


def load_raster(path: Path) -> Radiograph:
    """Load a file whose first bytes already say PNG, JPEG or TIFF."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opened = Image.open(open_raster(path))
    except UnsafeInputError as exc:
        raise ImageLoadError(f"{quoted(str(path), PATH_LIMIT)}: {exc}") from None
    except UnidentifiedImageError:
        raise ImageLoadError(
            f"{path}: starts like a PNG, JPEG or TIFF image but cannot be read: the file is damaged "
            "or truncated"
        ) from None
    except OSError as exc:
        raise ImageLoadError(f"{path}: cannot open: {exc}") from None
    with opened:
        image: Image.Image = opened
        kind = _FORMATS.get(image.format or "")
        if kind is None:
            raise ImageLoadError(f"{path}: {image.format} images are not supported (PNG, JPEG, TIFF, DICOM)")
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ImageLoadError(f"{path}: image size is {width}×{height}")
        if width * height > MAX_PIXELS:
            raise ImageLoadError(f"{path}: {describe_size(width, height)}")
        frames = int(getattr(image, "n_frames", 1) or 1)
        notices = [f"multi-page file ({frames} pages): showing the first page"] if frames > 1 else []
        try:
            image, orientation = open_oriented(image)
            if orientation != 1:
                notices.append(f"orientation tag {orientation}: the image is shown turned as it says")
            mode = image.mode
            if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
                stored = np.asarray(image, dtype=np.uint16)
                bits = 16
            elif mode in ("I", "F"):
                stored, bits = squeeze_to_uint16(np.asarray(image))[0], 16
                notices.append(f"{mode} (32-bit) image scaled to 16 bits for display")
            elif mode == "L":
                stored, bits = np.asarray(image, dtype=np.uint8), 8
            else:
                notices.append(f"{mode} image shown in grey")
                stored, bits = np.asarray(image.convert("L"), dtype=np.uint8), 8
        except (OSError, ValueError, SyntaxError) as exc:
            raise ImageLoadError(f"{path}: the image data is damaged or truncated ({exc})") from None
    stored = np.ascontiguousarray(stored)
    values = np.arange(256 if stored.dtype == np.uint8 else 65536, dtype=np.float64)
    window = Window(127.5, 256.0) if stored.dtype == np.uint8 else percentile_window(values, stored)
    return Radiograph(
        path=path,
        format=kind,
        stored=stored,
        value_table=values,
        default_window=window,
        default_table=None,
        invert=False,
        bits_stored=bits,
        photometric="MONOCHROME2",
        modality=None,
        transfer_syntax=None,
        frames=frames,
        calibration=UNCALIBRATED,
        calibration_kind="uncalibrated",
        notices=tuple(notices),
    )

