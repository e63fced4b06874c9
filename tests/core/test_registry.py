"""The parameter registry is the single source of truth: its declarations must match behaviour."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.measurements import PARAMETERS, measure_skeleton
from alignment_planner.measurements.registry import BodyCentre, Corner, HipAxis, Parameter
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

CONTRACT_KEYS = {
    "PI", "PT", "SS", "LL", "L4S1", "LDI", "TK", "TLJ", "CL", "T1S", "TS_CL", "SVA", "cSVA",
    "TPA", "CPA", "L1PA", "T4PA", "GT", "PI_LL",
}
CLINICAL = (Path(__file__).resolve().parents[3] / "shared" / "reference" / "clinical.md")


def _full() -> Skeleton:
    spacing = PixelSpacing.isotropic(0.2)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing)
    return Skeleton.from_landmarks(landmarks, AnatomicalFrame(0.2, 0.2, "right"))


def _only(skeleton: Skeleton, requirements: tuple[object, ...], drop: object = None) -> Skeleton:
    points: dict[str, dict[str, tuple[float, float]]] = {}
    heads: tuple[tuple[float, float], ...] = ()
    for requirement in requirements:
        if requirement == drop:
            continue
        if isinstance(requirement, Corner):
            points.setdefault(requirement.level, {})[requirement.name] = (
                skeleton.points[requirement.level][requirement.name]
            )
        elif isinstance(requirement, BodyCentre):
            points.setdefault(requirement.level, {}).update(skeleton.points[requirement.level])
        elif isinstance(requirement, HipAxis):
            heads = skeleton.heads
    return Skeleton(points, heads)


def test_registry_covers_every_contract_key_once() -> None:
    keys = [p.key for p in PARAMETERS]
    assert len(keys) == len(set(keys))
    assert CONTRACT_KEYS <= set(keys)


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.key)
def test_declared_landmarks_are_sufficient(parameter: Parameter) -> None:
    skeleton = _only(_full(), parameter.requires)
    value = measure_skeleton(skeleton, calibrated=True).values[parameter.key]
    assert value.measured, value.reason


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.key)
def test_each_declared_landmark_is_necessary_and_named(parameter: Parameter) -> None:
    for requirement in parameter.requires:
        skeleton = _only(_full(), parameter.requires, drop=requirement)
        value = measure_skeleton(skeleton, calibrated=True).values[parameter.key]
        assert value.value is None
        assert value.reason is not None and requirement.describe() in value.reason


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.key)
def test_each_parameter_cites_an_existing_clinical_section(parameter: Parameter) -> None:
    if not CLINICAL.exists():
        pytest.skip("../shared/reference/clinical.md is not beside this checkout")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)", CLINICAL.read_text(), re.MULTILINE))
    cited = re.findall(r"§(\d+(?:\.\d+)?)", parameter.section)
    assert cited and all(section in headings for section in cited), parameter.section


def test_degenerate_endplate_is_reported_as_such() -> None:
    skeleton = _full()
    s1 = skeleton.points["S1"]
    s1["ant_sup"] = s1["post_sup"]
    values = measure_skeleton(skeleton, calibrated=True).values
    assert values["SS"].value is None
    assert values["SS"].reason and "coincide" in values["SS"].reason
    assert values["PI"].reason and "degenerate" in values["PI"].reason


def test_non_lordotic_spine_has_no_ldi() -> None:
    spec = SpineSpec(segment_lordosis={**SpineSpec().segment_lordosis, "L5-S1": -40.0})
    landmarks = build_landmarks(spec, spacing=PixelSpacing.isotropic(0.2))
    skeleton = Skeleton.from_landmarks(landmarks, AnatomicalFrame(0.2, 0.2, "right"))
    value = measure_skeleton(skeleton, calibrated=True).values["LDI"]
    assert value.value is None and value.reason and "undefined" in value.reason
