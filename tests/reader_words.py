"""What a reader must never be shown (review C2, C3): internal keys where a reader name exists.

Built from the registries themselves, so a key added later is covered too: parameter keys whose
reader label differs ("PI_LL" → "PI−LL"), landmark keys ("L1.ant_sup"), calibration source keys
("dicom-pixel-spacing"), "deg" as a unit, and bare GAP categories ("12 SD")."""

from __future__ import annotations

import re

from alignment_planner.calibration.sources import SOURCE_WORDS
from alignment_planner.measurements import PARAMETERS

PARAMETER_KEYS = sorted((p.key for p in PARAMETERS if p.label != p.key), key=len, reverse=True)
SOURCE_KEYS = sorted((key for key in SOURCE_WORDS if "-" in key), key=len, reverse=True)

RAW = re.compile(
    "|".join(
        [
            *(rf"(?<![\w−-]){re.escape(key)}(?![\w−-])" for key in PARAMETER_KEYS),
            r"\b(?:[CTLS]\d{1,2}|femoral_heads)\.(?:ant_sup|ant_inf|post_sup|post_inf|center|\d)\b",
            *(rf"(?<![\w-]){re.escape(key)}(?![\w-])" for key in SOURCE_KEYS),
            r"\d\s*deg\b",
            r"\bGAP\b[^\n]*?\b\d+ (?:P|MD|SD)\b",
        ]
    )
)


def raw_keys(text: str) -> list[str]:
    """Every internal key ``text`` shows a reader."""
    return [m.group(0) for m in RAW.finditer(text)]
