"""Compensation is a change from this patient's own pelvis (clinical.md §4.6; issue 15 §1).

Hand values: flatback sample PI 62°, PT 31°, LL 25° (its construction); normal adult PI 52°, PT 13°.
Yamato 2016 as a change: PT_post = max(PT_pre − 0.5·ΔLL, min(PT_pre, 0.47·PI − 7.5)), never above
PT_pre. A cut inside L1–S1 changes LL by exactly its angle (contract.md §2).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.errors import PlanValidationError
from alignment_planner.files.plan_reader import parse_plan
from alignment_planner.plan.model import Compensation, Osteotomy
from alignment_planner.planning.solve import solve
from tests.core.issue15_plans import FLATBACK_FILE, flatback, normal

YAMATO = Compensation("yamato2016")


def _pt(plan) -> float:  # type: ignore[no-untyped-def]
    value = analyze(plan).postop.value("PT")
    assert value is not None
    return value


def test_no_correction_means_no_pelvic_change_with_yamato() -> None:
    """Issue example: no osteotomy, "Yamato" sent PT 31° → 39° and SVA 137 → 69 mm."""
    analysis = analyze(flatback(model=YAMATO))
    assert analysis.postop.value("PT") == pytest.approx(31.0, abs=0.02)
    assert analysis.postop.value("SVA") == pytest.approx(analysis.preop.value("SVA"), abs=1e-6)
    assert analysis.compensation_deg == pytest.approx(0.0, abs=1e-9)


def test_yamato_is_the_lordosis_change_times_minus_a_half() -> None:
    """SPO L1-L2 10°: ΔLL 10 → PT 31 − 5 = 26° (above the 21.64° ideal floor)."""
    assert _pt(flatback(Osteotomy("SPO", "L1-L2", 10.0), model=YAMATO)) == pytest.approx(26.0, abs=0.02)


def test_yamato_release_stops_at_the_ideal() -> None:
    """PSO L3 30°: 31 − 15 = 16° would overshoot; release stops at 0.47·62 − 7.5 = 21.64°."""
    # PI is measured from landmarks rounded to 0.01 px: 62.003°, so the ideal is good to 0.01°
    assert _pt(flatback(Osteotomy("PSO", "L3", 30.0), model=YAMATO)) == pytest.approx(21.64, abs=0.01)


def test_no_model_predicts_extra_retroversion() -> None:
    """A kyphosing cut (ΔLL −10) would give 31 + 5 = 36° by Yamato: the pelvis never retroverts
    further; no model puts PT above the pre-op 31° (a 40° "target" is not a licence to)."""
    kyphosing = Osteotomy("SPO", "L1-L2", -10.0)
    assert _pt(flatback(kyphosing, model=YAMATO)) == pytest.approx(31.0, abs=0.02)
    assert _pt(flatback(kyphosing, model=Compensation("pt_target", 40.0))) == pytest.approx(31.0, abs=0.02)
    # A kyphosing cut corrects nothing, so the release models keep the pre-op pelvis exactly.
    assert _pt(flatback(kyphosing, model=Compensation("pt_ideal"))) == pytest.approx(31.0, abs=0.02)


def test_pt_ideal_keeps_a_pelvis_already_below_the_ideal() -> None:
    """Issue example: normal adult, PT 13 < 0.47·52 − 7.5 = 16.94: it was sent to 16.9° and SVA
    −2 → −36 mm. Now PT stays 13° and SVA equals the pelvis-fixed SVA."""
    cut = Osteotomy("PSO", "L3", 30.0)
    ideal = analyze(normal(cut, model=Compensation("pt_ideal")))
    fixed = analyze(normal(cut))
    assert ideal.postop.value("PT") == pytest.approx(13.0, abs=0.02)
    assert ideal.postop.value("SVA") == pytest.approx(fixed.postop.value("SVA"), abs=1e-6)
    # Le Huec's ideal 0.44·52 − 11.4 = 11.48° is below 13°: that one does release.
    le_huec = Compensation("pt_ideal", extra={"formula": "le_huec2016"})
    assert _pt(normal(cut, model=le_huec)) == pytest.approx(11.48, abs=0.01)


def test_pt_target_only_reduces_unless_absolute_is_asked() -> None:
    cut = Osteotomy("PSO", "L3", 30.0)
    assert _pt(normal(cut, model=Compensation("pt_target", 20.0))) == pytest.approx(13.0, abs=0.02)
    absolute = Compensation("pt_target", 20.0, extra={"absolute": True})
    analysis = analyze(normal(cut, model=absolute))
    assert analysis.postop.value("PT") == pytest.approx(20.0, abs=1e-9)
    assert "absolute" in analysis.compensation_label
    assert _pt(flatback(cut, model=Compensation("pt_target", 20.0))) == pytest.approx(20.0, abs=1e-9)


@pytest.mark.parametrize(("pt", "ok"), [(200.0, False), (60.5, False), (-30.5, False), (60.0, True), (-30.0, True)])
def test_pt_deg_outside_minus_30_to_60_is_refused(pt: float, ok: bool) -> None:
    """clinical.md §4.6: 200 typed for 20 printed PT −160° and Schwab graded it normal."""
    document = json.loads(FLATBACK_FILE.read_text())
    document["compensation"] = {"model": "pt_target", "pt_deg": pt}
    if ok:
        parse_plan(json.dumps(document))
        return
    with pytest.raises(PlanValidationError, match=r"compensation\.pt_deg.*-30…60"):
        parse_plan(json.dumps(document))


def test_cli_refuses_an_implausible_pt_deg(tmp_path: Path) -> None:
    document = json.loads(FLATBACK_FILE.read_text())
    document["compensation"] = {"model": "pt_target", "pt_deg": 200}
    document["image"]["path"] = str(FLATBACK_FILE.parent / "image.dcm")
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(document))
    result = subprocess.run(
        [sys.executable, "-m", "alignment_planner", "measure", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 2 and result.stderr.startswith("error:") and "pt_deg" in result.stderr
    assert "Traceback" not in result.stderr


def test_compensated_values_carry_the_model_error_and_the_pelvis_fixed_values() -> None:
    """clinical.md §4.6 "Honesty": Lafage 2012 median absolute error PT 4.1°, SVA 27 mm (§5.3)."""
    cut = Osteotomy("PSO", "L3", 30.0)
    analysis = analyze(flatback(cut, model=Compensation("pt_target", 20.0)))
    fixed = analyze(flatback(cut)).postop
    assert analysis.model_error is not None
    assert (analysis.model_error.pt_deg, analysis.model_error.sva_mm) == (4.1, 27.0)
    assert analysis.pelvis_fixed is not None
    assert analysis.pelvis_fixed.value("PT") == pytest.approx(31.0, abs=0.02)
    assert analysis.pelvis_fixed.value("SVA") == pytest.approx(fixed.value("SVA"), abs=1e-9)
    assert analyze(flatback(cut)).model_error is None  # pelvis fixed: nothing predicted


def test_releasing_retroversion_needs_at_least_the_pelvis_fixed_correction() -> None:
    """Issue example: with the old absolute Yamato, SVA<40 needed a 7° SPO where the pelvis-fixed
    answer was 12°. Anteversion (PT falling) carries C7 forwards, so the compensated answer is at
    least the pelvis-fixed one."""
    fixed = solve(flatback(), "PSO", "L4", "SVA", 40.0)
    released = solve(flatback(model=YAMATO), "PSO", "L4", "SVA", 40.0)
    assert fixed.reached and released.reached
    assert released.osteotomy.angle_deg >= fixed.osteotomy.angle_deg - 1e-6
