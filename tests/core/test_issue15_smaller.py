"""Issue 15 §6: Roussouly 3AP only in the type-3 SS range, SPO closure radius by region, VCR
reports its resected height."""

from __future__ import annotations

import math

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.measurements import PARAMETERS, Measurements, Value
from alignment_planner.plan.model import Osteotomy
from alignment_planner.targets.classify import classify
from tests.core.issue15_plans import flatback


def _m(**values: float) -> Measurements:
    return Measurements({p.key: Value(values.get(p.key)) for p in PARAMETERS}, {})


@pytest.mark.parametrize(
    ("ss", "pi", "pt", "kind"),
    [(40.0, 45.0, 3.0, "3AP"), (35.0, 37.0, 2.0, "3AP"), (44.9, 48.0, 3.1, "3AP"),
     (46.0, 47.0, 1.0, "4"), (45.0, 48.0, 3.0, "3"), (40.0, 52.0, 3.0, "3"), (40.0, 45.0, 6.0, "3")],
)
def test_roussouly_3ap_is_a_type_3_variant(ss: float, pi: float, pt: float, kind: str) -> None:
    """clinical.md §2.7 [28]: 3AP (PI < 50, PT < 5) only for 35 ≤ SS < 45; SS > 45 is type 4."""
    assert classify(_m(SS=ss, PI=pi, PT=pt), None).roussouly == kind


@pytest.mark.parametrize(
    ("disc", "radius"), [("C5-C6", 57.3 / 2.0), ("T6-T7", 43.0), ("L4-L5", 57.3), ("L5-S1", 57.3)]
)
def test_spo_closure_radius_by_region(disc: str, radius: float) -> None:
    """clinical.md §3.2: 57.3 mm (1 mm per degree) is lumbar; cervical about half."""
    (wedge,) = analyze(flatback(Osteotomy("SPO", disc, 10.0))).wedges
    assert wedge.mm == pytest.approx(2.0 * radius * math.tan(math.radians(5.0)), abs=1e-9)


def test_vcr_reports_its_resected_height_not_a_pso_closure() -> None:
    """A VCR removes L3 with the discs above and below: from L2's posteroinferior corner to L4's
    posterosuperior corner, 0.4 mm per pixel on this film."""
    plan = flatback(Osteotomy("VCR", "L3", 40.0))
    (wedge,) = analyze(plan).wedges
    lm = plan.landmarks.vertebrae
    expected = math.dist(lm["L2"].post_inf, lm["L4"].post_sup) * 0.4  # type: ignore[arg-type]
    assert wedge.kind == "resection" and wedge.mm == pytest.approx(expected, abs=1e-6)
    assert wedge.describe().startswith("resected height")
