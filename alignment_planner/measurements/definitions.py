"""Every alignment parameter, each defined exactly once (clinical.md §1.2).

Signs follow clinical.md §0: lordosis and kyphosis are each positive for their own region; PT is
positive when the hip axis is anterior to the S1 midpoint; SVA-type offsets are positive anteriorly.
All functions work in the anatomical frame (x anterior, y cranial, mm): see ``skeleton.py``.
"""

from __future__ import annotations

import math

from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.geometry.primitives import DegenerateGeometry, Point, midpoint, tilt, wrap180
from alignment_planner.measurements.registry import (
    BodyCentre,
    CobbDrawing,
    Corner,
    HipAxis,
    Parameter,
    PelvicAngleDrawing,
    Requirement,
    Variability,
    endplate,
)

_DEG = 180.0 / math.pi

S1_ENDPLATE = endplate("S1", "sup")
PELVIS: tuple[Requirement, ...] = (HipAxis(), *S1_ENDPLATE)


# --- construction helpers ----------------------------------------------------------------------


def _tilt(origin: Point, tip: Point, what: str) -> float:
    try:
        return tilt(origin, tip)
    except DegenerateGeometry:
        raise NotMeasurable(f"degenerate geometry: {what}") from None


def _s1_midpoint(s: Skeleton) -> Point:
    return midpoint(s.point("S1", "post_sup"), s.point("S1", "ant_sup"))


def _lordosis(s: Skeleton, cranial: tuple[str, str], caudal: tuple[str, str]) -> float:
    """Signed sagittal Cobb, lordosis positive: ``incl(caudal) − incl(cranial)`` (clinical.md §1.3)."""
    return wrap180(s.endplate_inclination(*caudal) - s.endplate_inclination(*cranial))


def _vertebral_tilt(s: Skeleton, level: str) -> float:
    """Angle to vertical of hip axis → body centre, + anterior (T1SPI family, clinical.md §1.2)."""
    return _tilt(s.hip_axis(), s.centre(level), f"the {level} body centre coincides with the hip axis")


def _pelvic_angle(s: Skeleton, level: str) -> float:
    """Vertebral pelvic angle = vertebral tilt + PT (TPA, CPA, L1PA, T4PA; clinical.md §1.2)."""
    return _vertebral_tilt(s, level) + pelvic_tilt(s)


# --- pelvis (clinical.md §1.2) ---------------------------------------------------------------------


def sacral_slope(s: Skeleton) -> float:
    return s.endplate_inclination("S1", "sup")


def _pelvic_tilt(s: Skeleton) -> float:
    return -_tilt(s.hip_axis(), _s1_midpoint(s), "the S1 endplate midpoint coincides with the hip axis")


def pelvic_tilt(s: Skeleton) -> float:
    return s.memoised(_pelvic_tilt)


def pelvic_incidence(s: Skeleton) -> float:
    """Angle from the caudal normal of the S1 endplate at its midpoint S to the line S → H.

    Computed directly (not as PT + SS) so that the identity PI = PT + SS stays a real test.
    """
    posterior = s.point("S1", "post_sup")
    anterior = s.point("S1", "ant_sup")
    s.endplate_inclination("S1", "sup")  # raises for coincident corners
    centre = midpoint(posterior, anterior)
    hip = s.hip_axis()
    ux, uy = anterior[0] - posterior[0], anterior[1] - posterior[1]
    nx, ny = uy, -ux  # the endplate direction turned clockwise: the normal pointing caudally
    hx, hy = hip[0] - centre[0], hip[1] - centre[1]
    if abs(hx) < 1e-6 and abs(hy) < 1e-6:
        raise NotMeasurable("degenerate geometry: the S1 endplate midpoint coincides with the hip axis")
    return math.atan2(nx * hy - ny * hx, nx * hx + ny * hy) * _DEG


# --- regional curves ---------------------------------------------------------------------------


def lumbar_lordosis(s: Skeleton) -> float:
    return _lordosis(s, ("L1", "sup"), ("S1", "sup"))


