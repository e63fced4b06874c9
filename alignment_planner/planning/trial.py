"""Fast "what if" evaluation of extra osteotomies on top of a plan, for the solver and the planner.

The plan's own cuts are applied once. An extra cut N is then applied on top, about its hinge
carried by every cut caudal to it (the plan's and earlier extras'), which gives exactly what
``analyze`` gives for the plan with N added (clinical.md §3.3 step 4: composing rotations about
carried hinges is independent of the order of processing). Only the levels the requested
parameters and the compensation model need are moved, so one evaluation costs tens of µs.
The solver's tests check every result against ``analyze``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from alignment_planner.analysis.pipeline import Analysis, Analyzer
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.errors import ProcedureError
from alignment_planner.geometry.primitives import Point
from alignment_planner.geometry.transforms import Rigid2D
from alignment_planner.measurements import PARAMETERS_BY_KEY, Parameter
from alignment_planner.plan.model import Osteotomy, Plan
from alignment_planner.procedures.check import check_osteotomy
from alignment_planner.procedures.compensation import TRUNK_PITCH_LEVELS, compensation_rotation
from alignment_planner.procedures.conflicts import osteotomy_conflict
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.simulate import (
    apply_compensation,
    apply_osteotomies,
    initial_hinge,
    rotate_segment,
)

# What the compensation models read (PT: S1 and the heads; the Yamato regression: LL from L1; the
# release bound: the trunk's pelvic angles).
_COMPENSATION_LEVELS = frozenset({"S1", "L1"}) | TRUNK_PITCH_LEVELS


@dataclass(frozen=True, slots=True)
class Site:
    """Where an extra cut goes: its type, level and hinge before anything moves."""

    type: str
    level: str
    hinge: Point  # pre-op anatomical frame
    position: float  # cranio-caudal (larger = more caudal)
    hinge_px: Point | None = None  # an explicit hinge as the user gave it (pre-op pixels)


@dataclass(frozen=True, slots=True)
class TrialState:
    skeleton: Skeleton
    done: tuple[tuple[float, Rigid2D], ...]
    """Extra cuts applied so far: position and rotation as applied (hinge carried)."""


class Trial:
    """A plan's state after its own cuts, ready for extra cuts to be tried on top."""

    def __init__(self, plan: Plan, keys: Iterable[str]) -> None:
        self.plan = plan
        self.analyzer = Analyzer()  # the plans tried share these landmarks: their pre-op is reused
        self.analysis: Analysis = self.analyzer.analyze(plan)
        if self.analysis.frame is None or self.analysis.preop_skeleton is None:
            reason = self.analysis.warnings[0] if self.analysis.warnings else "no landmarks"
            raise ProcedureError(f"cannot simulate: {reason}")
        self.frame = self.analysis.frame
        self.preop: Skeleton = self.analysis.preop_skeleton
        self.parameters: tuple[Parameter, ...] = tuple(PARAMETERS_BY_KEY[k] for k in keys)
        for parameter in self.parameters:
            if parameter.is_length and not self.analysis.calibration.calibrated:
                raise ProcedureError(f"{parameter.key} is a length and the image is uncalibrated")
        try:
            base, applied = apply_osteotomies(self.preop, plan.osteotomies, self.frame)
        except NotMeasurable as exc:
            raise ProcedureError(exc.reason) from None
        # The plan's cuts as applied (hinges already carried), caudal first, with their positions.
        self._plan_cuts = [
            (PROCEDURE_TYPES[a.osteotomy.type].cut_position(a.osteotomy.level),
             Rigid2D.rotation_about(a.hinge, a.osteotomy.angle_deg))
            for a in applied
        ]
        needed = set(_COMPENSATION_LEVELS)
        for parameter in self.parameters:
            needed.update(r.level for r in parameter.requires if hasattr(r, "level"))
        self._needed = needed
        self.base = _reduced(base, needed)
        self._carried: dict[Site, Rigid2D] = {}  # per site: the plan's cuts caudal to it
        self.compensation = plan.compensation_or_default

    def site(self, type_key: str, level: str, hinge_px: Point | None = None) -> Site:
        """Validate an extra cut (``ProcedureError`` naming the problem) and locate its hinge."""
        probe = Osteotomy(type_key, level, 0.0, hinge_px)
        check_osteotomy(self.plan, probe)
        conflict = osteotomy_conflict(self.plan, probe)
        if conflict is not None:
            raise ProcedureError(conflict)
        kind = PROCEDURE_TYPES[type_key]
        try:
            hinge = initial_hinge(self.preop, probe, self.frame)
        except NotMeasurable as exc:
            raise ProcedureError(exc.reason) from None
        return Site(type_key, level, hinge, kind.cut_position(level), hinge_px)

    def evaluate(self, cuts: Sequence[tuple[Site, float]]) -> dict[str, float]:
        """Requested parameters after the plan plus ``cuts`` (site, angle), with compensation.
        Raises ``NotMeasurable`` when one cannot be computed."""
        state = self.start()
        for site, angle in sorted(cuts, key=lambda c: -c[0].position):
            state = self.cut(state, site, angle)
        return self.measure(state)

    def start(self) -> TrialState:
        return TrialState(self.base, ())

    def cut(self, state: TrialState, site: Site, angle: float) -> TrialState:
        """``state`` with one more cut; cuts must be added caudal first."""
        if state.done and state.done[-1][0] < site.position:
            raise ValueError("extra cuts are added caudal first")
        carried = self._carried.get(site)
        if carried is None:
            carried = Rigid2D()
            for position, rotation in self._plan_cuts:
                if position >= site.position:
                    carried = carried.then(rotation)
            self._carried[site] = carried
        for position, rotation in state.done:
            if position >= site.position:
                carried = carried.then(rotation)
        hinge = carried.apply(site.hinge)
        skeleton = rotate_segment(state.skeleton, site.type, site.level, hinge, angle)
        return TrialState(skeleton, (*state.done, (site.position, Rigid2D.rotation_about(hinge, angle))))

    def measure(self, state: TrialState) -> dict[str, float]:
        phi, _label = compensation_rotation(self.preop, state.skeleton, self.compensation)
        skeleton = apply_compensation(state.skeleton, phi)
        return {p.key: p.compute(skeleton) for p in self.parameters}

    def with_cuts(self, cuts: Sequence[tuple[Site, float]]) -> Plan:
        """The plan with the extra cuts added (explicit hinges kept as given)."""
        added = tuple(Osteotomy(s.type, s.level, round(angle, 6), s.hinge_px) for s, angle in cuts)
        return replace(self.plan, osteotomies=self.plan.osteotomies + added)


def _reduced(skeleton: Skeleton, levels: set[str]) -> Skeleton:
    return Skeleton({k: v for k, v in skeleton.points.items() if k in levels}, skeleton.heads)
