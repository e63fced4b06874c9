"""Clicking a level on the film (alignment_planner/site_pick.py)."""

from __future__ import annotations

from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.procedures.site_pick import level_at
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

LANDMARKS = build_landmarks(SpineSpec(), spacing=PixelSpacing.isotropic(0.2))


def _mid(a, b):  # type: ignore[no-untyped-def]
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def test_every_body_and_disc_is_found_at_its_middle() -> None:
    for level, v in LANDMARKS.vertebrae.items():
        if v.ant_inf is not None:
            assert level_at(LANDMARKS, _mid(v.ant_sup, v.post_inf), "vertebra") == level
    lm = LANDMARKS
    assert level_at(lm, _mid(lm.point("L4", "post_inf"), lm.point("L5", "ant_sup")), "disc") == "L4-L5"
    assert level_at(lm, _mid(lm.point("T11", "ant_inf"), lm.point("T12", "post_sup")), "disc") == "T11-T12"


def test_far_clicks_pick_nothing() -> None:
    assert level_at(LANDMARKS, (-5000.0, -5000.0), "vertebra", limit_px=300.0) is None
    assert level_at(type(LANDMARKS)(), (0.0, 0.0), "disc") is None  # nothing placed
