"""Golden values: clinical.md §7.1 and the bundled sample cases' ground truth."""

from __future__ import annotations

import pytest

from tests.core.helpers import GOLDEN_LANDMARKS, analyze_doc, plan_doc

# clinical.md §7.1; the landmark coordinates there are rounded to 0.001 px, hence 0.005.
EXPECTED = {"SS": 40.0, "PT": 15.0, "PI": 55.0, "SVA": 30.0, "LL": 55.0, "PI_LL": 0.0,
            "TPA": 13.728, "GT": 16.372, "SSA": 128.628}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_worked_example_7_1(key: str) -> None:
    analysis = analyze_doc(plan_doc(GOLDEN_LANDMARKS, facing="right", image={"pixel_spacing_mm": 1.0}))
    assert analysis.preop.value(key) == pytest.approx(EXPECTED[key], abs=0.005)


def test_worked_example_7_1_mirrored_gives_identical_values() -> None:
    def mirror(value: object) -> object:
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, float) for v in value):
            return [2000.0 - value[0], value[1]]
        if isinstance(value, list):
            return [mirror(v) for v in value]
        if isinstance(value, dict):
            return {k: mirror(v) for k, v in value.items()}
        return value

    spacing = {"pixel_spacing_mm": 1.0}
    right = analyze_doc(plan_doc(GOLDEN_LANDMARKS, image=spacing))
    left = analyze_doc(plan_doc(mirror(GOLDEN_LANDMARKS), image=spacing))  # type: ignore[arg-type]
    assert right.facing == "right" and left.facing == "left"
    for key in EXPECTED:
        assert left.preop.value(key) == pytest.approx(right.preop.value(key), abs=1e-9)
