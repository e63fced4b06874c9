"""A release model gives back retroversion only as far as the cuts bring the trunk back
(docs/clinical-additions.md §4; clinical.md §4.6 "no correction ⇒ no pelvic change").

Hand facts: TPA = tilt(T1c − H) + PT (clinical.md §2) does not change when the whole body turns
about the hip axis (§3.3), so the fall in TPA is what the cuts alone did to the trunk's pitch. A
pelvis turned forward by φ raises tilt(T1c − H), i.e. T1SPI, by φ. The bound φ ≤ ΔTPA therefore
says: after the release T1SPI is never larger (further forward) than before surgery. Flatback
sample: PI 62°, PT 31°, SVA 137 mm (its construction); a review found "PT released to at most
20°" sending PT 31 → 20 and SVA 137 → 226 mm with no cut at all.
"""

from __future__ import annotations

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.plan.model import Compensation, Osteotomy
from alignment_planner.procedures.compensation import Situation, _pt_ideal, _pt_target
from tests.core.issue15_plans import flatback

TARGET_20 = Compensation("pt_target", 20.0)
RELEASE_MODELS = (TARGET_20, Compensation("pt_ideal"))


@pytest.mark.parametrize("model", RELEASE_MODELS, ids=lambda c: c.model)
def test_no_cut_keeps_the_pelvis_and_the_sva(model: Compensation) -> None:
    """The review's finding: no osteotomy (fusions only) must not move the pelvis."""
    analysis = analyze(flatback(model=model))
    assert analysis.postop.value("PT") == pytest.approx(analysis.preop.value("PT"), abs=1e-9)
    assert analysis.postop.value("SVA") == pytest.approx(analysis.preop.value("SVA"), abs=1e-9)
    assert analysis.compensation_deg == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("model", RELEASE_MODELS, ids=lambda c: c.model)
def test_a_small_cut_releases_only_what_it_corrects(model: Compensation) -> None:
    """SPO L1-L2 5°: the cut lowers TPA by some δ < 11°; the pelvis turns by exactly δ, so T1SPI
    ends where it was before surgery and SVA is not worse than pre-op (it was 198.8 mm)."""
    analysis = analyze(flatback(Osteotomy("SPO", "L1-L2", 5.0), model=model))
    tpa_fall = analysis.preop.value("TPA") - analysis.postop.value("TPA")
    assert 0.0 < tpa_fall < 11.0
    assert analysis.compensation_deg == pytest.approx(tpa_fall, abs=1e-9)
    assert analysis.postop.value("PT") == pytest.approx(analysis.preop.value("PT") - tpa_fall, abs=1e-9)
    assert analysis.postop.value("T1SPI") == pytest.approx(analysis.preop.value("T1SPI"), abs=1e-9)
    assert analysis.postop.value("SVA") < analysis.preop.value("SVA")


def test_a_large_cut_reaches_the_target() -> None:
    """PSO L3 30°: TPA falls by more than the 11° between PT 31° and the 20° target: PT 20°."""
    analysis = analyze(flatback(Osteotomy("PSO", "L3", 30.0), model=TARGET_20))
    assert analysis.preop.value("TPA") - analysis.postop.value("TPA") > 11.0
    assert analysis.postop.value("PT") == pytest.approx(20.0, abs=1e-9)


def test_a_kyphosing_cut_corrects_nothing() -> None:
    analysis = analyze(flatback(Osteotomy("SPO", "L1-L2", -5.0), model=TARGET_20))
    assert analysis.postop.value("PT") == pytest.approx(analysis.preop.value("PT"), abs=1e-9)


@pytest.mark.parametrize(
    ("correction", "expected"),
    [(None, 20.0), (0.0, 31.0), (5.0, 26.0), (11.0, 20.0), (15.0, 20.0)],
)
def test_target_release_is_bounded_by_the_correction(correction: float | None, expected: float) -> None:
    """PT_post = max(min(PT_pre, target), PT_pre − correction); no bound when not measurable."""
    situation = Situation(31.0, 62.0, 25.0, 35.0, correction)
    prediction = _pt_target(situation, TARGET_20)
    assert prediction.pt_deg == pytest.approx(expected, abs=1e-12)
    if correction is not None and correction < 11.0:
        assert "trunk" in prediction.label


def test_ideal_release_is_bounded_by_the_correction() -> None:
    """Yamato's ideal for PI 62°: 0.47·62 − 7.5 = 21.64°; PT 31° with 4° of correction → 27°."""
    prediction = _pt_ideal(Situation(31.0, 62.0, 25.0, 29.0, 4.0), Compensation("pt_ideal"))
    assert prediction.pt_deg == pytest.approx(27.0, abs=1e-12)
    unbounded = _pt_ideal(Situation(31.0, 62.0, 25.0, 29.0, None), Compensation("pt_ideal"))
    assert unbounded.pt_deg == pytest.approx(21.64, abs=1e-9)


def test_a_pelvis_already_below_the_target_is_kept_whatever_the_correction() -> None:
    prediction = _pt_target(Situation(15.0, 50.0, 40.0, 70.0, 30.0), TARGET_20)
    assert prediction.pt_deg == 15.0
    assert "kept" in prediction.label


@pytest.mark.parametrize("model", (*RELEASE_MODELS, Compensation("yamato2016")), ids=lambda c: c.model)
def test_no_cut_carries_no_model_error(model: Compensation) -> None:
    """Second review: with no cut nothing moves, yet the planned PT showed ±12.3° and SVA ±78.8 mm
    of model error. Nothing is predicted, so the published error of a prediction does not apply;
    a cut that corrects brings it back."""
    assert analyze(flatback(model=model)).model_error is None
    assert analyze(flatback(Osteotomy("PSO", "L3", 30.0), model=model)).model_error is not None


def test_an_absolute_pelvis_keeps_its_model_error_without_a_cut() -> None:
    """The surgeon states where the pelvis will be: that is a prediction, with its error."""
    absolute = Compensation("pt_target", 20.0, {"absolute": True})
    assert analyze(flatback(model=absolute)).model_error is not None
