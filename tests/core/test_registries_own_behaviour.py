"""Registries carry behaviour (issue 13 §3): a procedure type's rules are decided in the
procedure registry only, so code elsewhere never branches on a type's name."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from alignment_planner.procedures.registry import PROCEDURE_TYPES, HingeRule

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "alignment_planner" / "procedures" / "registry.py"


def _type_name_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in PROCEDURE_TYPES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


def test_no_code_outside_the_procedure_registry_names_a_procedure_type() -> None:
    sources = [
        p
        for package in ("alignment_planner", "ui", "alignment_planner_launcher")
        for p in (ROOT / package).rglob("*.py")
        if p != REGISTRY
    ]
    found = [hit for p in sources for hit in _type_name_literals(p)]
    assert found == []


def test_every_procedure_type_has_a_hinge_wedge_and_cut_rule() -> None:
    for kind in PROCEDURE_TYPES.values():
        assert kind.hinge_rule in get_args(HingeRule)  # the rules default_hinge implements
        assert callable(kind.wedge_rule.wedge)
        assert callable(kind.cut_rule.axis)


def test_a_parameter_cannot_be_declared_without_its_grading_variability() -> None:
    from alignment_planner.measurements.registry import Parameter

    with pytest.raises(TypeError, match="variability"):
        Parameter("X", "x", "mm", (), lambda s: 0.0, "§1.2", "x")  # type: ignore[call-arg]


def test_lengths_are_graded_by_length_variability_not_cobb_degrees() -> None:
    from alignment_planner.measurements import PARAMETERS

    for parameter in PARAMETERS:
        cobb = "Cobb" in parameter.variability.source or "lordosis" in parameter.variability.source
        assert not (parameter.is_length and cobb), parameter.key


def test_how_a_parameter_is_drawn_is_declared_with_it() -> None:
    from alignment_planner.measurements import PARAMETERS_BY_KEY
    from alignment_planner.measurements.registry import CobbDrawing, PelvicAngleDrawing

    cobbs = {k for k, p in PARAMETERS_BY_KEY.items() if isinstance(p.drawing, CobbDrawing)}
    assert cobbs == {"LL", "TK", "CL"}
    for key in cobbs:  # the drawn endplates are the ones the value is computed from
        drawing = PARAMETERS_BY_KEY[key].drawing
        assert isinstance(drawing, CobbDrawing)
        needed = {r.describe() for r in PARAMETERS_BY_KEY[key].requires}
        for level, side in (drawing.cranial, drawing.caudal):
            assert {f"{level}.post_{side}", f"{level}.ant_{side}"} <= needed
    for key, p in PARAMETERS_BY_KEY.items():
        if isinstance(p.drawing, PelvicAngleDrawing):
            assert f"{p.drawing.level} body centre" in " ".join(r.describe() for r in p.requires), key
    assert PARAMETERS_BY_KEY["PI_LL"].label == "PI−LL" and PARAMETERS_BY_KEY["LL"].label == "LL"