def lower_lumbar_lordosis(s: Skeleton) -> float:
    return _lordosis(s, ("L4", "sup"), ("S1", "sup"))


# clinical.md §2.8 guards against LL ≤ 0; below 1° the ratio is dominated by measurement noise
# (a 0.5° click error changes it by orders of magnitude), so it is not reported either.
LDI_MIN_LORDOSIS_DEG = 1.0


def lordosis_distribution_index(s: Skeleton) -> float:
    lordosis = lumbar_lordosis(s)
    if lordosis < LDI_MIN_LORDOSIS_DEG:
        raise NotMeasurable(
            f"LL is {lordosis:.1f}° (less than {LDI_MIN_LORDOSIS_DEG:g}°): "
            "LDI = 100 · LL L4–S1 / LL is undefined"
        )
    return 100.0 * lower_lumbar_lordosis(s) / lordosis


def thoracic_kyphosis(s: Skeleton) -> float:
    return -_lordosis(s, ("T4", "sup"), ("T12", "inf"))


def thoracic_kyphosis_t2_t12(s: Skeleton) -> float:
    return -_lordosis(s, ("T2", "sup"), ("T12", "inf"))


def thoracic_kyphosis_t5_t12(s: Skeleton) -> float:
    return -_lordosis(s, ("T5", "sup"), ("T12", "inf"))


def thoracolumbar_junction(s: Skeleton) -> float:
    return -_lordosis(s, ("T10", "sup"), ("L2", "inf"))


def cervical_lordosis(s: Skeleton) -> float:
    return _lordosis(s, ("C2", "inf"), ("C7", "inf"))


def t1_slope(s: Skeleton) -> float:
    return s.endplate_inclination("T1", "sup")


def t1_slope_minus_cervical_lordosis(s: Skeleton) -> float:
    return t1_slope(s) - cervical_lordosis(s)


def pi_minus_ll(s: Skeleton) -> float:
    return pelvic_incidence(s) - lumbar_lordosis(s)


# --- global balance ----------------------------------------------------------------------------


def sagittal_vertical_axis(s: Skeleton) -> float:
    return s.centre("C7")[0] - s.point("S1", "post_sup")[0]


def cervical_sva(s: Skeleton) -> float:
    return s.centre("C2")[0] - s.point("C7", "post_sup")[0]


def c2_sacral_sva(s: Skeleton) -> float:
    return s.centre("C2")[0] - s.point("S1", "post_sup")[0]


def t1_pelvic_angle(s: Skeleton) -> float:
    return _pelvic_angle(s, "T1")


def c2_pelvic_angle(s: Skeleton) -> float:
    return _pelvic_angle(s, "C2")


def l1_pelvic_angle(s: Skeleton) -> float:
    return _pelvic_angle(s, "L1")


def t4_pelvic_angle(s: Skeleton) -> float:
    return _pelvic_angle(s, "T4")


def _c7_tilt_from_s1(s: Skeleton) -> float:
    return _tilt(_s1_midpoint(s), s.centre("C7"), "the C7 body centre coincides with the S1 midpoint")


def global_tilt(s: Skeleton) -> float:
    return _c7_tilt_from_s1(s) + pelvic_tilt(s)


def spinal_tilt(s: Skeleton) -> float:
    return 90.0 - _c7_tilt_from_s1(s)


def spinosacral_angle(s: Skeleton) -> float:
    return sacral_slope(s) + spinal_tilt(s)


def t1_spinopelvic_inclination(s: Skeleton) -> float:
    return _vertebral_tilt(s, "T1")


def t9_spinopelvic_inclination(s: Skeleton) -> float:
    return _vertebral_tilt(s, "T9")


# --- measurement variability (clinical.md §5.1), for practice grading ---------------------------
# Kyrölä 2018 [68] coefficients of repeatability (best–worst reader) for PI, PT, SS, TK and SVA;
# "manual variation up to about 10° for lordosis angles" [70] and inter-observer Cobb variability
# 5–10° [71] for the other angles.

