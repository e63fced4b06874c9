"""The planned spine laid on a follow-up film, registered on the sacrum (issue 19 §2).

The S1 superior endplate is the one body both films share that no osteotomy moves; a rigid motion
in millimetres (each film with its own spacing and facing) takes the planned S1 endplate onto the
follow-up's, so the surgeon sees where the spine went relative to where it was planned to go.
The same registration lays out a starting set of landmarks on a follow-up once the user has placed
the hips and S1 there (never before: no anchoring on the prediction).
"""

from __future__ import annotations

import math

from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks, Vertebra, make_landmarks
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.frame import AnatomicalFrame
from alignment_planner.geometry.primitives import Point
from alignment_planner.geometry.transforms import Rigid2D


def skeleton_landmarks(skeleton: Skeleton, frame: AnatomicalFrame) -> Landmarks:
    """A skeleton (anatomical mm) as landmarks in the pixels of ``frame``'s film."""
    vertebrae = {}
    for level, named in skeleton.points.items():
        placed = {name: frame.to_pixel(p) for name, p in named.items()}
        vertebrae[level] = Vertebra(
            placed.get("ant_sup"), placed.get("post_sup"), placed.get("post_inf"),
            placed.get("ant_inf"), placed.get("center"),
        )
    return make_landmarks(vertebrae, tuple(FemoralHead(frame.to_pixel(h)) for h in skeleton.heads))


def sacral_registration(source: Skeleton, target: Skeleton) -> Rigid2D:
    """The rigid motion taking ``source``'s S1 superior endplate onto ``target``'s: the
    posterosuperior corners coincide and the endplates point the same way."""
    try:
        s_post, s_ant = source.point("S1", "post_sup"), source.point("S1", "ant_sup")
        t_post, t_ant = target.point("S1", "post_sup"), target.point("S1", "ant_sup")
    except NotMeasurable as exc:
        raise NotMeasurable(f"registration on the sacrum needs both S1 corners: {exc.reason}") from None
    turn = math.degrees(
        math.atan2(t_ant[1] - t_post[1], t_ant[0] - t_post[0])
        - math.atan2(s_ant[1] - s_post[1], s_ant[0] - s_post[0])
    )
    rotation = Rigid2D.rotation_about(s_post, turn)
    return rotation.then(Rigid2D(tx=t_post[0] - s_post[0], ty=t_post[1] - s_post[1]))


def registered_on_sacrum(
    planned: Skeleton, followup: Skeleton, followup_frame: AnatomicalFrame
) -> Landmarks:
    """The planned spine in the follow-up film's pixels, registered on S1."""
    motion = sacral_registration(planned, followup)
    return skeleton_landmarks(planned.moved_all(motion), followup_frame)


def starting_layout(
    planned: Skeleton, followup: Skeleton, followup_frame: AnatomicalFrame
) -> dict[str, dict[str, Point]]:
    """Vertebra corners to offer on a follow-up: the plan's, registered on the S1 the user placed.
    Refused (``NotMeasurable``) until the follow-up has its hips and both S1 corners."""
    if not followup.heads:
        raise NotMeasurable("place the femoral heads on the follow-up first")
    layout = registered_on_sacrum(planned, followup, followup_frame)
    return {
        level: {name: p for name in ("ant_sup", "post_sup", "post_inf", "ant_inf", "center")
                if (p := vertebra.point(name)) is not None}
        for level, vertebra in layout.vertebrae.items()
        if level != "S1"
    }
