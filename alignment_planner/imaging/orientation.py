"""The orientation tag (TIFF tag 274, the same in EXIF): which way the stored pixels face.

Pillow 13 applies a TIFF's orientation itself while decoding, and for orientations 5–8 (the
transposing ones) it gets it wrong: the size is swapped before the strips are decoded, and the
film comes out as two scrambled half-images (issue 16). So the tag is taken out of the image
before decoding (the pixels are then decoded as stored) and applied afterwards with Pillow's
in-memory ``transpose``, which is right for every mode; JPEG and PNG EXIF orientation go the same
way. Landmarks are placed on the oriented image, so every reader (display, anonymised copy) uses
``open_oriented``.
"""

from __future__ import annotations

from PIL import Image

ORIENTATION_TAG = 274

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def take_orientation(image: Image.Image) -> int:
    """The image's orientation (1–8; 1 when absent or invalid), removed from the image so that
    decoding yields the pixels as stored. Call before ``load``."""
    exif = image.getexif()
    value = exif.get(ORIENTATION_TAG, 1)
    exif.pop(ORIENTATION_TAG, None)
    tags = getattr(image, "tag_v2", None)
    if tags is not None:
        value = tags.get(ORIENTATION_TAG, value)
        tags.pop(ORIENTATION_TAG, None)
        # TiffImageFile swapped its size for orientations 5–8 when it read the header; decoding
        # as stored needs the stored size back.
        stored_size = getattr(image, "_tile_size", None)
        if stored_size is not None and hasattr(image, "_size"):
            image._size = stored_size
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def apply_orientation(image: Image.Image, orientation: int) -> Image.Image:
    """A loaded image turned so that its rows and columns are as the orientation tag says."""
    method = _TRANSPOSE.get(orientation)
    return image if method is None else image.transpose(method)


def open_oriented(image: Image.Image) -> tuple[Image.Image, int]:
    """Load an opened image and return it oriented, with the orientation that was applied."""
    orientation = take_orientation(image)
    image.load()
    return apply_orientation(image, orientation), orientation