COBB_VARIABILITY = Variability(5.0, 10.0, "clinical.md §5.1: lordosis and Cobb angles vary 5–10° [70][71]")
SVA_VARIABILITY = Variability(6.0, 16.0, "clinical.md §5.1: SVA repeatability 6–16 mm (Kyrölä 2018 [68])")
TK_VARIABILITY = Variability(9.0, 14.0, "clinical.md §5.1: TK repeatability 9–14° (Kyrölä 2018 [68])")
PI_VARIABILITY = Variability(7.0, 13.0, "clinical.md §5.1: PI repeatability 7–13° (Kyrölä 2018 [68])")
PT_VARIABILITY = Variability(2.0, 9.0, "clinical.md §5.1: PT repeatability 2–9° (Kyrölä 2018 [68])")
SS_VARIABILITY = Variability(6.0, 8.0, "clinical.md §5.1: SS repeatability 6–8° (Kyrölä 2018 [68])")
PI_LL_VARIABILITY = Variability(7.0, 13.0, "clinical.md §5.1: as PI, its least repeatable term [68]")
LDI_VARIABILITY = Variability(
    10.0, 20.0, "chosen by this project: no published LDI variability (points)"
)


# --- the registry ------------------------------------------------------------------------------


def _vpa(level: str) -> tuple[Requirement, ...]:
    return (*PELVIS, BodyCentre(level))


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "PI", "Pelvic incidence", "deg", PELVIS, pelvic_incidence, "§1.2",
        "angle between the S1 endplate normal at its midpoint and the line to the hip axis",
        normal="51.9 ± 10° (range 35–85) [29]", hip_rotation_invariant=True,
        variability=PI_VARIABILITY,
    ),
    Parameter(
        "PT", "Pelvic tilt", "deg", PELVIS, pelvic_tilt, "§1.2",
        "angle to vertical of the line hip axis → S1 midpoint; + when the hip axis is anterior",
        normal="13 ± 6° [29]",
        variability=PT_VARIABILITY,
    ),
    Parameter(
        "SS", "Sacral slope", "deg", S1_ENDPLATE, sacral_slope, "§1.2",
        "inclination of the S1 superior endplate to horizontal",
        normal="41 ± 8° [29]",
        variability=SS_VARIABILITY,
    ),
    Parameter(
        "LL", "Lumbar lordosis L1–S1", "deg", (*endplate("L1", "sup"), *S1_ENDPLATE),
        lumbar_lordosis, "§1.2", "Cobb angle L1 superior → S1 superior endplate, lordosis +",
        normal="60.9 ± 12° (31–88) [29]", hip_rotation_invariant=True,
        drawing=CobbDrawing(("L1", "sup"), ("S1", "sup")),
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "L4S1", "Lower lumbar lordosis L4–S1", "deg", (*endplate("L4", "sup"), *S1_ENDPLATE),
        lower_lumbar_lordosis, "§1.2", "Cobb angle L4 superior → S1 superior endplate, lordosis +",
        hip_rotation_invariant=True,
        film_label="LL L4–S1",
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "LDI", "Lordosis distribution index", "%",
        (*endplate("L1", "sup"), *endplate("L4", "sup"), *S1_ENDPLATE),
        lordosis_distribution_index, "§1.2, §2.8", "100 · LL L4–S1 / LL",
        normal="50–80 % (GAP aligned band) [8][9]", hip_rotation_invariant=True,
        variability=LDI_VARIABILITY,
    ),
    Parameter(
        "PI_LL", "PI − LL mismatch", "deg", (*PELVIS, *endplate("L1", "sup")),
        pi_minus_ll, "§1.2, §2.2", "pelvic incidence minus L1–S1 lordosis",
        normal="−8 ± 9° [29]", hip_rotation_invariant=True,
        film_label="PI−LL",
        variability=PI_LL_VARIABILITY,
    ),
    Parameter(
        "TK", "Thoracic kyphosis T4–T12", "deg", (*endplate("T4", "sup"), *endplate("T12", "inf")),
        thoracic_kyphosis, "§1.2", "Cobb angle T4 superior → T12 inferior endplate, kyphosis +",
        normal="T3–T12 20–50° (Bernhardt & Bridwell) [41]", hip_rotation_invariant=True,
        drawing=CobbDrawing(("T4", "sup"), ("T12", "inf")),
        variability=TK_VARIABILITY,
    ),
    Parameter(
        "TK_T2T12", "Thoracic kyphosis T2–T12", "deg",
        (*endplate("T2", "sup"), *endplate("T12", "inf")), thoracic_kyphosis_t2_t12, "§1.2",
        "Cobb angle T2 superior → T12 inferior endplate, kyphosis + (ISSG span)",
        normal="40.6 ± 10° [29]", hip_rotation_invariant=True,
        film_label="TK T2–T12",
        variability=TK_VARIABILITY,
    ),
    Parameter(
        "TK_T5T12", "Thoracic kyphosis T5–T12", "deg",
        (*endplate("T5", "sup"), *endplate("T12", "inf")), thoracic_kyphosis_t5_t12, "§1.2",
        "Cobb angle T5 superior → T12 inferior endplate, kyphosis + (Lenke span)",
        hip_rotation_invariant=True,
        film_label="TK T5–T12",
        variability=TK_VARIABILITY,
    ),
    Parameter(
        "TLJ", "Thoracolumbar junction T10–L2", "deg",
        (*endplate("T10", "sup"), *endplate("L2", "inf")), thoracolumbar_junction, "§1.2",
        "Cobb angle T10 superior → L2 inferior endplate, kyphosis +",
        normal="≈ 0° (transition) [41]", hip_rotation_invariant=True,
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "CL", "Cervical lordosis C2–C7", "deg", (*endplate("C2", "inf"), *endplate("C7", "inf")),
        cervical_lordosis, "§1.2", "Cobb angle C2 inferior → C7 inferior endplate, lordosis +",
        hip_rotation_invariant=True,
        drawing=CobbDrawing(("C2", "inf"), ("C7", "inf")),
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "T1S", "T1 slope", "deg", endplate("T1", "sup"), t1_slope, "§1.2",
        "inclination of the T1 superior endplate to horizontal", normal="≈ 25° [30]",
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "TS_CL", "T1 slope − cervical lordosis", "deg",
        (*endplate("T1", "sup"), *endplate("C2", "inf"), *endplate("C7", "inf")),
        t1_slope_minus_cervical_lordosis, "§1.2, §2.10", "T1S − CL",
        film_label="TS−CL",
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "SVA", "Sagittal vertical axis (C7)", "mm", (BodyCentre("C7"), Corner("S1", "post_sup")),
        sagittal_vertical_axis, "§1.2",
        "horizontal offset of the C7 body centre from the S1 posterosuperior corner, + anterior",
        normal="−0.5 ± 25 mm (−60 to +65) [29]",
        variability=SVA_VARIABILITY,
    ),
    Parameter(
        "cSVA", "Cervical SVA (C2–C7)", "mm", (BodyCentre("C2"), Corner("C7", "post_sup")),
        cervical_sva, "§1.2",
        "horizontal offset of the C2 body centre from the C7 posterosuperior corner, + anterior",
        normal="15.6 ± 11.2 mm [35]",
        variability=SVA_VARIABILITY,
    ),
    Parameter(
        "C2S1_SVA", "C2–S1 SVA", "mm", (BodyCentre("C2"), Corner("S1", "post_sup")),
        c2_sacral_sva, "§1.2",
        "horizontal offset of the C2 body centre from the S1 posterosuperior corner, + anterior",
        normal="13.2 ± 29.5 mm [35]",
        film_label="C2–S1 SVA",
        variability=SVA_VARIABILITY,
    ),
    Parameter(
        "TPA", "T1 pelvic angle", "deg", _vpa("T1"), t1_pelvic_angle, "§1.2",
        "angle at the hip axis between the T1 centre and the S1 midpoint (T1 tilt + PT)",
        normal="≈ 7° (age 20–40) [31]", hip_rotation_invariant=True,
        drawing=PelvicAngleDrawing("T1", arc_radius=0.9),
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "T4PA", "T4 pelvic angle", "deg", _vpa("T4"), t4_pelvic_angle, "§1.2, §2.9",
        "T4 tilt from the hip axis + PT", hip_rotation_invariant=True,
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "L1PA", "L1 pelvic angle", "deg", _vpa("L1"), l1_pelvic_angle, "§1.2, §2.9",
        "L1 tilt from the hip axis + PT", normal="≈ 6° [31]", hip_rotation_invariant=True,
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "CPA", "C2 pelvic angle", "deg", _vpa("C2"), c2_pelvic_angle, "§1.2",
        "C2 tilt from the hip axis + PT", hip_rotation_invariant=True,
        drawing=PelvicAngleDrawing("C2", arc_radius=1.15),
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "GT", "Global tilt", "deg", (*PELVIS, BodyCentre("C7")), global_tilt, "§1.2",
        "angle between S1 midpoint → C7 centre and S1 midpoint → hip axis (C7 tilt + PT)",
        hip_rotation_invariant=True,
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "ST", "Spinal tilt", "deg", (*S1_ENDPLATE, BodyCentre("C7")), spinal_tilt, "§1.2",
        "angle between horizontal and the line S1 midpoint → C7 centre",
        normal="90.8 ± 3.4° [16]",
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "SSA", "Spinosacral angle", "deg", (*S1_ENDPLATE, BodyCentre("C7")), spinosacral_angle,
        "§1.2", "angle between the S1 endplate and the line S1 midpoint → C7 centre (SS + ST)",
        normal="130.4 ± 8.1° [16]", hip_rotation_invariant=True,
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "T1SPI", "T1 spinopelvic inclination", "deg", (HipAxis(), BodyCentre("T1")),
        t1_spinopelvic_inclination, "§1.2", "angle to vertical of hip axis → T1 centre, + anterior",
        normal="−1.35 ± 2.7° [29]",
        variability=COBB_VARIABILITY,
    ),
    Parameter(
        "T9SPI", "T9 spinopelvic inclination", "deg", (HipAxis(), BodyCentre("T9")),
        t9_spinopelvic_inclination, "§1.2, §2.6",
        "angle to vertical of hip axis → T9 centre (T9 tilt), + anterior",
        variability=COBB_VARIABILITY,
    ),
)

