"""Non-geometric procedures on the film (issue 21 §3–4): a compact glyph at the level, behind the
bodies where the canal and the posterior elements are, and a label (the catalogue's tag, where,
and its options) in a column in front of the spine, joined to the front of its level by a leader.

- at a disc (discectomy, foraminotomy, …): a short tick from the back of the disc, backwards;
- over several levels (a multilevel decompression): a line along the posterior walls;
- at a vertebra (laminectomy, vertebroplasty): a tick from the middle of the posterior wall, or,
  for cement, a ring in the middle of the body;
- on a spinous process (spinoplasty): a line where the process lies behind the vertebra, crossed
  at its tip for a partial resection.

Fusions are drawn by the overlay itself (bracket and rod). Positions are computed in the
anatomical frame (x anterior, y cranial) and handed back through ``to_display``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from alignment_planner.anatomy.levels import LEVEL_INDEX, parse_disc
from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.geometry.primitives import Point, midpoint
from alignment_planner.plan.model import Plan, Procedure
from alignment_planner.procedures.catalogue import CatalogueEntry, entry_for, reading_order, where_text

SPINOUS_PROCESS_MM = (22.0, 45.0)
"""Where a lumbar spinous process lies behind the posterior wall of its body: from the lamina
to the tip (drawing only; no landmark records it)."""
TICK_MM = 10.0
LABEL_GAP_MM = 30.0
"""Labels stand in front of the vertebral bodies, where a lateral film has room (the back of the
film is often collimated close to the skin), each joined to the front of its level by a leader."""
LABEL_SPACING_MM = 30.0
"""Vertical room per label: a 12-px label (21 px with its box) on a full-spine film (~1000 mm)
fitted to a laptop screen (~740 px) is about 28 mm tall; closer labels are spread (drawing only)."""

_SHORT = {"microscopic": "micro", "endoscopic": "endo", "percutaneous": "perc", "open": "open",
          "left": "L", "right": "R", "bilateral": "bilat", "reshape": "reshape",
          "partial_resection": "resection"}

Segment = tuple[str, Point, Point]
Ring = tuple[str, Point, float]
Text = tuple[str, Point, str]


@dataclass(frozen=True, slots=True)
class Marks:
    """What to draw, in display coordinates; ``side`` is where the labels lie from their anchors
    (the posterior side of the film: left for a patient facing right)."""

    segments: list[Segment]
    rings: list[Ring]
    texts: list[Text]
    side: Literal["left", "right"]


def procedure_marks(plan: Plan, s: Skeleton, to_display: Callable[[Point], Point], per_mm: float) -> Marks:
    """Glyphs, leader lines and labels for every catalogued non-fusion procedure whose level is
    placed, cranial to caudal. Labels stand in a column behind the spine, spread so that they do
    not overlap, each joined to its glyph by a leader line."""
    segments: list[Segment] = []
    rings: list[Ring] = []
    placed: list[tuple[str, Point, Point, str]] = []  # key, leader start, label anchor, text
    mm = _mm_in_frame(s, to_display, per_mm)
    for index in reading_order(plan.procedures):
        procedure = plan.procedures[index]
        entry = entry_for(procedure.type)
        if entry is None or entry.fuses:
            continue
        key = f"procedure:{index}"
        drawn = _glyph(procedure, entry, s, mm, key)
        if drawn is None:
            continue
        lines, ring, levels = drawn
        front = _front_point(s, levels)
        if front is None:
            continue
        segments.extend((k, to_display(a), to_display(b)) for k, a, b in lines)
        if ring is not None:
            rings.append((f"{key}:ring", to_display(ring[0]), ring[1] * per_mm))
        label_at = (front[0] + LABEL_GAP_MM * mm, front[1])
        placed.append((key, to_display(front), to_display(label_at), label_text(procedure, entry)))
    texts = _spread([(f"{key}:label", at, words) for key, _s, at, words in placed], LABEL_SPACING_MM * per_mm)
    for (key, start, _at, _words), (_key, at, _text) in zip(placed, texts, strict=True):
        segments.append((f"{key}:leader", start, at))
    origin, ahead = to_display((0.0, 0.0)), to_display((1.0, 0.0))
    return Marks(segments, rings, texts, "right" if ahead[0] > origin[0] else "left")


def _spread(texts: list[Text], gap: float) -> list[Text]:
    """Keep labels at least ``gap`` apart vertically (display y grows caudally): a crowded run is
    centred on its levels so that no label drifts far from its own; the order stays cranial to
    caudal. Returned in the order given."""
    order = sorted(range(len(texts)), key=lambda i: texts[i][1][1])
    runs: list[list[Text]] = []
    for i in order:
        text = texts[i]
        if runs and text[1][1] - runs[-1][-1][1][1] < gap:
            runs[-1].append(text)
        else:
            runs.append([text])
    spread: list[Text] = []
    for run in runs:
        middle = sum(t[1][1] for t in run) / len(run)
        first = middle - gap * (len(run) - 1) / 2
        if spread:
            first = max(first, spread[-1][1][1] + gap)
        spread.extend((key, (at[0], first + n * gap), words) for n, (key, at, words) in enumerate(run))
    result = list(texts)
    for position, i in enumerate(order):
        result[i] = spread[position]
    return result


def label_text(procedure: Procedure, entry: CatalogueEntry) -> str:
    """The compact film label: tag, where, options (``µD L4-L5 endo L``)."""
    parts = [entry.glyph, where_text(procedure)]
    for option in entry.options:
        value = procedure.extra.get(option.key)
        if isinstance(value, str):
            parts.append(_SHORT.get(value, value))
        elif option.kind == "number" and isinstance(value, int | float):
            parts.append(f"{float(value):g} {option.unit}")
    return " ".join(p for p in parts if p)


def _mm_in_frame(s: Skeleton, to_display: Callable[[Point], Point], per_mm: float) -> float:
    """Frame units per millimetre (the frame is in mm on a calibrated film, else in pixels)."""
    origin, unit = to_display((0.0, 0.0)), to_display((1.0, 0.0))
    display_per_unit = ((unit[0] - origin[0]) ** 2 + (unit[1] - origin[1]) ** 2) ** 0.5
    return per_mm / display_per_unit if display_per_unit > 0 else 1.0


_Drawn = tuple[list[Segment], tuple[Point, float] | None, tuple[str, ...]]
"""Glyph segments, a ring (centre, radius in mm), and the levels the label points at."""


def _glyph(procedure: Procedure, entry: CatalogueEntry, s: Skeleton, mm: float, key: str) -> _Drawn | None:
    def back(p: Point, by_mm: float) -> Point:
        return (p[0] - by_mm * mm, p[1])

    if procedure.from_level and procedure.to_level:
        ends = sorted((procedure.from_level, procedure.to_level), key=_position)
        top, bottom = _canal_point(s, ends[0]), _canal_point(s, ends[1])
        if top is None or bottom is None:
            return None
        a, b = back(top, TICK_MM * 0.5), back(bottom, TICK_MM * 0.5)
        return [(f"{key}:span", a, b)], None, (ends[0], ends[1])
    level = procedure.level
    if level is None:
        return None
    if entry.targets == ("spinous_process",):
        wall = _canal_point(s, level)
        if wall is None:
            return None
        near, far = back(wall, SPINOUS_PROCESS_MM[0]), back(wall, SPINOUS_PROCESS_MM[1])
        lines = [(f"{key}:process", near, far)]
        if procedure.extra.get("action") == "partial_resection":
            cut = back(wall, SPINOUS_PROCESS_MM[1] - 6.0)
            lines.append((f"{key}:cut", (cut[0], cut[1] + 5 * mm), (cut[0], cut[1] - 5 * mm)))
        return lines, None, (level,)
    if entry.augments_body:
        if not s.has_centre(level):
            return None
        return [], (s.centre(level), 6.0), (level,)
    point = _canal_point(s, level)
    if point is None:
        return None
    return [(f"{key}:tick", point, back(point, TICK_MM))], None, (level,)


def _front_point(s: Skeleton, levels: tuple[str, ...]) -> Point | None:
    """The front of the level (or the middle of the span's ends), where the leader starts."""
    points = []
    for level in levels:
        disc = parse_disc(level)
        upper, lower = disc if disc else (level, level)
        first, second = ("ant_inf", "ant_sup") if disc else ("ant_sup", "ant_inf")
        if s.has_point(upper, first) and s.has_point(lower, second):
            points.append(midpoint(s.point(upper, first), s.point(lower, second)))
        elif lower == "S1" and s.has_point("S1", "ant_sup"):
            points.append(s.point("S1", "ant_sup"))
        else:
            return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _position(level: str) -> float:
    disc = parse_disc(level)
    return LEVEL_INDEX[disc[0]] + 0.5 if disc else float(LEVEL_INDEX.get(level, 99))


def _canal_point(s: Skeleton, level: str) -> Point | None:
    """The back of a disc (between the posterior corners) or of a body (its posterior wall)."""
    disc = parse_disc(level)
    upper, lower = disc if disc else (level, level)
    first, second = ("post_inf", "post_sup") if disc else ("post_sup", "post_inf")
    if s.has_point(upper, first) and s.has_point(lower, second):
        return midpoint(s.point(upper, first), s.point(lower, second))
    if lower == "S1" and s.has_point("S1", "post_sup"):
        return s.point("S1", "post_sup")
    return None
