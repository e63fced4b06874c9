"""Free measurements drawn on the film (contract.md §4.2, issue 18): values against geometry
computed by hand, the plan file's ``annotations`` list, and their planned positions and values."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.annotations.values import measure_annotation, measure_annotations
from alignment_planner.calibration.spacing import UNCALIBRATED, Calibration, PixelSpacing
from alignment_planner.errors import PlanValidationError
from alignment_planner.files.plan_reader import parse_plan
from alignment_planner.files.plan_writer import plan_to_dict
from alignment_planner.geometry.frame import Facing
from alignment_planner.plan.model import Annotation, ImageRef, Osteotomy, Plan
from alignment_planner.scene.planned_annotations import planned_annotations
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks
from tests.core.helpers import plan_doc

ISO = Calibration(PixelSpacing.isotropic(0.2), "plan")
ANISO = Calibration(PixelSpacing(0.15, 0.2), "plan")  # row (vertical) 0.15, column 0.2 mm/px


def value(kind: str, points: list[tuple[float, float]], calibration: Calibration = ISO,
          facing: Facing | None = "right") -> float | None:
    return measure_annotation(Annotation(kind, tuple(points)), calibration, facing, "x").value


# --- distance ------------------------------------------------------------------------------------


def test_distance_isotropic_3_4_5() -> None:
    assert value("distance", [(100, 100), (400, 500)]) == pytest.approx(100.0)  # 500 px × 0.2


def test_distance_anisotropic_is_computed_in_millimetres() -> None:
    # 300 px across × 0.2 = 60 mm; 400 px down × 0.15 = 60 mm → 60·√2, not 500 px × anything.
    assert value("distance", [(0, 0), (300, 400)], ANISO) == pytest.approx(60.0 * math.sqrt(2.0))


def test_distance_uncalibrated_is_null_with_the_reason() -> None:
    measured = measure_annotation(Annotation("distance", ((0, 0), (30, 40))), UNCALIBRATED, "right", "d")
    assert measured.value is None
    assert measured.unit == "mm"
    assert measured.reason == "not measurable: uncalibrated"


# --- angle at a vertex -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arm1", "arm2", "expected"),
    [((100, 0), (0, 100), 90.0), ((100, 0), (100, 100), 45.0), ((100, 0), (-100, 0), 180.0),
     ((100, 0), (50, 0), 0.0), ((-100, -100), (100, 0), 135.0)],
    ids=["right", "45", "straight", "collinear-same-side", "135"],
)
def test_angle_is_unsigned_at_the_vertex(arm1, arm2, expected) -> None:  # type: ignore[no-untyped-def]
    vertex = (500.0, 500.0)
    shift = [(vertex[0] + a[0], vertex[1] + a[1]) for a in (arm1, arm2)]
    assert value("angle", [shift[0], vertex, shift[1]]) == pytest.approx(expected, abs=1e-9)
    assert value("angle", [shift[1], vertex, shift[0]]) == pytest.approx(expected, abs=1e-9)


def test_angle_anisotropic_is_the_physical_angle() -> None:
    # Arms (100, 0) px → (20, 0) mm and (100, 100) px → (20, 15) mm: atan(15/20) = 36.8699°, not 45°.
    angle = value("angle", [(100, 0), (0, 0), (100, 100)], ANISO)
    assert angle == pytest.approx(math.degrees(math.atan2(15.0, 20.0)))
    assert angle == pytest.approx(36.86989765)


def test_angle_uncalibrated_is_measured_in_pixels() -> None:
    assert value("angle", [(100, 0), (0, 0), (100, 100)], UNCALIBRATED) == pytest.approx(45.0)


def test_angle_with_an_arm_on_the_vertex_is_not_measurable() -> None:
    measured = measure_annotation(Annotation("angle", ((0, 0), (0, 0), (5, 5))), ISO, "right", "a")
    assert measured.value is None and measured.reason is not None


# --- Cobb between two independent lines ----------------------------------------------------------


def _line(origin: tuple[float, float], degrees: float, length: float = 100.0) -> list[tuple[float, float]]:
    t = math.radians(degrees)
    return [origin, (origin[0] + length * math.cos(t), origin[1] + length * math.sin(t))]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [(0.0, 30.0, 30.0), (0.0, 150.0, 30.0), (10.0, 190.0, 0.0), (0.0, 90.0, 90.0), (-20.0, 70.0, 90.0),
     (5.0, -40.0, 45.0), (0.0, 0.0, 0.0)],
    ids=["30", "obtuse-is-acute", "collinear-opposite", "perpendicular", "perpendicular-tilted",
         "45", "parallel"],
)
def test_cobb_is_the_acute_angle_between_the_lines(first, second, expected) -> None:  # type: ignore[no-untyped-def]
    a = _line((1000.0, 200.0), first)
    b = _line((300.0, 900.0), second)
    assert value("cobb", a + b) == pytest.approx(expected, abs=1e-9)
    # Drawn right-to-left (each line's ends swapped), or in the other order: the same angle.
    assert value("cobb", a[::-1] + b[::-1]) == pytest.approx(expected, abs=1e-9)
    assert value("cobb", b + a[::-1]) == pytest.approx(expected, abs=1e-9)


def test_cobb_collinear_lines_on_one_axis() -> None:
    assert value("cobb", [(0, 0), (100, 0), (300, 0), (200, 0)]) == 0.0


def test_cobb_anisotropic_and_uncalibrated() -> None:
    points = [(0, 0), (100, 0), (0, 50), (100, 150)]  # second line (100, 100) px
    assert value("cobb", points, ANISO) == pytest.approx(math.degrees(math.atan2(15.0, 20.0)))
    assert value("cobb", points, UNCALIBRATED) == pytest.approx(45.0)


def test_cobb_with_a_zero_length_line_is_not_measurable() -> None:
    assert value("cobb", [(0, 0), (0, 0), (0, 50), (100, 150)]) is None


# --- vertical and horizontal reference lines -----------------------------------------------------


def test_vertical_offset_is_signed_like_sva() -> None:
    # Plumb line through (1000, 500); second point 100 px behind it when facing right: +20 mm.
    assert value("vertical", [(1000, 500), (900, 2000)], ISO, "right") == pytest.approx(20.0)
    assert value("vertical", [(1000, 500), (900, 2000)], ISO, "left") == pytest.approx(-20.0)
    # The row spacing plays no part in a horizontal offset.
    assert value("vertical", [(1000, 500), (900, 2000)], ANISO, "right") == pytest.approx(20.0)


def test_vertical_offset_without_facing_is_unsigned_and_says_so() -> None:
    measured = measure_annotation(Annotation("vertical", ((900, 0), (1000, 10))), ISO, None, "v")
    assert measured.value == pytest.approx(20.0)
    assert "unsigned" in (measured.reason or "")


def test_horizontal_offset_is_cranial_positive_in_row_millimetres() -> None:
    assert value("horizontal", [(0, 1000), (50, 900)], ANISO) == pytest.approx(15.0)  # 100 px × 0.15
    assert value("horizontal", [(0, 1000), (50, 1100)], ISO) == pytest.approx(-20.0)


def test_values_read_as_surgeons_read_them() -> None:
    assert measure_annotation(Annotation("horizontal", ((0, 1000), (5, 1000.1))), ISO, "right", "h").text() == "0.0 mm"
    assert measure_annotation(Annotation("angle", ((1, 0), (0, 0), (0, 1))), ISO, "right", "a").text() == "90.0°"
    assert measure_annotation(Annotation("distance", ((0, 0), (1, 0))), UNCALIBRATED, None, "d").text() == "—"


def test_points_beyond_any_film_are_not_measurable_rather_than_infinite() -> None:
    far = Calibration(PixelSpacing.isotropic(10.0), "plan")
    assert value("distance", [(1e308, 0), (-1e308, 0)], far) is None
    assert value("vertical", [(1e308, 0), (-1e308, 0)], far) is None
    assert value("angle", [(1e308, 0), (0, 0), (-1e308, 5)], far) is None


def test_reference_line_alone_has_no_value_and_uncalibrated_offsets_are_null() -> None:
    assert value("vertical", [(1000, 500)]) is None
    assert value("vertical", [(1000, 500), (900, 2000)], UNCALIBRATED) is None
    assert value("horizontal", [(0, 1000), (50, 900)], UNCALIBRATED) is None


def test_notes_have_no_value_and_names_count_per_type() -> None:
    annotations = [Annotation("text", ((1, 1),), text="note"), Annotation("distance", ((0, 0), (1, 0))),
                   Annotation("arrow", ((0, 0), (5, 5))), Annotation("distance", ((0, 0), (2, 0)), "disc")]
    measured = measure_annotations(annotations, ISO, "right")
    assert [m.name for m in measured] == ["Text 1", "Distance 1", "Arrow 1", "disc"]
    assert [m.unit for m in measured] == [None, "mm", None, "mm"]
    assert measured[0].value is None and measured[2].value is None
    assert measured[3].label == "disc" and measured[1].label is None


# --- the plan file ----------------------------------------------------------------------------------

ANNOTATIONS: list[dict[str, Any]] = [
    {"type": "distance", "points": [[10, 20], [30.5, 40]], "label": "listhesis"},
    {"type": "angle", "points": [[0, 0], [10, 10], [20, 0]]},
    {"type": "cobb", "lines": [[[0, 0], [10, 0]], [[0, 5], [10, 8]]], "colour": "red"},
    {"type": "text", "at": [5, 5], "text": "Modic 1"},
    {"type": "vertical", "points": [[1, 1], [4, 4]]},
    {"type": "horizontal", "points": [[1, 1]]},
    {"type": "arrow", "points": [[1, 1], [9, 9]], "text": "pars defect"},
]


def test_annotations_round_trip_in_order_with_unknown_keys() -> None:
    doc = plan_doc({}, annotations=ANNOTATIONS)
    plan = parse_plan(json.dumps(doc))
    assert [a.type for a in plan.annotations] == [a["type"] for a in ANNOTATIONS]
    assert plan.annotations[2].points == ((0, 0), (10, 0), (0, 5), (10, 8))
    assert plan.annotations[2].extra == {"colour": "red"}
    assert plan_to_dict(plan)["annotations"] == ANNOTATIONS
    assert "annotations" not in plan_to_dict(parse_plan(json.dumps(plan_doc({}))))


@pytest.mark.parametrize(
    ("annotations", "field", "words"),
    [
        ({"type": "distance"}, "annotations", "expected a list"),
        ([{"type": "ruler", "points": []}], "annotations[0].type", "unknown annotation type"),
        ([{"type": "distance", "points": [[0, 0]]}], "annotations[0].points", "2 points"),
        ([{"type": "angle", "points": [[0, 0], [1, 1], [2, "x"]]}], "annotations[0].points[2]", "two finite"),
        ([{"type": "cobb", "lines": [[[0, 0], [1, 1]]]}], "annotations[0].lines", "two lines"),
        ([{"type": "cobb", "lines": [[[0, 0], [1, 1]], [[0, 0], [1, True]]]}],
         "annotations[0].lines[1][1]", "two finite"),
        ([{"type": "text", "at": [0, 0]}], "annotations[0].text", "missing"),
        ([{"type": "text", "text": "x"}], "annotations[0].at", "missing"),
        ([{"type": "distance", "points": [[0, 0], [1, 1]], "label": 3}], "annotations[0].label", "text"),
        ([{"type": "vertical", "points": [[0, 0], [1, 1], [2, 2]]}], "annotations[0].points", "1 or 2"),
        (["distance"], "annotations[0]", "expected an object"),
    ],
)
def test_bad_annotations_are_refused_naming_the_field(annotations, field, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PlanValidationError) as caught:
        parse_plan(json.dumps(plan_doc({}, annotations=annotations)), source="p.json")
    assert caught.value.field == field
    assert words in str(caught.value)
    assert "p.json" in str(caught.value)


# --- the planned film -----------------------------------------------------------------------------


def _spine_plan(spacing: PixelSpacing, *osteotomies: Osteotomy, annotations: tuple[Annotation, ...]) -> Plan:
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(1300.0, 6200.0))
    return Plan(landmarks=landmarks, image=ImageRef(pixel_spacing=spacing), osteotomies=osteotomies,
                annotations=annotations)


def _rotated_in_mm(p: tuple[float, float], hinge: tuple[float, float], degrees: float,
                   spacing: PixelSpacing) -> tuple[float, float]:
    """By hand: facing right, anatomical x = x·col, y = −y·row; CCW there by ``degrees``."""
    px, py = p[0] * spacing.column, -p[1] * spacing.row
    hx, hy = hinge[0] * spacing.column, -hinge[1] * spacing.row
    t = math.radians(degrees)
    x = hx + (px - hx) * math.cos(t) - (py - hy) * math.sin(t)
    y = hy + (px - hx) * math.sin(t) + (py - hy) * math.cos(t)
    return (x / spacing.column, -y / spacing.row)


@pytest.mark.parametrize("spacing", [PixelSpacing.isotropic(0.2), PixelSpacing(0.15, 0.2)], ids=["iso", "aniso"])
def test_cobb_across_a_cut_changes_by_the_cut_and_says_so(spacing: PixelSpacing) -> None:
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(1300.0, 6200.0))
    t12, l1 = landmarks.vertebrae["T12"], landmarks.vertebrae["L1"]
    assert t12.post_inf and t12.ant_inf and l1.post_sup and l1.ant_sup and t12.ant_sup and t12.post_sup
    cobb = Annotation("cobb", (t12.post_inf, t12.ant_inf, l1.post_sup, l1.ant_sup))
    on_t12 = Annotation("distance", (t12.ant_sup, t12.post_inf))
    on_l3 = Annotation("angle", (t12.ant_sup, landmarks.vertebrae["L3"].ant_sup or (0, 0), (0.0, 7000.0)))
    plan = _spine_plan(spacing, Osteotomy("SPO", "T12-L1", 10.0), annotations=(cobb, on_t12, on_l3))
    analysis = analyze(plan)
    planned = planned_annotations(plan, analysis)
    hinge = ((t12.post_inf[0] + l1.post_sup[0]) / 2, (t12.post_inf[1] + l1.post_sup[1]) / 2)
    moved = [_rotated_in_mm(p, hinge, 10.0, spacing) for p in (t12.post_inf, t12.ant_inf)]
    expected = measure_annotation(Annotation("cobb", (*moved, l1.post_sup, l1.ant_sup)),
                                  analysis.calibration, "right", "c").value
    before = measure_annotation(cobb, analysis.calibration, "right", "c").value
    assert planned[0].value.value == pytest.approx(expected, abs=1e-6)
    # The endplates were nearly parallel: the 10° cut turns one line by 10° through the other.
    assert before is not None and planned[0].value.value is not None
    assert min(abs(planned[0].value.value - (before + 10.0)),
               abs(planned[0].value.value - abs(before - 10.0))) < 1e-6
    assert planned[0].value.spans_text == "spans SPO T12-L1"
    assert planned[0].annotation.points[0] == pytest.approx(moved[0])
    # L1 is caudal to the cut and stays: the Cobb's second line has not moved.
    assert planned[0].annotation.points[2:] == cobb.points[2:]
    # Wholly above the cut: carried along rigidly, same length (rigid in mm, also anisotropic).
    assert planned[1].value.spans == ()
    assert planned[1].value.value == pytest.approx(measure_annotations([on_t12], analysis.calibration,
                                                                       "right")[0].value)
    assert planned[1].annotation.points[0] != pytest.approx(on_t12.points[0])
    # Spanning from T12 down to L3 and the caudal film: it too says which cut it spans.
    assert planned[2].value.spans_text == "spans SPO T12-L1"


def test_nothing_planned_leaves_annotations_where_they_are() -> None:
    spacing = PixelSpacing.isotropic(0.2)
    annotation = Annotation("distance", ((100.0, 100.0), (400.0, 500.0)))
    plan = _spine_plan(spacing, annotations=(annotation,))
    (planned,) = planned_annotations(plan, analyze(plan))
    assert planned.annotation == annotation
    assert planned.value.value == pytest.approx(100.0)
    assert planned.value.spans == ()


# --- edits (one undo step each in the GUI) ------------------------------------------------------


def test_edits_make_new_plans_and_ignore_bad_indices() -> None:
    from alignment_planner.plan.annotation_edits import (
        with_annotation,
        with_annotation_label,
        with_annotation_point,
        with_annotation_text,
        without_annotation,
    )

    plan = with_annotation(Plan(), Annotation("distance", ((0.0, 0.0), (1.0, 1.0))))
    plan = with_annotation(plan, Annotation("text", ((5.0, 5.0),), text="note"))
    assert [a.type for a in plan.annotations] == ["distance", "text"]
    moved = with_annotation_point(plan, 0, 1, (9.0, 9.0))
    assert moved.annotations[0].points == ((0.0, 0.0), (9.0, 9.0)) and plan.annotations[0].points[1] == (1, 1)
    assert with_annotation_point(plan, 5, 0, (1.0, 1.0)) is plan
    assert with_annotation_point(plan, 0, 2, (1.0, 1.0)) is plan
    assert with_annotation_label(plan, 0, "  listhesis ").annotations[0].label == "listhesis"
    assert with_annotation_label(with_annotation_label(plan, 0, "x"), 0, " ").annotations[0].label is None
    assert with_annotation_text(plan, 1, "").annotations[1].text == "note"  # a text keeps its text
    assert with_annotation_text(plan, 1, "Modic 2").annotations[1].text == "Modic 2"
    assert [a.type for a in without_annotation(plan, 0).annotations] == ["text"]
    assert without_annotation(plan, 2) is plan
    with pytest.raises(ValueError):
        with_annotation(plan, Annotation("cobb", ((0.0, 0.0), (1.0, 1.0))))


def test_practice_scores_ignore_annotations() -> None:
    from dataclasses import replace

    from alignment_planner.teaching.scoring import compare_plans, score_landmarks

    spacing = PixelSpacing.isotropic(0.2)
    expert = _spine_plan(spacing, Osteotomy("PSO", "L3", 25.0), annotations=())
    drawn = (Annotation("distance", ((0.0, 0.0), (300.0, 400.0))),
             Annotation("cobb", ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 2.0))))
    annotated = replace(expert, annotations=drawn)
    plain = score_landmarks(expert, expert.landmarks)
    assert score_landmarks(annotated, expert.landmarks) == plain
    assert compare_plans(annotated, expert).planned == compare_plans(expert, replace(expert, annotations=drawn)).planned


# --- invariances ------------------------------------------------------------------------------------
_coordinate = st.floats(-5000.0, 5000.0, allow_nan=False)
_points = st.lists(st.tuples(_coordinate, _coordinate), min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(_points, _coordinate, _coordinate, st.floats(0.0, 360.0))
def test_values_do_not_depend_on_where_or_how_the_film_is_turned(points, dx, dy, turn) -> None:  # type: ignore[no-untyped-def]
    """Translation and rotation of every point (isotropic pixels) keep distance, angle and Cobb;
    swapping a Cobb's lines, or the ends of either line, keeps the Cobb."""
    assume(min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :]) > 1.0)
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    moved = [(x * c - y * s + dx, x * s + y * c + dy) for x, y in points]
    for kind, count in (("distance", 2), ("angle", 3), ("cobb", 4)):
        before, after = value(kind, points[:count]), value(kind, moved[:count])
        assert before is not None and after is not None
        assert after == pytest.approx(before, abs=1e-6 * max(1.0, before))
    a, b, p, q = points
    cobb = value("cobb", [a, b, p, q])
    if cobb is not None:
        assert 0.0 <= cobb <= 90.0
        assert value("cobb", [q, p, b, a]) == pytest.approx(cobb, abs=1e-9)
    angle = value("angle", [a, b, p])
    if angle is not None:
        assert 0.0 <= angle <= 180.0


@settings(max_examples=100, deadline=None)
@given(_points, st.floats(0.05, 1.0), st.floats(0.05, 1.0))
def test_a_distance_is_the_length_in_millimetres(points, row, column) -> None:  # type: ignore[no-untyped-def]
    (x1, y1), (x2, y2) = points[:2]
    calibration = Calibration(PixelSpacing(row, column), "plan")
    assert value("distance", points[:2], calibration) == pytest.approx(
        math.hypot((x2 - x1) * column, (y2 - y1) * row), rel=1e-12, abs=1e-12
    )
