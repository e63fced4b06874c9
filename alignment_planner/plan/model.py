"""The plan: an immutable value holding everything a plan file holds (contract.md §2).

Edits make new plans (``dataclasses.replace``); undo/redo keeps snapshots. Each object keeps the
unknown optional keys it was read with in ``extra`` so that writing it back loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.calibration.spacing import UNCALIBRATED, Calibration, PixelSpacing
from alignment_planner.geometry.frame import Facing
from alignment_planner.geometry.primitives import Point

_EMPTY: Mapping[str, Any] = MappingProxyType({})

PLAN_FORMAT = "alignment-planner-plan"
PLAN_VERSION = 1


@dataclass(frozen=True, slots=True)
class ImageRef:
    path: str | None = None
    """As written in the file; relative paths are relative to the plan file's folder."""
    sha256: str | None = None
    pixel_spacing: PixelSpacing | None = None
    calibration_source: str | None = None
    calibration_detail: str | None = None
    calibration_extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def resolve(self, plan_folder: Path) -> Path | None:
        if self.path is None:
            return None
        candidate = Path(self.path).expanduser()
        return candidate if candidate.is_absolute() else plan_folder / candidate


@dataclass(frozen=True, slots=True)
class Patient:
    id: str | None = None
    name: str | None = None
    age: float | None = None
    sex: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class Osteotomy:
    """A geometric procedure; ``type`` is a key of ``procedures.PROCEDURE_TYPES``."""

    type: str
    level: str
    angle_deg: float
    hinge: Point | None = None
    """Explicit hinge in pre-operative image pixels; ``None`` uses the type's default."""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def angle_text(self) -> str:
        """The angle as every reader sees it: one decimal ("27.1°", never a solver's 27.1392°)."""
        return f"{self.angle_deg:.1f}°"

    @property
    def summary(self) -> str:
        """"PSO L3 27.1°": the cut in one phrase."""
        return f"{self.type} {self.level} {self.angle_text}"


@dataclass(frozen=True, slots=True)
class Procedure:
    """A non-geometric procedure (fusion, decompression, …); it moves no landmark."""

    type: str
    level: str | None = None
    from_level: str | None = None
    to_level: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def fused_span(self) -> tuple[str, str] | None:
        """``(from, to)`` for a fusion with both ends given (any capitalisation of "fusion"), else
        ``None``: the one test of what a fusion is, for the overlay's bracket and the rod template."""
        if self.type.lower() != "fusion" or not self.from_level or not self.to_level:
            return None
        return self.from_level, self.to_level

    @property
    def existing(self) -> bool:
        """A fusion already present from a previous operation (contract.md §4.1
        ``"status": "existing"``); ``"planned"``, the default, is part of this plan."""
        return self.extra.get("status") == "existing"


@dataclass(frozen=True, slots=True)
class Compensation:
    """Pelvic compensation after the osteotomies (contract.md §2, clinical.md §4.5)."""

    model: str = "none"
    """A key of ``compensation.COMPENSATION_MODELS``."""
    pt_deg: float | None = None
    """Target PT for ``pt_target``; other settings (``formula`` of ``pt_ideal``) are in ``extra``."""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


ANNOTATION_POINTS: Mapping[str, tuple[int, int]] = MappingProxyType({
    "distance": (2, 2), "angle": (3, 3), "cobb": (4, 4), "vertical": (1, 2), "horizontal": (1, 2),
    "text": (1, 1), "arrow": (2, 2),
})
"""Annotation types (contract.md §4.2; vertical, horizontal, arrow are extensions) and how many
points each holds (fewest, most)."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A free measurement or note drawn on the film, in pre-operative pixels (contract.md §4.2).

    ``points``: distance (a, b); angle (arm, vertex, arm); cobb (line 1 a, b, line 2 a, b);
    vertical/horizontal (the point the line goes through, then optionally the point whose offset
    from it is measured); text (where it is); arrow (tail, tip).
    """

    type: str
    points: tuple[Point, ...]
    label: str | None = None
    text: str | None = None
    """The note of a text or arrow annotation."""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A post-operative film of this plan (contract.md §4.3), landmarked and measured like the
    pre-op film, with its own image, calibration and facing."""

    label: str
    date: str | None = None
    """ISO date ``YYYY-MM-DD`` as written; the reader checks it is a real date."""
    image: ImageRef | None = None
    facing: Facing | None = None
    landmarks: Landmarks = field(default_factory=Landmarks)
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def calibration(self) -> Calibration:
        return _calibration(self.image)


@dataclass(frozen=True, slots=True)
class Plan:
    landmarks: Landmarks = field(default_factory=Landmarks)
    image: ImageRef | None = None
    patient: Patient | None = None
    facing: Facing | None = None
    osteotomies: tuple[Osteotomy, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    compensation: Compensation | None = None
    notes: str | None = None
    followups: tuple[FollowUp, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    annotations: tuple[Annotation, ...] = ()
    read_notes: tuple[str, ...] = field(default=(), compare=False)
    """What the reader repaired to make the file usable (said to the user; not part of the file)."""

    @property
    def calibration(self) -> Calibration:
        """The spacing stored in the plan and its provenance; uncalibrated when there is none."""
        return _calibration(self.image)

    @property
    def compensation_or_default(self) -> Compensation:
        return self.compensation or Compensation()


ANNOTATION_FIELDS = frozenset({"annotations", "notes", "read_notes"})
"""What a plan holds beside its geometry: the free measurements drawn on the film and the notes;
no measurement, simulation or construction depends on them."""


def same_but_annotations(a: Plan, b: Plan) -> bool:
    """``b`` is ``a`` with at most its free measurements or notes edited: every other field the
    very same object (an edit keeps what it did not touch), so all derived from ``a``'s geometry
    holds for ``b``. Identity, not equality: cheap enough for every drag event."""
    return all(
        getattr(a, name) is getattr(b, name) for name in _GEOMETRY_FIELDS
    )


def _calibration(image: ImageRef | None) -> Calibration:
    if image is None or image.pixel_spacing is None:
        return UNCALIBRATED
    return Calibration(image.pixel_spacing, image.calibration_source or "plan", image.calibration_detail)


_GEOMETRY_FIELDS = tuple(f.name for f in fields(Plan) if f.name not in ANNOTATION_FIELDS)
