"""Teaching cases (issue 7 §2): a folder with ``case.json`` (the teaching notes), the expert plan
and its film. ``tools/make_sample_cases.py`` writes the bundled ones in ``sample_cases/``.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.geometry.primitives import Point

CASE_FILE = "case.json"
CASE_FORMAT = "alignment-planner-case"
DIFFICULTIES = ("introductory", "intermediate", "advanced")


class CaseError(AlignmentPlannerError):
    """A teaching case folder that cannot be used; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class TeachingCase:
    id: str
    title: str
    difficulty: str
    summary: str
    notice: tuple[str, ...]
    rationale: str
    alternatives: tuple[str, ...]
    folder: Path
    plan_path: Path
    ball_center: Point | None
    ball_diameter_mm: float | None
    followup_notes: tuple[str, ...] = ()
    """What the case's follow-up film teaches (issue 19 §5): the miss, and why."""

    @property
    def image_path(self) -> Path:
        return self.folder / "image.dcm"

    def notes_text(self) -> str:
        """The teaching notes as plain text (the Practice panel and the case picker show them)."""
        lines = [self.summary, "", "What to notice:"]
        lines += [f"• {item}" for item in self.notice]
        lines += ["", f"Why this plan: {self.rationale}", "", "Alternatives:"]
        lines += [f"• {item}" for item in self.alternatives]
        if self.followup_notes:
            lines += ["", "After surgery (the follow-up film in this plan):"]
            lines += [f"• {item}" for item in self.followup_notes]
        return "\n".join(lines)


def bundled_cases_root() -> Path:
    """``ALIGNMENT_PLANNER_CASES`` if set, else the repository's ``sample_cases``."""
    configured = os.environ.get("ALIGNMENT_PLANNER_CASES")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "sample_cases"


def find_cases(root: Path | None = None, problems: list[str] | None = None) -> list[TeachingCase]:
    """Every case folder under ``root``, introductory first, then by title. Folders without a
    ``case.json`` are not teaching cases. A broken one raises ``CaseError``, or, when ``problems``
    is given, is left out and its message added there (one bad folder hides no other case)."""
    base = root or bundled_cases_root()
    if not base.is_dir():
        return []
    cases = []
    for folder in sorted(base.iterdir()):
        if not (folder / CASE_FILE).is_file():
            continue
        try:
            cases.append(load_case(folder))
        except CaseError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
    order = {name: i for i, name in enumerate(DIFFICULTIES)}
    return sorted(cases, key=lambda c: (order[c.difficulty], c.title))


def load_case(folder: Path) -> TeachingCase:
    path = folder / CASE_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CaseError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != CASE_FORMAT:
        raise CaseError(f'{path}: format: expected "{CASE_FORMAT}"')
    if document.get("version") != 1:
        raise CaseError(f"{path}: version: expected 1, got {document.get('version')!r}")

    def text(field: str) -> str:
        value = document.get(field)
        if not isinstance(value, str) or not value.strip():
            raise CaseError(f"{path}: {field}: expected text")
        return value

    def texts(field: str) -> tuple[str, ...]:
        value = document.get(field)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CaseError(f"{path}: {field}: expected a list of text")
        return tuple(value)

    difficulty = text("difficulty")
    if difficulty not in DIFFICULTIES:
        raise CaseError(f"{path}: difficulty: expected one of {', '.join(DIFFICULTIES)}, got {difficulty!r}")
    plan_path = folder / text("plan")
    if not plan_path.is_file():
        raise CaseError(f"{path}: plan: {plan_path.name} does not exist in {folder}")
    center, diameter = _ball(document.get("calibration_ball"), path)
    return TeachingCase(
        id=text("id"),
        title=text("title"),
        difficulty=difficulty,
        summary=text("summary"),
        notice=texts("notice"),
        rationale=text("rationale"),
        alternatives=texts("alternatives"),
        folder=folder,
        plan_path=plan_path,
        ball_center=center,
        ball_diameter_mm=diameter,
        followup_notes=texts("followup_notes") if "followup_notes" in document else (),
    )


def _ball(value: Any, path: Path) -> tuple[Point | None, float | None]:
    if value is None:
        return None, None
    try:
        x, y = value["center_px"]
        diameter = value["diameter_mm"]
        numbers = [float(x), float(y), float(diameter)]
    except (TypeError, KeyError, ValueError):
        raise CaseError(f"{path}: calibration_ball: expected center_px [x, y] and diameter_mm") from None
    if not all(math.isfinite(n) for n in numbers) or numbers[2] <= 0:
        raise CaseError(f"{path}: calibration_ball: expected finite numbers and a positive diameter")
    return (numbers[0], numbers[1]), numbers[2]
