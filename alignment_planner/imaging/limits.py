"""Image size limit: a header may claim any size; we refuse before allocating (issue 8, bombs)."""

from __future__ import annotations

# 250 Mpx: a 3000×9000 full-spine image is 27 Mpx and EOS images stay under 100 Mpx; beyond this a
# header is far more likely to be hostile or corrupt than a real radiograph.
MAX_PIXELS = 250_000_000


def describe_size(width: int, height: int) -> str:
    return (
        f"the image claims {width}×{height} pixels ({width * height / 1e6:.0f} Mpx); this program "
        f"opens at most {MAX_PIXELS // 1_000_000} Mpx (the file is corrupt or not a radiograph)"
    )
