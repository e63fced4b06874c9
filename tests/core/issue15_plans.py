"""Plans shared by the issue 15 tests: the sample cases, and the same spines built without their
expert plans (hand values come from clinical.md and the construction, never from the code)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Compensation, Osteotomy, Plan, Procedure

ROOT = Path(__file__).resolve().parents[2]
FLATBACK_FILE = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"
NORMAL_FILE = ROOT / "sample_cases" / "normal_adult" / "normal_adult.plan.json"


def flatback(*cuts: Osteotomy, model: Compensation | None = None, fusions: tuple[Procedure, ...] = ()) -> Plan:
    """The flatback sample (PI 62°, PT 31°, LL 25°, SVA 137 mm) with only the given cuts."""
    return replace(read_plan(FLATBACK_FILE), osteotomies=cuts, compensation=model, procedures=fusions)


def normal(*cuts: Osteotomy, model: Compensation | None = None) -> Plan:
    """The normal adult sample (PI 52°, PT 13°, LL 57°, SVA −2 mm) with the given cuts."""
    return replace(read_plan(NORMAL_FILE), osteotomies=cuts, compensation=model)


EXISTING_L2_S1 = Procedure("fusion", from_level="L2", to_level="S1", extra={"status": "existing"})