PARAMETERS_BY_KEY: dict[str, Parameter] = {p.key: p for p in PARAMETERS}

HEADLINE_KEYS: tuple[str, ...] = ("PI_LL", "LL", "PT", "SVA", "TPA")
"""The few values that summarise a plan in one line (a suggestion, a solve): the SRS-Schwab
modifiers, the lordosis they depend on, and TPA (clinical.md §2.2, §2.4)."""


def reader_label(key: str) -> str:
    """A parameter key as a person reads it ("PI_LL" → "PI−LL"); a key outside the registry (a
    preset's input such as "age") as it is."""
    parameter = PARAMETERS_BY_KEY.get(key)
    return key if parameter is None else parameter.label


def reader_name(key: str) -> str:
    """A parameter's full name with its reader label, the abbreviation surgeons write and every
    table prints, for a list to pick from: "Spinal tilt (ST)", "Sagittal vertical axis (SVA, C7)",
    "Thoracic kyphosis T2–T12 (TK T2–T12)"; the name alone where it already reads as the label
    ("PI − LL mismatch", "C2–S1 SVA"). A key outside the registry as it is."""
    parameter = PARAMETERS_BY_KEY.get(key)
    if parameter is None:
        return key
    name, label = parameter.name, parameter.label
    if set(_words(label)) <= set(_words(name)):
        return name
    if name.endswith(")") and " (" in name:  # "Sagittal vertical axis (C7)": one pair of brackets
        base, inside = name[:-1].split(" (", 1)
        return f"{base} ({label}, {inside})"
    return f"{name} ({label})"


def _words(text: str) -> list[str]:
    """Whole words, a minus sign one of its own ("PI−LL" → PI, −, LL)."""
    return text.replace("−", " − ").split()
