"""Vertebral level names and their cranio-caudal order (contract.md §2).

Levels run from C2 (most cranial) to S1 (most caudal). A disc, or motion segment, is written
``UPPER-LOWER`` with two adjacent levels, e.g. ``L5-S1``.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final

LEVELS: Final[tuple[str, ...]] = (
    *(f"C{i}" for i in range(2, 8)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    "S1",
)
"""Every level, cranial to caudal."""

LEVEL_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(LEVELS)}
"""Position of a level, 0 = C2 (cranial) … 23 = S1 (caudal)."""

DISCS: Final[tuple[str, ...]] = tuple(f"{a}-{b}" for a, b in pairwise(LEVELS))
"""Every motion segment, cranial to caudal: ``C2-C3`` … ``L5-S1``."""

CORNERS: Final[tuple[str, ...]] = ("ant_sup", "post_sup", "post_inf", "ant_inf")
"""Vertebral body corner names, in the order a user usually clicks them."""

# Something that looks like a level ("l6", "T13", "S2") but is not one is an error, not an
# unknown optional key: a typo here would otherwise silently drop landmarks.
_LEVEL_LIKE = re.compile(r"^[CTLS]\d{1,2}$", re.IGNORECASE)

LEVEL_LIST_TEXT: Final[str] = "C2…C7, T1…T12, L1…L5, S1 (case-sensitive)"


def is_level(name: str) -> bool:
    return name in LEVEL_INDEX


def looks_like_level(name: str) -> bool:
    """True for strings shaped like a level name, valid or not (``L6``, ``t4``)."""
    return bool(_LEVEL_LIKE.match(name))


def parse_disc(name: str) -> tuple[str, str] | None:
    """``"L4-L5"`` → ``("L4", "L5")``; None unless both are levels and adjacent (upper first)."""
    upper, sep, lower = name.partition("-")
    if not sep or upper not in LEVEL_INDEX or lower not in LEVEL_INDEX:
        return None
    if LEVEL_INDEX[lower] != LEVEL_INDEX[upper] + 1:
        return None
    return upper, lower


def describe_bad_disc(name: str) -> str:
    """Why ``name`` is not a disc level, in words a user can act on."""
    upper, sep, lower = name.partition("-")
    if not sep:
        return f'"{name}" is not a disc level; write it as UPPER-LOWER, e.g. "L4-L5"'
    for part in (upper, lower):
        if part not in LEVEL_INDEX:
            return f'"{name}": unknown level "{part}" (levels are {LEVEL_LIST_TEXT})'
    return f'"{name}": {upper} and {lower} are not adjacent levels (upper first, e.g. "L4-L5")'
