"""Golden values: clinical.md §7.1 and the bundled sample cases' ground truth."""

from __future__ import annotations

import math

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


# --- Hand geometry for the values §7.1 does not cover (issue 15 §7) ------------------------------
# 1 px = 1 mm, facing right (ant = +x), y down. An endplate with inclination i (clinical.md §0.2:
# + = anterior corner lower) and length L from posterior corner P has its anterior corner at
# P + L·(cos i, sin i) in image coordinates. Explicit centres are placed where stated.


def _endplate(p: tuple[float, float], incl_deg: float, length: float = 40.0) -> list[list[float]]:
    a = (p[0] + length * math.cos(math.radians(incl_deg)), p[1] + length * math.sin(math.radians(incl_deg)))
    return [[p[0], p[1]], [a[0], a[1]]]


def _hand_landmarks() -> dict[str, object]:
    t4 = _endplate((1000.0, 1100.0), 30.0)
    t12 = _endplate((990.0, 1500.0), -10.0)
    t10 = _endplate((995.0, 1400.0), 5.0)
    l2 = _endplate((985.0, 1650.0), 2.0)
    c7 = _endplate((1010.0, 830.0), 20.0, 16.0)
    c2 = _endplate((1020.0, 720.0), -15.0, 16.0)
    t1 = _endplate((1005.0, 860.0), 25.0, 25.0)
    return {
        "femoral_heads": [[995.0, 1998.0], [1005.0, 2002.0]],  # H = (1000, 2000)
        "S1": {"post_sup": [960.0, 1880.0], "ant_sup": [1000.0, 1880.0]},  # S = (980, 1880)
        "T4": {"post_sup": t4[0], "ant_sup": t4[1]},
        "T12": {"post_inf": t12[0], "ant_inf": t12[1]},
        "T10": {"post_sup": t10[0], "ant_sup": t10[1]},
        "L2": {"post_inf": l2[0], "ant_inf": l2[1]},
        "C7": {"post_inf": c7[0], "ant_inf": c7[1], "post_sup": [1010.0, 800.0], "center": [1030.0, 880.0]},
        "C2": {"post_inf": c2[0], "ant_inf": c2[1], "center": [1040.0, 700.0]},
        "T1": {"post_sup": t1[0], "ant_sup": t1[1], "center": [950.0, 1200.0]},
        "T9": {"center": [1100.0, 1400.0]},
    }


HAND_EXPECTED = {
    "TK": 30.0 - (-10.0),  # incl(T4 sup) − incl(T12 inf), kyphosis +
    "TLJ": 5.0 - 2.0,  # incl(T10 sup) − incl(L2 inf)
    "CL": 20.0 - (-15.0),  # incl(C7 inf) − incl(C2 inf), lordosis +
    "T1S": 25.0,  # incl(T1 sup)
    "TS_CL": 25.0 - 35.0,
    "cSVA": 1040.0 - 1010.0,  # C2 centre − C7 posterosuperior corner, anterior +
    # T1SPI = tilt(T1c − H): T1c − H = (−50 ant, 800 up) → atan2(−50, 800)
    "T1SPI": math.degrees(math.atan2(-50.0, 800.0)),  # −3.5763°: T1 behind the hip axis
    "T9SPI": math.degrees(math.atan2(100.0, 600.0)),  # +9.4623°
    # ST = 90 − tilt(C7c − S): C7c − S = (50 ant, 1000 up)
    "ST": 90.0 - math.degrees(math.atan2(50.0, 1000.0)),  # 87.1376°
}


@pytest.mark.parametrize("key", sorted(HAND_EXPECTED))
def test_hand_geometry_golden_values(key: str) -> None:
    analysis = analyze_doc(plan_doc(_hand_landmarks(), facing="right", image={"pixel_spacing_mm": 1.0}))
    assert analysis.preop.value(key) == pytest.approx(HAND_EXPECTED[key], abs=1e-9)


def test_hand_golden_values_numerically() -> None:
    """The same values written as numbers, so a wrong formula above cannot hide a wrong sign."""
    numbers = {"TK": 40.0, "TLJ": 3.0, "CL": 35.0, "T1S": 25.0, "TS_CL": -10.0, "cSVA": 30.0,
               "T1SPI": -3.5763, "T9SPI": 9.4623, "ST": 87.1376}
    for key, value in numbers.items():
        assert HAND_EXPECTED[key] == pytest.approx(value, abs=1e-4), key
