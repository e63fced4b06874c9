"""The plan's ``followups`` (contract.md §4.3): each a post-op film with its label, date, image,
calibration, facing and landmarks in the plan's own schemas, validated as strictly as they are.

The plan reader calls ``followups_from`` after its own module has loaded (the field parsers are
shared, so an error in a follow-up's landmarks reads exactly like one in the plan's, prefixed with
``followups[i].``).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from alignment_planner.files import plan_reader as fields
from alignment_planner.files.plan_writer import describe_value
from alignment_planner.plan.model import FollowUp

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FOLLOWUP_KEYS = frozenset({"label", "date", "image", "facing", "landmarks"})


def is_iso_date(text: str) -> bool:
    """``YYYY-MM-DD`` and a real day (``fromisoformat`` alone also takes 20261102 and 2026-W45-1)."""
    if _DATE.fullmatch(text) is None:
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def followups_from(value: Any) -> tuple[FollowUp, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fields._Invalid("followups", f"expected a list, got {describe_value(value)}")
    return tuple(_followup(item, f"followups[{i}]") for i, item in enumerate(value))


def _followup(value: Any, field: str) -> FollowUp:
    obj = fields._object(value, field)
    label = obj.get("label")
    if not isinstance(label, str) or not label.strip():
        raise fields._Invalid(
            f"{field}.label", f'expected a name for this film ("6 weeks"), got {describe_value(label)}'
        )
    date = fields._text(obj.get("date"), f"{field}.date")
    if date is not None and not is_iso_date(date):
        raise fields._Invalid(f"{field}.date", f"expected a date YYYY-MM-DD, got {describe_value(date)}")
    facing = obj.get("facing")
    if facing is not None and facing not in ("left", "right"):
        raise fields._Invalid(f"{field}.facing", f'expected "left" or "right", got {describe_value(facing)}')
    try:
        image = fields._image(obj.get("image"))
        landmarks = fields._landmarks(obj.get("landmarks", {}))
    except fields._Invalid as exc:  # the shared parsers name the plan-level field
        raise fields._Invalid(f"{field}.{exc.field}", exc.message) from None
    return FollowUp(
        label=label, date=date, image=image, facing=facing, landmarks=landmarks,
        extra=fields._extra(obj, FOLLOWUP_KEYS),
    )
