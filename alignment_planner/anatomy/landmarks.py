"""Landmarks as placed on the radiograph, in image pixels (contract.md §1–2).

These are immutable values: editing a landmark makes a new ``Landmarks`` (see ``with_point``), which
is what undo/redo and the live preview rely on. Geometry never happens here; it happens in the
anatomical frame after :mod:`alignment_planner.anatomy.skeleton` converts these once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, NamedTuple

from alignment_planner.anatomy.levels import CORNERS, LEVEL_INDEX
from alignment_planner.geometry.primitives import Point

_EMPTY: Mapping[str, Any] = MappingProxyType({})

VERTEBRA_POINTS: tuple[str, ...] = (*CORNERS, "center")


@dataclass(frozen=True, slots=True)
class FemoralHead:
    """A femoral head centre; ``radius`` (px) when the head was fitted as a circle."""

    center: Point
    radius: float | None = None
    # Whether the file wrote it as {"center": …} rather than a bare [x, y]; kept for round-trip.
    written_as_object: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


class Vertebra(NamedTuple):
    """Any subset of the four body corners, and an optional explicit body centre.

    A NamedTuple (immutable, like the frozen dataclasses around it) because plan files hold two
    dozen of these and cohort runs read thousands of plans: tuples build twice as fast.
    """

    ant_sup: Point | None = None
    post_sup: Point | None = None
    post_inf: Point | None = None
    ant_inf: Point | None = None
    center: Point | None = None
    extra: Mapping[str, Any] = _EMPTY

    def point(self, name: str) -> Point | None:
        return getattr(self, name)  # type: ignore[no-any-return]

    def present(self) -> tuple[str, ...]:
        return tuple(name for name in VERTEBRA_POINTS if getattr(self, name) is not None)

    def is_empty(self) -> bool:
        return not self.present() and not self.extra


@dataclass(frozen=True, slots=True)
class Landmarks:
    femoral_heads: tuple[FemoralHead, ...] = ()
    vertebrae: Mapping[str, Vertebra] = field(default_factory=lambda: _EMPTY)
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def vertebra(self, level: str) -> Vertebra | None:
        return self.vertebrae.get(level)

    def point(self, level: str, name: str) -> Point | None:
        vertebra = self.vertebrae.get(level)
        return None if vertebra is None else vertebra.point(name)

    def with_point(self, level: str, name: str, value: Point | None) -> Landmarks:
        """A copy with one vertebral point set (or removed with ``None``)."""
        if level not in LEVEL_INDEX:
            raise KeyError(f"unknown level {level!r}")
        if name not in VERTEBRA_POINTS:
            raise KeyError(f"unknown vertebral point {name!r}")
        vertebrae = dict(self.vertebrae)
        changes: dict[str, Any] = {name: value}
        updated = vertebrae.get(level, Vertebra())._replace(**changes)
        if updated.is_empty():
            vertebrae.pop(level, None)
        else:
            vertebrae[level] = updated
        return replace(self, vertebrae=_sorted_levels(vertebrae))

    def with_femoral_heads(self, heads: tuple[FemoralHead, ...]) -> Landmarks:
        return replace(self, femoral_heads=heads)

    def with_head(self, index: int, center: Point, radius: float | None = None) -> Landmarks:
        """Head ``index`` at ``center`` with ``radius`` (px; a fitted circle, written
        ``{"center", "radius"}``), or, past the last head, a new one."""
        heads = list(self.femoral_heads)
        if index < len(heads):
            old = heads[index]
            circle = radius is not None or old.written_as_object
            heads[index] = replace(old, center=center, radius=radius, written_as_object=circle)
        else:
            heads.append(FemoralHead(center, radius, written_as_object=radius is not None))
        return self.with_femoral_heads(tuple(heads))

    def without_head(self, index: int) -> Landmarks:
        return self.with_femoral_heads(tuple(h for i, h in enumerate(self.femoral_heads) if i != index))


def _sorted_levels(vertebrae: Mapping[str, Vertebra]) -> Mapping[str, Vertebra]:
    return MappingProxyType(dict(sorted(vertebrae.items(), key=lambda kv: LEVEL_INDEX[kv[0]])))


def make_landmarks(
    vertebrae: Mapping[str, Vertebra],
    femoral_heads: tuple[FemoralHead, ...] = (),
    extra: Mapping[str, Any] | None = None,
) -> Landmarks:
    """Build ``Landmarks`` with vertebrae ordered cranial → caudal."""
    return Landmarks(
        femoral_heads=femoral_heads,
        vertebrae=_sorted_levels(vertebrae),
        extra=MappingProxyType(dict(extra or {})),
    )
