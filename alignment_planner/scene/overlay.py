"""What to draw over the radiograph, as plain primitives (architecture.md principle 6).

The screen, ``render`` and the PDF paint the same ``Overlay``. Coordinates are *display* units:
image pixels scaled by the relative pixel spacing, so that an anisotropic image is shown at its
physical aspect ratio and drawn angles match the measured ones. Arcs use Qt's convention: degrees
counter-clockwise as seen on screen, from the +x axis.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import Point
from alignment_planner.measurements import PARAMETERS, PARAMETERS_BY_KEY, Measurements
from alignment_planner.measurements.registry import CobbDrawing, PelvicAngleDrawing
from alignment_planner.plan.model import Osteotomy, Plan, same_but_annotations
from alignment_planner.procedures.simulate import initial_hinge
from alignment_planner.procedures.wedge_outline import cut_span, wedge_outline
from alignment_planner.scene.fragments import cut_lines
from alignment_planner.scene.primitives import (
    DEFAULT_HEAD_RADIUS_MM,
    Arc,
    Circle,
    DisplayGeometry,
    Handle,
    Label,
    LabelSide,
    Line,
    Overlay,
    Polygon,
    Primitive,
    Stage,
    screen_angle,
)
from alignment_planner.scene.procedure_marks import procedure_marks


def _span(start: float, end: float) -> float:
    return (end - start + 180.0) % 360.0 - 180.0


ARC_LABEL_SPOTS = (0.5, 0.3, 0.7, 0.15, 0.85, 0.0, 1.0)
"""Where along an angle's arc its label may sit, in order of preference (fractions of the span):
the middle first, never the ends, which lie on rays other arcs share."""


def _on_arc(vertex: Point, radius: float, degrees: float) -> Point:
    """The point of an arc about ``vertex`` at ``degrees`` (Qt's convention: y down on screen)."""
    angle = math.radians(degrees)
    return (vertex[0] + math.cos(angle) * radius, vertex[1] - math.sin(angle) * radius)


@dataclass(slots=True)
class _Constructions:
    """The last overlay's part that the free measurements do not touch, with what it was built
    from: dragging a measurement's point rebuilds the measurements alone (drag budget, 4 ms)."""

    plan: Plan
    analysis: Analysis
    stage: Stage
    items: tuple[Primitive, ...]
    handles: tuple[Handle, ...]
    per_mm: float | None


_last: list[_Constructions] = []  # one entry: the screen's document builds one overlay at a time


def build_overlay(plan: Plan, analysis: Analysis, stage: Stage = "preop") -> Overlay:
    geometry = DisplayGeometry.for_plan(plan)
    last = _last[0] if _last else None
    if (
        last is not None
        and last.analysis is analysis
        and last.stage == stage
        and same_but_annotations(last.plan, plan)
    ):
        items, handles, per_mm = last.items, last.handles, last.per_mm
    else:
        items, handles, per_mm = _constructions(plan, analysis, stage, geometry)
        _last[:] = [_Constructions(plan, analysis, stage, items, handles, per_mm)]
    drawn, drawn_handles = _drawn(plan, analysis, stage, geometry, per_mm)
    return Overlay(items + drawn, handles + drawn_handles, geometry, stage)


def _constructions(
    plan: Plan, analysis: Analysis, stage: Stage, geometry: DisplayGeometry
) -> tuple[tuple[Primitive, ...], tuple[Handle, ...], float | None]:
    """The lines, arcs, labels and landmark handles of the measurements and the plan's cuts."""
    skeleton = analysis.preop_skeleton if stage == "preop" else analysis.postop_skeleton
    measurements = analysis.preop if stage == "preop" else analysis.postop
    handles = _handles(plan.landmarks, geometry) if stage == "preop" else ()
    if skeleton is None or analysis.frame is None:
        return (), handles, None
    builder = _Builder(skeleton, analysis.frame, geometry, measurements, plan)
    builder.build()
    builder.procedures()
    if stage == "preop":
        cuts, hinges = _osteotomy_marks(plan, analysis, geometry)
        builder.items += cuts
        handles += hinges
    return tuple(builder.items), handles, builder.per_mm


def _drawn(
    plan: Plan, analysis: Analysis, stage: Stage, geometry: DisplayGeometry, per_mm: float | None
) -> tuple[tuple[Primitive, ...], tuple[Handle, ...]]:
    """The free measurements (issue 18), drawn on every film; their handles on the pre-op one."""
    if not plan.annotations:
        return (), ()
    # Imported here: annotation_overlay builds on this module's primitives.
    from alignment_planner.scene.annotation_overlay import annotation_overlay

    if per_mm is None:
        spacing = plan.calibration.spacing
        per_mm = 1.0 / min(spacing.row, spacing.column) if spacing else 1.0 / 0.15
    return annotation_overlay(plan, analysis, stage, geometry, per_mm)


def _osteotomy_marks(
    plan: Plan, analysis: Analysis, geometry: DisplayGeometry
) -> tuple[list[Primitive], tuple[Handle, ...]]:
    """On the pre-op image: each cut as a line through its hinge, labelled, and a draggable hinge."""
    items: list[Primitive] = []
    handles: list[Handle] = []
    lines = cut_lines(plan, analysis)
    applied = {id(a.osteotomy): line for a, line in zip(analysis.applied, lines, strict=False)}
    skeleton, frame = analysis.preop_skeleton, analysis.frame
    for index, osteotomy in enumerate(plan.osteotomies):
        line = applied.get(id(osteotomy))
        if line is None or skeleton is None or frame is None:
            continue
        hinge = geometry.to_display(line.point)
        # Across the bone the cut goes through: the front of the body or disc to the back of the
        # laminae, where the wedge ends too (not out through the soft tissue to the skin).
        span = cut_span(skeleton, osteotomy, frame.to_anatomical(line.point))
        if span is None:
            continue
        a, b = (geometry.to_display(frame.to_pixel(end)) for end in span)
        items.append(Line(f"cut:{index}", a, b, "osteotomy"))
        items += _wedge_items(index, osteotomy, analysis, geometry)
        text = f"{osteotomy.type} {osteotomy.level} {osteotomy.angle_deg:.1f}°"
        # Beyond the far end of the cut line, away from the wedge it would otherwise cover.
        side: LabelSide = "left" if b[0] < hinge[0] else "right"
        items.append(Label(f"cut:{index}:label", b, text, "osteotomy", side))
        handles.append(Handle(f"osteotomy.{index}", "osteotomy", "hinge", hinge))
    return items, tuple(handles)


def _wedge_items(
    index: int, osteotomy: Osteotomy, analysis: Analysis, geometry: DisplayGeometry
) -> list[Primitive]:
    """The bone the cut removes (or the gap it opens, with its cage), filled, on the pre-op film."""
    skeleton, frame = analysis.preop_skeleton, analysis.frame
    if skeleton is None or frame is None:
        return []
    try:
        outline = wedge_outline(skeleton, osteotomy, initial_hinge(skeleton, osteotomy, frame))
    except NotMeasurable:
        return []
    if outline is None:
        return []

    def shown(points: tuple[Point, ...]) -> tuple[Point, ...]:
        return tuple(geometry.to_display(frame.to_pixel(p)) for p in points)

    items: list[Primitive] = [Polygon(f"cut:{index}:wedge", shown(outline.outline), "wedge")]
    if outline.cage is not None:
        items.append(Polygon(f"cut:{index}:cage", shown(outline.cage), "osteotomy"))
    return items


def _handles(landmarks: Landmarks, geometry: DisplayGeometry) -> tuple[Handle, ...]:
    handles = [
        Handle(f"femoral_heads.{i}", "femoral_heads", str(i), geometry.to_display(head.center))
        for i, head in enumerate(landmarks.femoral_heads)
    ]
    for level, vertebra in landmarks.vertebrae.items():
        points = tuple(vertebra.point(name) for name in HANDLE_POINTS)
        handles += _vertebra_handles(level, points, geometry)
    return tuple(handles)


HANDLE_POINTS = ("ant_sup", "post_sup", "post_inf", "ant_inf", "center")
BODY_CORNERS = ("post_sup", "ant_sup", "ant_inf", "post_inf")


# Memoised per vertebra: a drag moves one point, so all but one level come back from the cache
# (as the very same objects), which keeps an overlay rebuild well inside the drag budget.
@functools.lru_cache(maxsize=1024)
def _vertebra_handles(
    level: str, points: tuple[Point | None, ...], geometry: DisplayGeometry
) -> tuple[Handle, ...]:
    return tuple(
        Handle(f"{level}.{name}", level, name, geometry.to_display(p))
        for name, p in zip(HANDLE_POINTS, points, strict=True)
        if p is not None
    )


@functools.lru_cache(maxsize=1024)
def _body_items(
    level: str, corners: tuple[Point | None, ...], frame: AnatomicalFrame, geometry: DisplayGeometry
) -> tuple[Primitive, ...]:
    """A vertebral body's outline and endplate lines; ``corners`` in anatomical millimetres."""
    shown = [None if c is None else geometry.to_display(frame.to_pixel(c)) for c in corners]
    post_sup, ant_sup, ant_inf, post_inf = shown
    items: list[Primitive] = []
    if all(c is not None for c in shown):
        items.append(Polygon(f"body:{level}", tuple(shown), "body"))  # type: ignore[arg-type]
    for side, post, ant in (("sup", post_sup, ant_sup), ("inf", post_inf, ant_inf)):
        if post is not None and ant is not None:
            items.append(Line(f"endplate:{level}:{side}", post, ant, "endplate"))
    return tuple(items)


class _Builder:
    def __init__(
        self,
        skeleton: Skeleton,
        frame: AnatomicalFrame,
        geometry: DisplayGeometry,
        measurements: Measurements,
        plan: Plan,
    ) -> None:
        self.s = skeleton
        self.frame = frame
        self.geometry = geometry
        self.m = measurements
        self.plan = plan
        self.items: list[Primitive] = []
        # Display units per mm, for drawing sizes given in millimetres (head circles, offsets).
        spacing = plan.calibration.spacing
        self.per_mm = 1.0 / min(spacing.row, spacing.column) if spacing else self._guess_per_mm()

    def _guess_per_mm(self) -> float:
        """Uncalibrated: judge the scale by anatomy on the film (drawing sizes only, never a
        measurement): an adult S1 endplate is about 45 mm deep, a lumbar body about 40 mm."""
        for level, depth_mm in (("S1", 45.0), ("L5", 44.0), ("L4", 42.0), ("L3", 42.0), ("L1", 38.0)):
            named = self.s.points.get(level, {})
            if "post_sup" in named and "ant_sup" in named:
                length = math.dist(self.d(named["post_sup"]), self.d(named["ant_sup"]))
                if length > 1.0:
                    return length / depth_mm
        return 1.0 / 0.15  # a typical full-spine detector pitch

    def d(self, anatomical: Point) -> Point:
        return self.geometry.to_display(self.frame.to_pixel(anatomical))

    def value(self, key: str, unit: str = "°") -> str:
        value = self.m.value(key)
        if value is None:
            return f"{key} —"
        name = PARAMETERS_BY_KEY[key].label
        return f"{name} {value:.1f}°" if unit == "°" else f"{name} {value:.1f} {unit}"

    def build(self) -> None:
        self._bodies()
        self._femoral_heads()
        self._pelvis()
        # How each parameter is drawn is the registry's (Parameter.drawing), in registry order.
        for parameter in PARAMETERS:
            if isinstance(parameter.drawing, CobbDrawing):
                self._cobb(parameter.key, parameter.drawing.cranial, parameter.drawing.caudal)
        self._plumb_line()
        for parameter in PARAMETERS:
            if isinstance(parameter.drawing, PelvicAngleDrawing):
                self._pelvic_angle(parameter.key, parameter.drawing.level, parameter.drawing.arc_radius)

    # --- non-geometric procedures ----------------------------------------------------------------

    def procedures(self) -> None:
        """A fusion as a bracket beside the fused levels and a rod line through their posterior
        corners (issue 4 §5); every other catalogued procedure as a glyph and label at its level
        (scene/procedure_marks.py)."""
        marks = procedure_marks(self.plan, self.s, self.d, self.per_mm)
        self.items.extend(Line(key, a, b, "procedure") for key, a, b in marks.segments)
        self.items.extend(Circle(key, c, r, "procedure") for key, c, r in marks.rings)
        self.items.extend(Label(key, at, text, "procedure", marks.side) for key, at, text in marks.texts)
        for index, procedure in enumerate(self.plan.procedures):
            ends = procedure.fused_span
            if ends is None:
                continue
            top, bottom = sorted(ends, key=lambda v: LEVEL_INDEX.get(v, 99))
            if top not in LEVEL_INDEX or bottom not in LEVEL_INDEX:
                continue
            fused = LEVELS[LEVEL_INDEX[top] : LEVEL_INDEX[bottom] + 1]
            rod = [
                self.d(self.s.points[level][name])
                for level in fused
                for name in ("post_sup", "post_inf")
                if name in self.s.points.get(level, {})
            ]
            if len(rod) < 2:
                continue
            for i, (a, b) in enumerate(itertools.pairwise(rod)):
                self.items.append(Line(f"fusion:{index}:rod:{i}", a, b, "fusion"))
            # An existing fusion sits further out than a planned one over the same levels, so
            # that the two brackets stay apart; each is labelled beside its own bracket.
            out_mm = 20.0 if procedure.existing else 12.0
            offset = out_mm * self.per_mm * (-1.0 if self.frame.facing == "right" else 1.0)
            xs = [p[0] for p in rod]
            x = (min(xs) if offset < 0 else max(xs)) + offset
            first, last = rod[0], rod[-1]
            tick = -offset * 0.4
            self.items.append(Line(f"fusion:{index}:bracket", (x, first[1]), (x, last[1]), "fusion"))
            self.items.append(Line(f"fusion:{index}:top", (x, first[1]), (x + tick, first[1]), "fusion"))
            self.items.append(Line(f"fusion:{index}:bottom", (x, last[1]), (x + tick, last[1]), "fusion"))
            middle = (x, (first[1] + last[1]) / 2)
            status = "existing" if procedure.existing else "planned"
            side: LabelSide = "left" if offset < 0 else "right"
            self.items.append(
                Label(f"fusion:{index}:label", middle, f"fusion {top}–{bottom} ({status})", "fusion", side)
            )

    # --- vertebrae --------------------------------------------------------------------------------

    def _bodies(self) -> None:
        for level, named in self.s.points.items():
            corners = tuple(named.get(c) for c in BODY_CORNERS)
            self.items += _body_items(level, corners, self.frame, self.geometry)

    def _femoral_heads(self) -> None:
        heads = self.plan.landmarks.femoral_heads
        for i, (head, centre) in enumerate(zip(heads, self.s.heads, strict=False)):
            radius = (
                head.radius * self.geometry.scale_x if head.radius else DEFAULT_HEAD_RADIUS_MM * self.per_mm
            )
            self.items.append(Circle(f"head:{i}", self.d(centre), radius, "hip"))
        if len(self.s.heads) == 2:
            self.items.append(Line("hip:axis", self.d(self.s.heads[0]), self.d(self.s.heads[1]), "hip"))
        if self.s.heads:
            h = self.d(self.s.hip_axis())
            r = 4.0 * self.per_mm
            self.items.append(Line("hip:cross-h", (h[0] - r, h[1]), (h[0] + r, h[1]), "hip"))
            self.items.append(Line("hip:cross-v", (h[0], h[1] - r), (h[0], h[1] + r), "hip"))

    # --- PI / PT / SS (clinical.md §1.2) ----------------------------------------------------------

    def _pelvis(self) -> None:
        try:
            post, ant = self.d(self.s.point("S1", "post_sup")), self.d(self.s.point("S1", "ant_sup"))
        except NotMeasurable:
            return
        length = math.dist(post, ant)
        if length < 1e-6:
            return
        ux, uy = (ant[0] - post[0]) / length, (ant[1] - post[1]) / length
        reach = 0.6 * length
        self.items.append(Line("pelvis:s1", (post[0] - ux * reach, post[1] - uy * reach),
                               (ant[0] + ux * reach, ant[1] + uy * reach), "pelvis"))
        # SS: the endplate against the horizontal through its posterior corner, on the anterior side.
        forward = 1.0 if ant[0] >= post[0] else -1.0
        horizontal = (post[0] + forward * length * 1.3, post[1])
        self.items.append(Line("pelvis:ss-horizontal", post, horizontal, "construction"))
        self._angle_arc("pelvis:ss", post, horizontal, ant, 0.7 * length, self.value("SS"))
        if not self.s.heads:
            return
        hip = self.d(self.s.hip_axis())
        mid = ((post[0] + ant[0]) / 2, (post[1] + ant[1]) / 2)
        # PT: the vertical through the hip axis against hip axis → S1 midpoint.
        up = (hip[0], mid[1])
        self.items.append(Line("pelvis:pt-vertical", hip, up, "construction"))
        self.items.append(Line("pelvis:hip-s1", hip, mid, "pelvis"))
        self._angle_arc("pelvis:pt", hip, up, mid, 0.35 * math.dist(hip, mid), self.value("PT"))
        # PI: the perpendicular to the endplate at its midpoint against S1 midpoint → hip axis.
        normal = (-uy, ux) if (hip[0] - mid[0]) * -uy + (hip[1] - mid[1]) * ux > 0 else (uy, -ux)
        reach_n = math.dist(hip, mid)
        foot = (mid[0] + normal[0] * reach_n, mid[1] + normal[1] * reach_n)
        self.items.append(Line("pelvis:pi-normal", mid, foot, "construction"))
        self._angle_arc("pelvis:pi", mid, foot, hip, 0.25 * reach_n, self.value("PI"))

    def _angle_arc(self, key: str, vertex: Point, a: Point, b: Point, radius: float, text: str) -> None:
        start = screen_angle(vertex, a)
        span = _span(start, screen_angle(vertex, b))
        self.items.append(Arc(key, vertex, radius, start, span, "angle"))
        # On the arc itself, at its middle: PT, TPA and CPA share the hip axis as their vertex,
        # and only a label sitting on its own arc says which of them it names. Where the middle
        # is taken (CPA's and TPA's arcs cross the crowded lumbosacral junction), elsewhere along
        # the same arc, never rings away from it.
        anchor, *along = (_on_arc(vertex, radius, start + span * f) for f in ARC_LABEL_SPOTS)
        self.items.append(Label(key + ":label", anchor, text, "angle", along=tuple(along)))

    # --- Cobb angles with the perpendicular construction ----------------------------------------

    def _cobb(self, key: str, cranial: tuple[str, str], caudal: tuple[str, str]) -> None:
        try:
            ends = [(self.d(self.s.point(level, f"post_{side}")), self.d(self.s.point(level, f"ant_{side}")))
                    for level, side in (cranial, caudal)]
        except NotMeasurable:
            return
        mids = []
        for i, (post, ant) in enumerate(ends):
            length = math.dist(post, ant)
            if length < 1e-6:
                return
            ux, uy = (ant[0] - post[0]) / length, (ant[1] - post[1]) / length
            back = (post[0] - ux * length * 0.5, post[1] - uy * length * 0.5)
            front = (ant[0] + ux * length * 1.2, ant[1] + uy * length * 1.2)
            self.items.append(Line(f"cobb:{key}:{i}", back, front, "cobb"))
            mids.append(((post[0] + ant[0]) / 2, (post[1] + ant[1]) / 2, -uy, ux))
        (x1, y1, dx1, dy1), (x2, y2, dx2, dy2) = mids
        separation = math.dist((x1, y1), (x2, y2))
        denominator = dx1 * dy2 - dy1 * dx2
        label_anchor = ((x1 + x2) / 2, (y1 + y2) / 2)
        if abs(denominator) > 1e-9:
            t = ((x2 - x1) * dy2 - (y2 - y1) * dx2) / denominator
            cross = (x1 + dx1 * t, y1 + dy1 * t)
            if math.dist(cross, label_anchor) < 1.5 * separation:
                self.items.append(Line(f"cobb:{key}:perp0", (x1, y1), cross, "construction"))
                self.items.append(Line(f"cobb:{key}:perp1", (x2, y2), cross, "construction"))
                self._angle_arc(f"cobb:{key}", cross, (x1, y1), (x2, y2), 0.15 * separation, self.value(key))
                return
        self.items.append(Label(f"cobb:{key}:label", label_anchor, self.value(key), "cobb"))

    # --- global balance -------------------------------------------------------------------------

    def _plumb_line(self) -> None:
        try:
            c7 = self.d(self.s.centre("C7"))
            s1 = self.d(self.s.point("S1", "post_sup"))
        except NotMeasurable:
            return
        self.items.append(Line("plumb:c7", c7, (c7[0], s1[1]), "plumb"))
        self.items.append(Line("plumb:offset", s1, (c7[0], s1[1]), "plumb"))
        text = self.value("SVA", "mm") if self.m.value("SVA") is not None else "SVA: uncalibrated"
        # Below the offset line, at its middle, else further along it (it can be 200 mm long).
        below = s1[1] + 8 * self.per_mm
        spots = [(s1[0] + (c7[0] - s1[0]) * f, below) for f in (0.5, 0.3, 0.7, 0.15, 0.85)]
        self.items.append(Label("plumb:label", spots[0], text, "plumb", along=tuple(spots[1:])))

    def _pelvic_angle(self, key: str, level: str, arc_radius: float) -> None:
        try:
            hip = self.d(self.s.hip_axis())
            centre = self.d(self.s.centre(level))
            s1 = self.d(((self.s.point("S1", "post_sup")[0] + self.s.point("S1", "ant_sup")[0]) / 2,
                         (self.s.point("S1", "post_sup")[1] + self.s.point("S1", "ant_sup")[1]) / 2))
        except NotMeasurable:
            return
        self.items.append(Line(f"{key}:ray", hip, centre, "angle"))
        self._angle_arc(f"{key}", hip, centre, s1, arc_radius * math.dist(hip, s1),
                        self.value(key))
