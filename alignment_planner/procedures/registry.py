"""The procedure registry: every geometric procedure type, defined once (contract.md §2,
clinical.md §3).

Each type says where it is done (a disc or a vertebra), where its default hinge is, what moves, how
its wedge is measured, where its cut divides the film, and its typical correction with the source.
These rules are the only place a type's behaviour is decided: no code outside this module compares
type names. Angles beyond the typical range are warned about, never refused: the surgeon decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alignment_planner.anatomy.levels import LEVEL_INDEX, LEVELS, parse_disc
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import Point, midpoint
from alignment_planner.plan.model import Osteotomy
from alignment_planner.procedures.cuts import AlongDisc, CutRule, ThroughBody
from alignment_planner.procedures.wedge import (
    AnteriorDiscOpening,
    AnteriorWallGain,
    LaminarClosure,
    PosteriorWallClosure,
    VertebralResection,
    Wedge,
    WedgeRule,
)

SiteKind = Literal["disc", "vertebra"]
"""Where a procedure is done: through a disc or through a vertebra."""
HingeRule = Literal["posterior_disc", "anterior_wall", "posterosuperior", "prosthesis"]

TDR_ROTATION_FRACTION = 1.0 / 6.0
"""Where a disc prosthesis rotates: on the disc's mid-line (from the midpoint of its posterior
corners to the midpoint of its anterior corners), this fraction of the way forward, i.e. the
centre of the disc's posterior third (docs/clinical-additions.md §1)."""


@dataclass(frozen=True, slots=True)
class ProcedureType:
    key: str
    name: str
    site: SiteKind
    hinge_rule: HingeRule
    typical_range: tuple[float, float]
    default_angle: float
    wedge_rule: WedgeRule
    """How its wedge (posterior closure or anterior opening) is measured (procedures/wedge.py)."""
    cut_rule: CutRule
    """Where its cut divides the film and which side moves (procedures/cuts.py)."""
    source: str
    caution: str = ""
    """Said whenever the type is planned (e.g. a mobile segment's angle depends on posture)."""
    motion_preserving: bool = False
    """A prosthesis: needs a mobile disc with intact endplates (procedures/conflicts.py)."""
    augments_body: bool = False
    """Fills the vertebral body with cement: excludes resecting that body."""

    @property
    def resects_body(self) -> bool:
        """A wedge or the whole of the vertebral body is removed (PSO, EPSO, VCR)."""
        return self.site == "vertebra" and self.hinge_rule == "anterior_wall"

    def wedge(self, skeleton: Skeleton, osteotomy: Osteotomy, hinge: Point, *, calibrated: bool) -> Wedge:
        """The wedge of ``osteotomy`` (of this type); ``hinge`` in the pre-op anatomical frame."""
        return self.wedge_rule.wedge(skeleton, osteotomy, hinge, calibrated)

    def default_hinge(self, skeleton: Skeleton, level: str) -> Point:
        """The contract.md §2 default hinge, in the skeleton's (anatomical) frame."""
        if self.hinge_rule == "posterior_disc":
            upper, lower = _disc(level)
            return midpoint(skeleton.point(upper, "post_inf"), skeleton.point(lower, "post_sup"))
        if self.hinge_rule == "anterior_wall":
            return midpoint(skeleton.point(level, "ant_sup"), skeleton.point(level, "ant_inf"))
        if self.hinge_rule == "prosthesis":
            upper, lower = _disc(level)
            back = midpoint(skeleton.point(upper, "post_inf"), skeleton.point(lower, "post_sup"))
            front = midpoint(skeleton.point(upper, "ant_inf"), skeleton.point(lower, "ant_sup"))
            f = TDR_ROTATION_FRACTION
            return (back[0] + f * (front[0] - back[0]), back[1] + f * (front[1] - back[1]))
        return skeleton.point(level, "post_sup")

    def hinge_landmarks(self, level: str) -> tuple[str, ...]:
        """The landmarks the default hinge is built from, for messages."""
        if self.hinge_rule == "posterior_disc":
            upper, lower = _disc(level)
            return (f"{upper}.post_inf", f"{lower}.post_sup")
        if self.hinge_rule == "anterior_wall":
            return (f"{level}.ant_sup", f"{level}.ant_inf")
        if self.hinge_rule == "prosthesis":
            upper, lower = _disc(level)
            return (f"{upper}.post_inf", f"{lower}.post_sup", f"{upper}.ant_inf", f"{lower}.ant_sup")
        return (f"{level}.post_sup",)

    def cut_position(self, level: str) -> float:
        """Cranio-caudal position of the cut (larger = more caudal), for caudal-first ordering."""
        if self.site == "disc":
            upper, _lower = _disc(level)
            return LEVEL_INDEX[upper] + 0.5
        return float(LEVEL_INDEX[level])

    def moving_part(self, level: str) -> tuple[frozenset[str], tuple[str, tuple[str, ...]] | None]:
        """What rotates with the part cranial to the cut: whole levels, plus, for a cut through a
        vertebra, that vertebra's superior corners (its explicit centre lies between the two cut
        planes and is handled by the simulation)."""
        if self.site == "disc":
            upper, _lower = _disc(level)
            return frozenset(LEVELS[: LEVEL_INDEX[upper] + 1]), None
        return frozenset(LEVELS[: LEVEL_INDEX[level]]), (level, ("ant_sup", "post_sup"))


