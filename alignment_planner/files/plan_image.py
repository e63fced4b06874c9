"""Opening a plan with its image: where the film is, and what happens when it is not the film the
plan was saved with (its sha256 differs, contract.md §2 ``image.sha256``).

One policy, decided here for every caller:

- **Outputs refuse** (``render``, ``report``, the GUI's PDF export of a plan file): a PNG or a PDF
  that prints landmarks on a different film would look authoritative and be wrong, so nothing is
  written and the error says to open the plan, check the landmarks and save it again.
- **The GUI warns** and shows the image: the surgeon is looking at the film and the landmarks
  together, which is exactly how to see whether they still fit; nothing is lost by showing them.

A plan without a recorded sha256 (hand-written, or saved before hashing finished) is taken as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from alignment_planner.errors import AlignmentPlannerError, ImageLoadError
from alignment_planner.imaging import Radiograph, load_radiograph
from alignment_planner.plan.model import Plan

Use = Literal["output", "view"]
"""``output``: a file that shows the film (PNG, PDF); ``view``: the GUI, where the user sees it."""

ON_MISMATCH: dict[Use, Literal["refuse", "warn"]] = {"output": "refuse", "view": "warn"}


class ImageChangedError(AlignmentPlannerError):
    """The plan's image is not the file the plan was saved with (sha256 differs)."""


@dataclass(frozen=True, slots=True)
class PlanImage:
    """A plan's film: the resolved path (``None`` when the plan names no image) and the sha256
    recorded when the plan was saved (``None`` when none was)."""

    path: Path | None
    recorded_sha256: str | None

    def matches(self, digest: str) -> bool:
        """Whether ``digest`` (of the file at ``path``) is the film the plan was saved with; hex
        case is not significant."""
        return self.recorded_sha256 is None or self.recorded_sha256.lower() == digest.lower()

    def judge(self, digest: str, use: Use, *, plan_label: str = "", action: str = "using it") -> str | None:
        """Apply the policy to the file's ``digest``: ``None`` when it is the plan's film; for the
        GUI (``view``) the warning to show; for an output, raise ``ImageChangedError``."""
        if self.path is None or self.matches(digest):
            return None
        if ON_MISMATCH[use] == "warn":
            name = self.path.name
            return f"{name} has changed since this plan was saved (sha256 differs): check the landmarks"
        prefix = f"{plan_label}: " if plan_label else ""
        raise ImageChangedError(
            f"{prefix}image.sha256: {self.path.name} has changed since the plan was saved; "
            f"open the plan, check the landmarks and save it again before {action}"
        )


def plan_image(plan: Plan, plan_folder: Path) -> PlanImage:
    """Where ``plan``'s image is (relative paths are relative to the plan's folder)."""
    if plan.image is None:
        return PlanImage(None, None)
    return PlanImage(plan.image.resolve(plan_folder), plan.image.sha256)


def file_sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def load_image_for_output(plan: Plan, plan_path: Path, *, action: str) -> Radiograph | None:
    """The film of the plan file at ``plan_path`` for an output (PNG, PDF), or ``None`` when the
    plan names no image. Refuses a film that is not the one the plan was saved with; every error
    names the plan file and the field (``image.path``, ``image.sha256``)."""
    image = plan_image(plan, plan_path.resolve().parent)
    if image.path is None:
        return None
    try:
        radiograph = load_radiograph(image.path)
    except ImageLoadError as exc:
        raise AlignmentPlannerError(f"{plan_path}: image.path: {exc}") from None
    if image.recorded_sha256 is not None:
        try:
            digest = file_sha256(image.path)
        except OSError as exc:
            reason = exc.strerror or exc
            raise AlignmentPlannerError(f"{plan_path}: image.path: {image.path}: {reason}") from None
        image.judge(digest, "output", plan_label=str(plan_path), action=action)
    return radiograph
