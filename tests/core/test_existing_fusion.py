"""Existing fusions (contract.md §4.1; issue 15 §4): no SPO, ACR or interbody at a disc inside a
solid fusion; PSO, EPSO and VCR through the fusion mass remain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.cli.main import main
from alignment_planner.errors import PlanValidationError, ProcedureError
from alignment_planner.files.plan_reader import parse_plan
from alignment_planner.plan.model import Osteotomy, Procedure
from alignment_planner.planning.search import Goal, search
from alignment_planner.procedures.check import check_osteotomy
from tests.core.issue15_plans import EXISTING_L2_S1, FLATBACK_FILE, flatback


@pytest.mark.parametrize("disc", ["L2-L3", "L3-L4", "L4-L5", "L5-S1"])
@pytest.mark.parametrize("kind", ["SPO", "ACR", "INTERBODY"])
def test_disc_procedures_inside_an_existing_fusion_are_refused(kind: str, disc: str) -> None:
    plan = flatback(fusions=(EXISTING_L2_S1,))
    with pytest.raises(ProcedureError, match="existing fusion L2–S1"):
        check_osteotomy(plan, Osteotomy(kind, disc, 10.0))


@pytest.mark.parametrize("cut", [Osteotomy("SPO", "L1-L2", 10.0), Osteotomy("SPO", "T12-L1", 10.0),
                                 Osteotomy("PSO", "L3", 30.0), Osteotomy("EPSO", "L4", 40.0),
                                 Osteotomy("VCR", "L2", 40.0)])
def test_cuts_outside_the_fusion_or_through_its_mass_remain(cut: Osteotomy) -> None:
    check_osteotomy(flatback(fusions=(EXISTING_L2_S1,)), cut)


def test_a_planned_fusion_does_not_block() -> None:
    planned = Procedure("fusion", from_level="L2", to_level="S1")
    check_osteotomy(flatback(fusions=(planned,)), Osteotomy("SPO", "L4-L5", 10.0))


def test_suggest_never_proposes_a_disc_cut_inside_the_fusion() -> None:
    """Issue example: the flatback got "SPO L5-S1 15° + SPO L4-L5 15°", impossible in its fusion."""
    plan = flatback(fusions=(EXISTING_L2_S1,))
    options = search(plan, [Goal("SVA", None, 40.0), Goal("PI_LL", None, 10.0)], limit=10)
    assert options
    for option in options:
        for cut in option.osteotomies:
            assert not (cut.type == "SPO" and cut.level in ("L2-L3", "L3-L4", "L4-L5", "L5-S1")), option.describe()


def test_solve_exits_2_naming_the_fusion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(FLATBACK_FILE.read_text())
    document["procedures"] = [{"type": "fusion", "from": "L2", "to": "S1", "status": "existing"}]
    document["osteotomies"] = []
    document["image"]["path"] = str(FLATBACK_FILE.parent / "image.dcm")
    path = tmp_path / "fused.json"
    path.write_text(json.dumps(document))
    assert main(["solve", str(path), "--type", "SPO", "--level", "L4-L5", "--target", "PI_LL=10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "existing fusion L2–S1" in err and err.count("\n") == 1


def test_a_plan_with_a_disc_cut_inside_an_existing_fusion_is_warned_about() -> None:
    analysis = analyze(flatback(Osteotomy("SPO", "L4-L5", 10.0), fusions=(EXISTING_L2_S1,)))
    assert any("existing fusion L2–S1" in w for w in analysis.warnings)


def test_fusion_status_is_validated_and_kept() -> None:
    document = json.loads(FLATBACK_FILE.read_text())
    document["procedures"] = [{"type": "fusion", "from": "L2", "to": "S1", "status": "old"}]
    with pytest.raises(PlanValidationError, match=r"procedures\[0\]\.status"):
        parse_plan(json.dumps(document))
    document["procedures"][0]["status"] = "existing"
    assert parse_plan(json.dumps(document)).procedures[0].existing