def _disc(level: str) -> tuple[str, str]:
    parsed = parse_disc(level)
    if parsed is None:  # validated when the plan is read; reaching here is a programming error
        raise NotMeasurable(f'"{level}" is not a disc level')
    return parsed


PROCEDURE_TYPES: dict[str, ProcedureType] = {
    t.key: t
    for t in (
        ProcedureType(
            "SPO", "Smith-Petersen / Ponte osteotomy (Schwab grade 2)", "disc", "posterior_disc",
            (5.0, 15.0), 10.0, LaminarClosure(), AlongDisc(), "clinical.md §3.1 [48][49], §3.3 step 4",
        ),
        ProcedureType(
            "ACR", "Anterior column realignment (hyperlordotic cage, ALL release)", "disc",
            "posterior_disc", (10.0, 30.0), 20.0, AnteriorDiscOpening(), AlongDisc(),
            "clinical.md §3.1 ACR [47c][57][57b]",
        ),
        ProcedureType(
            "INTERBODY", "Lordotic interbody cage", "disc", "posterior_disc", (0.0, 20.0), 10.0,
            AnteriorDiscOpening(), AlongDisc(),
            "clinical.md §3.1 ACR (10° cages gave 13.1°, 20° cages 18.3°) [57]",
        ),
        ProcedureType(
            "PSO", "Pedicle subtraction osteotomy (Schwab grade 3)", "vertebra", "anterior_wall",
            (25.0, 40.0), 30.0, PosteriorWallClosure("posterior_wall"),
            ThroughBody("superior_endplate"), "clinical.md §3.1 [48][50], §3.2",
        ),
        ProcedureType(
            "EPSO", "Extended PSO / bone-disc-bone osteotomy (Schwab grade 4)", "vertebra",
            "anterior_wall", (35.0, 60.0), 40.0, PosteriorWallClosure("posterior_wall_and_disc_above"),
            ThroughBody("superior_endplate"), "clinical.md §3.1 [48]",
        ),
        ProcedureType(
            "VCR", "Vertebral column resection (Schwab grade 5)", "vertebra", "anterior_wall",
            (25.0, 60.0), 40.0, VertebralResection(), ThroughBody("superior_endplate"),
            "clinical.md §3.1 [50][56][56b]",
        ),
        ProcedureType(
            "KYPHOPLASTY", "Kyphoplasty height restoration", "vertebra", "posterosuperior",
            (0.0, 20.0), 8.0, AnteriorWallGain(), ThroughBody("vertebra_above"),
            "contract.md §2 (hinge); range: the anterior wedge of a compression fracture, no cited "
            "series in clinical.md",
            augments_body=True,
        ),
        ProcedureType(
            "TDR", "Total disc replacement (motion-preserving arthroplasty)", "disc", "prosthesis",
            (0.0, 10.0), 5.0, AnteriorDiscOpening(), AlongDisc(),
            "docs/clinical-additions.md §1: centre of rotation in the posterior third of the disc "
            "[Pearcy & Bogduk 1988][Huang 2003]; segmental lordosis change [Tournier 2007]",
            "a disc prosthesis keeps the segment mobile: its final angle depends on posture and "
            "the planned value is the standing angle the implant is expected to hold "
            "(docs/clinical-additions.md §1)",
            motion_preserving=True,
        ),
    )
}

DEFAULT_PROCEDURE = "PSO"
"""The type the osteotomy panel offers first: the workhorse of fixed sagittal imbalance."""

DEFAULT_SEARCH_TYPES = ("SPO", "PSO")
"""The types ``suggest`` tries unless told otherwise (planning/search.py)."""
