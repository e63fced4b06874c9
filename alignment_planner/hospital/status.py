"""DIMSE status codes in words (PS3.7 Annex C), for error messages."""

from __future__ import annotations

from pydicom.dataset import Dataset
from pynetdicom.status import code_to_category

# The codes a PACS commonly answers with; pynetdicom's tables name the rest by category.
KNOWN: dict[int, str] = {
    0x0000: "success",
    0x0107: "attribute list error",
    0x0110: "processing failure",
    0x0111: "duplicate SOP instance",
    0x0112: "no such SOP instance",
    0x0117: "invalid object instance",
    0x0118: "no such SOP class",
    0x0122: "SOP class not supported",
    0x0124: "refused: not authorised",
    0x0210: "duplicate invocation",
    0x0211: "unrecognised operation",
    0xA700: "refused: out of resources",
    0xA701: "refused: out of resources, unable to calculate the number of matches",
    0xA702: "refused: out of resources, unable to perform sub-operations",
    0xA801: "refused: move destination unknown",
    0xA900: "identifier does not match SOP class",
    0xB000: "sub-operations completed with one or more failures",
    0xC000: "unable to process",
    0xFE00: "cancelled",
}


def status_code(status: Dataset) -> int | None:
    value = status.get("Status")
    return None if value is None else int(value)


def describe(code: int, status: Dataset | None = None) -> str:
    words = KNOWN.get(code)
    if words is None:
        words = code_to_category(code).lower()
        if 0xA700 <= code <= 0xA7FF:
            words = "refused: out of resources"
        elif 0xC000 <= code <= 0xCFFF:
            words = "failure: cannot process"
    comment = str(status.get("ErrorComment", "") or "").strip() if status is not None else ""
    return f"0x{code:04X} {words}" + (f" ({comment})" if comment else "")


def is_pending(code: int) -> bool:
    return code in (0xFF00, 0xFF01)


def is_failure(code: int) -> bool:
    return code_to_category(code) == "Failure" or code == 0xFE00
