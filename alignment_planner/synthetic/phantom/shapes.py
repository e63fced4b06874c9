"""The anatomy of a lateral standing film as polygons and polylines, built from landmarks.

Everything here is in *film millimetres*: image axes (x right, y down) scaled by the pixel spacing,
so shapes keep their true proportions on anisotropic grids. Vertebral bodies pass exactly through
their four landmark corners, which is what makes the landmarks ground truth for the drawn film.
Sizes follow adult anatomy (body depths and heights as in ``spine_model``; pedicles, laminae and
spinous processes in proportion to the body, per region).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.anatomy.levels import LEVEL_INDEX
from alignment_planner.geometry.primitives import Point

Ring = list[Point]


def add(a: Point, b: Point, k: float = 1.0) -> Point:
    return (a[0] + k * b[0], a[1] + k * b[1])


def sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def mid(a: Point, b: Point) -> Point:
    return ((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0)


def unit(v: Point) -> Point:
    n = math.hypot(*v) or 1.0
    return (v[0] / n, v[1] / n)


def rotate(v: Point, degrees: float) -> Point:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (c * v[0] - s * v[1], s * v[0] + c * v[1])


def ellipse(centre: Point, rx: float, ry: float, axis: Point = (1.0, 0.0), n: int = 48) -> Ring:
    ux, uy = unit(axis)
    return [
        (
            centre[0] + rx * math.cos(t) * ux - ry * math.sin(t) * uy,
            centre[1] + rx * math.cos(t) * uy + ry * math.sin(t) * ux,
        )
        for t in (2 * math.pi * i / n for i in range(n))
    ]


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 24) -> Ring:
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        out.append(
            (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])
        )
    return out


@dataclass(frozen=True, slots=True)
class Body:
    """One vertebral body in film mm, with its local axes."""

    level: str
    post_sup: Point
    ant_sup: Point
    ant_inf: Point
    post_inf: Point

    @property
    def anterior(self) -> Point:
        return unit(sub(mid(self.ant_sup, self.ant_inf), mid(self.post_sup, self.post_inf)))

    @property
    def superior(self) -> Point:
        return unit(sub(mid(self.post_sup, self.ant_sup), mid(self.post_inf, self.ant_inf)))

    @property
    def depth(self) -> float:
        return math.dist(mid(self.ant_sup, self.ant_inf), mid(self.post_sup, self.post_inf))

    @property
    def height(self) -> float:
        return math.dist(mid(self.post_sup, self.ant_sup), mid(self.post_inf, self.ant_inf))

    @property
    def centre(self) -> Point:
        return mid(mid(self.post_sup, self.ant_sup), mid(self.post_inf, self.ant_inf))

    def posterior_wall(self, fraction: float) -> Point:
        """A point on the posterior wall, ``fraction`` of the way from the inferior corner up."""
        return add(self.post_inf, sub(self.post_sup, self.post_inf), fraction)

    def outline(self) -> Ring:
        """Corners exactly at the landmarks; the walls waisted (anterior more than posterior) and
        the endplates gently concave, as on a lateral film."""
        ring: Ring = []
        depth, height = self.depth, self.height
        sides = (
            (self.post_sup, self.ant_sup, self.superior, 0.02 * depth),  # superior endplate dips in
            (self.ant_sup, self.ant_inf, self.anterior, 0.06 * height),  # anterior wall is waisted
            (self.ant_inf, self.post_inf, self.superior, -0.02 * depth),
            (self.post_inf, self.post_sup, self.anterior, -0.03 * height),
        )
        for start, end, outward, sag in sides:
            for i in range(8):
                t = i / 8
                bulge = -sag * math.sin(math.pi * t)  # inward at the middle of each side
                ring.append(add(add(start, sub(end, start), t), outward, bulge))
        return ring


def bodies(landmarks: Landmarks, to_mm: tuple[float, float]) -> list[Body]:
    sx, sy = to_mm
    found = []
    for level, v in sorted(landmarks.vertebrae.items(), key=lambda kv: LEVEL_INDEX.get(kv[0], 99)):
        corners = (v.post_sup, v.ant_sup, v.ant_inf, v.post_inf)
        if level == "S1" or any(c is None for c in corners):
            continue
        ps, as_, ai, pi = ((c[0] * sx, c[1] * sy) for c in corners)  # type: ignore[index]
        found.append(Body(level, ps, as_, ai, pi))
    return found


def posterior_elements(body: Body) -> Iterator[tuple[str, Ring]]:
    """Pedicle, articular column, lamina and spinous process of one vertebra (film mm)."""
    a, s = body.anterior, body.superior
    back = (-a[0], -a[1])
    d, h = body.depth, body.height
    region = body.level[0]
    number = int(body.level[1:])
    pedicle_len = {"C": 0.35, "T": 0.4, "L": 0.38}[region] * d
    top, bottom = body.posterior_wall(0.92), body.posterior_wall(0.45)
    yield "pedicle", [top, add(top, back, pedicle_len), add(bottom, back, pedicle_len), bottom]
    # Articular column: superior process rises above the body, inferior one hangs below it.
    column_front = add(body.posterior_wall(0.5), back, pedicle_len)
    width = 0.28 * d if region != "C" else 0.45 * d
    up, down = 0.35 * h, 0.3 * h
    yield "facets", [
        add(column_front, s, up + 0.5 * h),
        add(add(column_front, back, width), s, up + 0.45 * h),
        add(add(column_front, back, width), s, -down - 0.5 * h),
        add(column_front, s, -down - 0.55 * h),
    ]
    # Lamina to spinous process: lumbar ones square and level, thoracic ones long and steep,
    # cervical short (C2 large, C7 the vertebra prominens).
    base_top = add(add(column_front, back, width), s, 0.35 * h)
    base_bottom = add(add(column_front, back, width), s, -0.45 * h)
    if region == "L":
        length, droop, thickness = 0.75 * d, 12.0, 0.45 * h
    elif region == "T":
        length, droop, thickness = (0.9 + 0.02 * number) * d, 50.0 if 4 <= number <= 10 else 35.0, 0.3 * h
    else:
        length = (1.3 if number == 7 else 1.1 if number == 2 else 0.75) * d
        droop, thickness = 20.0, 0.45 * h
    direction = rotate(back, droop if a[0] > 0 else -droop)  # tip points caudally
    tip = add(mid(base_top, base_bottom), direction, length)
    normal = rotate(direction, 90.0)
    yield "spinous", [
        base_top,
        add(tip, normal, thickness / 3),
        add(tip, normal, -thickness / 3),
        base_bottom,
    ]


def dens(body: Body) -> Ring:
    """The odontoid process of C2, rising from its superior endplate."""
    a, s = body.anterior, body.superior
    base = add(mid(body.post_sup, body.ant_sup), a, 0.1 * body.depth)
    width = 0.45 * body.depth
    return [
        add(base, a, -width / 2),
        add(add(base, s, 14.0), a, -width / 2.4),
        add(add(base, s, 17.0), a, 0.0),
        add(add(base, s, 14.0), a, width / 2.4),
        add(base, a, width / 2),
    ]


def sacrum(post_sup: Point, ant_sup: Point) -> tuple[Ring, Ring]:
    """The sacrum below the S1 endplate, curving backwards (sacral kyphosis) and tapering to the
    coccyx; and the S1 body, whose superior corners are the landmarks."""
    anterior = unit(sub(ant_sup, post_sup))
    caudal = rotate(anterior, 90.0 if anterior[0] > 0 else -90.0)  # perpendicular, pointing down
    if caudal[1] < 0:
        caudal = (-caudal[0], -caudal[1])
    depth = math.dist(post_sup, ant_sup)
    centre = mid(post_sup, ant_sup)
    turn = -6.0 if anterior[0] > 0 else 6.0  # each step bends the axis posteriorly
    front, rear = [ant_sup], [post_sup]
    direction = caudal
    width = depth
    for step in range(12):
        centre = add(centre, direction, 10.0)
        direction = rotate(direction, turn)
        width = max(depth * (1.0 - 0.075 * (step + 1)), 10.0)
        across = rotate(direction, -90.0 if anterior[0] > 0 else 90.0)
        front.append(add(centre, across, width / 2))
        rear.append(add(centre, across, -width / 2 - 8.0 * (step < 6)))  # the dorsal sacral crest
    s1_body = [post_sup, ant_sup, front[3], rear[3]]
    return front + rear[::-1], s1_body


@dataclass(frozen=True, slots=True)
class PelvisFrame:
    """Axes attached to the pelvis: ``up`` from the hip axis to the middle of the S1 endplate,
    ``forward`` at a right angle towards the front. The ilium is placed in it, so it tilts with PT."""

    hip: Point
    up: Point
    forward: Point

    def at(self, along_up: float, along_forward: float) -> Point:
        return add(add(self.hip, self.up, along_up), self.forward, along_forward)


def pelvis_frame(hip: Point, s1_mid: Point, anterior_sign: float) -> PelvisFrame:
    up = unit(sub(s1_mid, hip))
    return PelvisFrame(hip, up, rotate(up, 90.0 * anterior_sign))


def ilium(frame: PelvisFrame) -> tuple[Ring, Ring]:
    """The iliac wing (crest from PSIS to ASIS over the sacroiliac joint) and the ischiopubic ring
    below the hips, in the pelvis frame (mm: up, forward)."""
    wing = [
        frame.at(118, -52),  # PSIS
        *bezier(frame.at(118, -52), frame.at(190, -40), frame.at(200, 30), frame.at(95, 62), 20),  # crest
        frame.at(62, 52),  # AIIS
        frame.at(34, 36),  # acetabular roof, front
        frame.at(38, 0),
        frame.at(30, -36),  # acetabular roof, back
        frame.at(40, -58),  # greater sciatic notch
        frame.at(80, -62),
    ]
    ring = [
        frame.at(-5, -38),  # ischial spine
        frame.at(-62, -34),  # ischial tuberosity
        frame.at(-70, -5),
        frame.at(-48, 50),  # pubic symphysis
        frame.at(-20, 52),
        frame.at(-12, 30),
    ]
    return wing, ring


def rib(origin: Point, anterior: Point, side: int, number: int) -> Ring:
    """One rib as a centre line: back from the costovertebral joint, round the rib angle, then
    down and forward across the spine to the front of the chest (longer in the middle ribs)."""
    back = (-anterior[0], -anterior[1])
    down = (0.0, 1.0)
    spread = 1.0 + 0.04 * side
    reach = (95.0 + 60.0 * math.sin(math.pi * min(number, 11) / 12)) * spread
    drop = (30.0 + 5.0 * number) * spread
    p0 = origin
    p1 = add(add(origin, back, 45.0 * spread), down, -10.0)
    p2 = add(add(origin, back, 40.0 * spread), down, drop * 0.9)
    p3 = add(add(origin, anterior, reach), down, drop)
    return bezier(p0, p1, p2, p3, 28)


def skull(c2: Body) -> dict[str, Ring]:
    """Occiput and skull base above C2, the C1 arches and the mandible, in C2's axes."""
    a, s = c2.anterior, c2.superior
    top = mid(c2.post_sup, c2.ant_sup)

    def at(up: float, forward: float) -> Point:
        return add(add(top, s, up), a, forward)

    angles = (math.pi * i / 40 for i in range(-8, 49))
    vault = [at(95 + 90 * math.sin(t), 15 + 95 * math.cos(t)) for t in angles]
    return {
        "vault": vault,
        "clivus": [at(18, 4), at(60, 30), at(66, 22), at(24, -2)],
        "occiput": [at(20, -25), at(40, -70), at(70, -88), at(62, -78), at(34, -58), at(16, -22)],
        "c1_anterior": ellipse(at(8, 16), 5.0, 8.0, s),
        "c1_posterior": ellipse(at(6, -42), 5.0, 9.0, a),
        "mandible": [
            at(38, 22), at(-14, 24), at(-38, 44), at(-40, 110), at(-26, 112), at(-24, 54),
            at(-6, 38), at(36, 32),
        ],
        "teeth": [at(-10, 60), at(-22, 62), at(-22, 108), at(-10, 104)],
    }


def envelope(spine: list[Point], anterior: list[Point], front: list[float], back: list[float]) -> Ring:
    """The skin line: each spine point pushed forward and backward by its region's soft-tissue
    depth, joined into one outline."""
    fronts = [add(p, a, f) for p, a, f in zip(spine, anterior, front, strict=True)]
    backs = [add(p, a, -b) for p, a, b in zip(spine, anterior, back, strict=True)]
    return fronts + backs[::-1]
