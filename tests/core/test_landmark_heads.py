"""Femoral heads edited as the GUI edits them: placed, moved, fitted as circles, removed."""

from __future__ import annotations

from alignment_planner.anatomy.landmarks import FemoralHead, make_landmarks


def test_a_new_head_is_a_point_unless_a_radius_is_given() -> None:
    landmarks = make_landmarks({}).with_head(0, (10.0, 20.0)).with_head(1, (30.0, 20.0), 50.0)
    assert landmarks.femoral_heads == (
        FemoralHead((10.0, 20.0)),
        FemoralHead((30.0, 20.0), 50.0, written_as_object=True),
    )


def test_refitting_a_head_replaces_centre_and_radius_and_keeps_it_a_circle() -> None:
    landmarks = make_landmarks({}).with_head(0, (10.0, 20.0), 50.0).with_head(0, (12.0, 21.0), 48.0)
    assert landmarks.femoral_heads == (FemoralHead((12.0, 21.0), 48.0, written_as_object=True),)


def test_removing_a_head_keeps_the_other() -> None:
    landmarks = make_landmarks({}).with_head(0, (10.0, 20.0)).with_head(1, (30.0, 20.0))
    assert landmarks.without_head(0).femoral_heads == (FemoralHead((30.0, 20.0)),)
    assert landmarks.without_head(5).femoral_heads == landmarks.femoral_heads
