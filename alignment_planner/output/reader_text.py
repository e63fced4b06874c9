"""Text a surgeon reads carries no internal document references.

The registries keep their sources as data ("clinical.md §3.1 [48][50]": where a definition, a
range or a figure comes from, for those who maintain them); screens, reports and messages show
the words without them. ``for_reader`` is applied where such data meets a reader.
"""

from __future__ import annotations

import functools
import re

# Any project document ("clinical.md §4.6", "docs/clinical-additions.md §3", "README.md").
_DOCUMENT = re.compile(
    r"(?:see\s+)?(?<![\w/])(?:[\w.-]+/)*[\w-]+\.md\b(?:\s*§\s*[\dA-Z][\w.–-]*)?",
    re.IGNORECASE,
)
_ISSUE = re.compile(r"\bissues?\s+\d+\b", re.IGNORECASE)  # the project's issue tracker
_SECTION = re.compile(r"§\s*[\dA-Z][\w.]*")
_CITATION = re.compile(r"(?<!\w)\[\d+[a-z]?\]")  # not an index: "procedures[1]"
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:]*\s*\)")
_LOOSE_PUNCTUATION = re.compile(r"\(\s*[,;]\s*|\s*[,;]\s*\)")
_SPACE_BEFORE = re.compile(r"\s+([.,;:)])")
_SPACES = re.compile(r"[ \t]{2,}")


@functools.lru_cache(maxsize=4096)  # the GUI asks again on every drag for the same texts
def for_reader(text: str) -> str:
    """``text`` without "clinical.md §5.3", "§3.2" or "[48][50]" (and the brackets they leave)."""
    cleaned = _DOCUMENT.sub("", text)
    cleaned = _ISSUE.sub("", cleaned)
    cleaned = _SECTION.sub("", cleaned)
    cleaned = _CITATION.sub("", cleaned)
    for _ in range(3):  # "(, , )" collapses in steps
        cleaned = _LOOSE_PUNCTUATION.sub(lambda m: "(" if "(" in m.group(0) else ")", cleaned)
        cleaned = _EMPTY_BRACKETS.sub("", cleaned)
    cleaned = _SPACE_BEFORE.sub(r"\1", cleaned)
    cleaned = _SPACES.sub(" ", cleaned)
    return "\n".join(line.strip() for line in cleaned.split("\n"))


def has_internal_reference(text: str) -> bool:
    return bool(
        _DOCUMENT.search(text) or _ISSUE.search(text) or _SECTION.search(text) or _CITATION.search(text)
    )
