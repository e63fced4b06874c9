"""Total disc replacement (contract.md §4.8, docs/clinical-additions.md §1): the centre of
rotation at the centre of the disc's posterior third, a rigid rotation about it, checked against
values computed by hand; its typical range, the posture caution and the refusals."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alignment_planner.anatomy.skeleton import Skeleton
from alignment_planner.errors import ProcedureError
from alignment_planner.files.plan_reader import plan_from_dict
from alignment_planner.plan.model import Osteotomy
from alignment_planner.planning.trial import Trial
from alignment_planner.procedures.registry import PROCEDURE_TYPES
from alignment_planner.procedures.simulate import initial_hinge
from tests.core.helpers import analyze_doc, plan_doc

# 1 px = 1 mm, facing right: image x is anterior, image y is caudal.
LANDMARKS: dict[str, Any] = {
    "femoral_heads": [[1030.0, 1200.0]],
    "L3": {"ant_sup": [1040.0, 900.0], "post_sup": [1000.0, 900.0],
           "post_inf": [1000.0, 950.0], "ant_inf": [1040.0, 950.0]},
    "L4": {"ant_sup": [1040.0, 960.0], "post_sup": [1000.0, 960.0],
           "post_inf": [1000.0, 1000.0], "ant_inf": [1040.0, 1000.0]},
    "L5": {"ant_sup": [1040.0, 1010.0], "post_sup": [1000.0, 1010.0],
           "post_inf": [1000.0, 1050.0], "ant_inf": [1040.0, 1050.0]},
    "S1": {"post_sup": [1000.0, 1060.0], "ant_sup": [1040.0, 1070.0]},
}


def _doc(*osteotomies: dict[str, Any], procedures: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return plan_doc(
        LANDMARKS, facing="right", image={"pixel_spacing_mm": 1.0},
        osteotomies=list(osteotomies), procedures=list(procedures),
    )


def test_centre_of_rotation_is_the_centre_of_the_posterior_third() -> None:
    # Disc L4-L5: posterior midpoint (1000, 1005), anterior midpoint (1040, 1005); 40 mm deep,
    # so the centre of the posterior third is 40/6 = 6.667 mm in front of the back of the disc.
    doc = _doc({"type": "TDR", "level": "L4-L5", "angle_deg": 10.0})
    analysis = analyze_doc(doc)
    assert analysis.frame is not None and analysis.preop_skeleton is not None
    osteotomy = plan_from_dict(doc).osteotomies[0]
    hinge = analysis.frame.to_pixel(initial_hinge(analysis.preop_skeleton, osteotomy, analysis.frame))
    assert hinge == pytest.approx((1000.0 + 40.0 / 6.0, 1005.0), abs=1e-9)


def test_the_upper_vertebra_rotates_rigidly_about_the_prosthesis() -> None:
    analysis = analyze_doc(_doc({"type": "TDR", "level": "L4-L5", "angle_deg": 10.0}))
    post, frame = analysis.postop_skeleton, analysis.frame
    assert post is not None and frame is not None
    # By hand: L4.ant_inf is (+33.333 anterior, +5 cranial) of the centre (1006.667, 1005);
    # turned 10° towards lordosis: x' = 33.333·cos10° − 5·sin10°, y' = 33.333·sin10° + 5·cos10°.
    c, s = math.cos(math.radians(10.0)), math.sin(math.radians(10.0))
    dx, dy = 100.0 / 3.0, 5.0
    expected = (1000.0 + 40.0 / 6.0 + dx * c - dy * s, 1005.0 - (dx * s + dy * c))
    assert frame.to_pixel(post.point("L4", "ant_inf")) == pytest.approx(expected, abs=1e-6)
    # L4.post_inf: (−6.667, +5) about the centre.
    dx, dy = -40.0 / 6.0, 5.0
    expected = (1000.0 + 40.0 / 6.0 + dx * c - dy * s, 1005.0 - (dx * s + dy * c))
    assert frame.to_pixel(post.point("L4", "post_inf")) == pytest.approx(expected, abs=1e-6)
    # The lower vertebra and the pelvis stay.
    assert frame.to_pixel(post.point("L5", "ant_sup")) == pytest.approx((1040.0, 1010.0), abs=1e-9)


@pytest.mark.parametrize("angle", [-4.0, 3.0, 7.5])
def test_lumbar_lordosis_changes_by_exactly_the_angle(angle: float) -> None:
    doc = plan_doc(LANDMARKS | {"L1": LANDMARKS["L3"]}, facing="right",
                   osteotomies=[{"type": "TDR", "level": "L4-L5", "angle_deg": angle}])
    analysis = analyze_doc(doc)
    pre, post = analysis.preop.value("LL"), analysis.postop.value("LL")
    assert pre is not None and post is not None
    assert post - pre == pytest.approx(angle, abs=1e-9)


def test_typical_range_and_posture_caution_are_said() -> None:
    kind = PROCEDURE_TYPES["TDR"]
    assert kind.site == "disc" and kind.typical_range == (0.0, 10.0)
    warnings = analyze_doc(_doc({"type": "TDR", "level": "L4-L5", "angle_deg": 14.0})).warnings
    assert any("outside the typical 0–10°" in w for w in warnings)
    assert any("depends on posture" in w for w in warnings)


def test_tdr_needs_every_corner_of_the_disc() -> None:
    landmarks = {k: dict(v) if isinstance(v, dict) else v for k, v in LANDMARKS.items()}
    del landmarks["L4"]["ant_inf"]
    analysis = analyze_doc(plan_doc(landmarks, facing="right",
                                    osteotomies=[{"type": "TDR", "level": "L4-L5", "angle_deg": 5}]))
    assert any("L4.ant_inf" in w or "ant_inf" in w for w in analysis.warnings)


@pytest.mark.parametrize(
    ("fusion", "words"),
    [
        ({"type": "fusion", "from": "L3", "to": "S1"}, "inside the planned fusion L3–S1"),
        ({"type": "fusion", "from": "L4", "to": "L5", "status": "existing"}, "existing fusion L4–L5"),
    ],
)
def test_tdr_inside_a_fusion_is_refused_with_the_reason(fusion: dict[str, Any], words: str) -> None:
    doc = _doc({"type": "TDR", "level": "L4-L5", "angle_deg": 5.0}, procedures=(fusion,))
    warnings = analyze_doc(doc).warnings
    assert any("refused" in w and words in w for w in warnings)
    trial = Trial(plan_from_dict(_doc(procedures=(fusion,))), ("LL",))
    with pytest.raises(ProcedureError, match=words):
        trial.site("TDR", "L4-L5")


def test_tdr_next_to_a_fusion_is_fine() -> None:
    doc = _doc({"type": "TDR", "level": "L3-L4", "angle_deg": 5.0},
               procedures=({"type": "fusion", "from": "L4", "to": "S1"},))
    assert not [w for w in analyze_doc(doc).warnings if "refused" in w]


@pytest.mark.parametrize(
    ("other", "words"),
    [
        ({"type": "SPO", "level": "L4-L5", "angle_deg": 8.0}, "SPO is also planned at L4-L5"),
        ({"type": "PSO", "level": "L5", "angle_deg": 25.0}, "PSO at L5 cuts through the endplate"),
    ],
)
def test_tdr_at_a_level_with_an_osteotomy_is_refused(other: dict[str, Any], words: str) -> None:
    doc = _doc({"type": "TDR", "level": "L4-L5", "angle_deg": 5.0}, other)
    assert any(words in w for w in analyze_doc(doc).warnings)


def test_kyphoplasty_and_vertebroplasty_at_a_pso_level_are_refused() -> None:
    doc = _doc({"type": "PSO", "level": "L4", "angle_deg": 25.0},
               {"type": "KYPHOPLASTY", "level": "L4", "angle_deg": 5.0},
               procedures=({"type": "vertebroplasty", "level": "L4"},))
    refused = [w for w in analyze_doc(doc).warnings if "refused" in w]
    assert any(w.startswith("refused combination: KYPHOPLASTY at L4: a PSO") for w in refused)
    assert any("vertebroplasty at L4: a PSO" in w for w in refused)
    plan = plan_from_dict(_doc({"type": "PSO", "level": "L4", "angle_deg": 25.0}))
    with pytest.raises(ProcedureError, match="resects that body"):
        Trial(plan, ("LL",)).site("KYPHOPLASTY", "L4")


def test_decompression_inside_a_planned_fusion_is_fine() -> None:
    doc = _doc(procedures=({"type": "fusion", "from": "L3", "to": "S1"},
                           {"type": "decompression", "level": "L4-L5", "approach": "microscopic"}))
    assert not [w for w in analyze_doc(doc).warnings if "refused" in w or "procedure" in w]


def test_tdr_read_and_written_like_an_interbody() -> None:
    plan = plan_from_dict(_doc({"type": "TDR", "level": "L5-S1", "angle_deg": 6.0}))
    assert plan.osteotomies == (Osteotomy("TDR", "L5-S1", 6.0),)


_coordinate = st.floats(-200.0, 200.0, allow_nan=False)


@given(st.tuples(*[_coordinate] * 8))
def test_the_centre_lies_a_sixth_of_the_way_from_the_back_of_any_disc(c: tuple[float, ...]) -> None:
    upper_post, upper_ant, lower_post, lower_ant = (c[0], c[1]), (c[2], c[3]), (c[4], c[5]), (c[6], c[7])
    skeleton = Skeleton({"L4": {"post_inf": upper_post, "ant_inf": upper_ant},
                         "L5": {"post_sup": lower_post, "ant_sup": lower_ant}}, ())
    hinge = PROCEDURE_TYPES["TDR"].default_hinge(skeleton, "L4-L5")
    back = ((upper_post[0] + lower_post[0]) / 2, (upper_post[1] + lower_post[1]) / 2)
    front = ((upper_ant[0] + lower_ant[0]) / 2, (upper_ant[1] + lower_ant[1]) / 2)
    assert hinge[0] == pytest.approx(back[0] + (front[0] - back[0]) / 6, abs=1e-9)
    assert hinge[1] == pytest.approx(back[1] + (front[1] - back[1]) / 6, abs=1e-9)
    assert math.dist(hinge, back) <= math.dist(back, front) / 3 + 1e-9  # inside the posterior third
