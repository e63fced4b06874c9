"""How free measurements are drawn (scene/annotation_overlay.py): every film, handles on the pre-op
one, planned labels with the cut they span, display units with anisotropic pixels."""

from __future__ import annotations

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.plan.model import Annotation, ImageRef, Osteotomy, Plan
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import Arc, Label, Line
from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

ALL_TYPES = (
    Annotation("distance", ((100.0, 100.0), (400.0, 500.0)), "ruler"),
    Annotation("angle", ((200.0, 100.0), (100.0, 100.0), (100.0, 0.0))),
    Annotation("cobb", ((0.0, 0.0), (100.0, 0.0), (0.0, 50.0), (100.0, 150.0))),
    Annotation("vertical", ((600.0, 100.0), (550.0, 900.0))),
    Annotation("horizontal", ((600.0, 100.0),)),
    Annotation("text", ((50.0, 50.0),), text="Modic 1"),
    Annotation("arrow", ((10.0, 10.0), (60.0, 60.0)), text="pars"),
)


def _labels(plan: Plan, stage: str = "preop") -> dict[str, str]:
    overlay = build_overlay(plan, analyze(plan), stage)  # type: ignore[arg-type]
    return {p.key: p.text for p in overlay.primitives if isinstance(p, Label) and p.key.startswith("annotation")}


def test_every_type_is_drawn_even_without_landmarks() -> None:
    plan = Plan(image=ImageRef(pixel_spacing=PixelSpacing.isotropic(0.2)), annotations=ALL_TYPES)
    overlay = build_overlay(plan, analyze(plan))
    keys = {p.key.split(":")[1] for p in overlay.primitives if p.key.startswith("annotation:")}
    assert keys == {str(i) for i in range(len(ALL_TYPES))}
    assert any(isinstance(p, Arc) and p.key == "annotation:1:arc" for p in overlay.primitives)
    labels = _labels(plan)
    assert labels["annotation:0:label"] == "ruler 100.0 mm"
    assert labels["annotation:1:label"] == "90.0°"
    assert labels["annotation:2:label"] == "45.0°"
    assert labels["annotation:3:label"] == "10.0 mm"  # 50 px × 0.2, unsigned: facing unknown
    assert labels["annotation:5:label"] == "Modic 1"
    assert labels["annotation:6:label"] == "pars"
    handles = [h.key for h in overlay.handles if h.level == "annotation"]
    assert handles == [f"annotation.{i}.{j}" for i, a in enumerate(ALL_TYPES) for j in range(len(a.points))]


def test_uncalibrated_lengths_say_so_on_the_film() -> None:
    plan = Plan(annotations=ALL_TYPES[:2])
    labels = _labels(plan)
    assert labels["annotation:0:label"] == "ruler uncalibrated"
    assert labels["annotation:1:label"] == "90.0°"


def test_anisotropic_film_draws_in_display_units() -> None:
    plan = Plan(image=ImageRef(pixel_spacing=PixelSpacing(0.3, 0.15)), annotations=ALL_TYPES[:1])
    overlay = build_overlay(plan, analyze(plan))
    line = next(p for p in overlay.primitives if isinstance(p, Line) and p.key == "annotation:0:line")
    # The column axis is the finer one: rows are stretched ×2 on screen, as the film is.
    assert line.a == (100.0, 200.0) and line.b == (400.0, 1000.0)


def test_planned_film_moves_the_points_and_names_the_cut() -> None:
    spacing = PixelSpacing.isotropic(0.2)
    landmarks = build_landmarks(SpineSpec(), spacing=spacing, hip_pixel=(1300.0, 6200.0))
    t12, l1 = landmarks.vertebrae["T12"], landmarks.vertebrae["L1"]
    assert t12.post_inf and t12.ant_inf and l1.post_sup and l1.ant_sup
    cobb = Annotation("cobb", (t12.post_inf, t12.ant_inf, l1.post_sup, l1.ant_sup), "T12/L1")
    plan = Plan(landmarks=landmarks, image=ImageRef(pixel_spacing=spacing),
                osteotomies=(Osteotomy("SPO", "T12-L1", 10.0),), annotations=(cobb,))
    assert "(spans SPO T12-L1)" in _labels(plan, "postop")["annotation:0:label"]
    assert "spans" not in _labels(plan)["annotation:0:label"]
    planned = build_overlay(plan, analyze(plan), "postop")
    assert not [h for h in planned.handles if h.level == "annotation"]  # edited on the pre-op film
    moved = next(p for p in planned.primitives if isinstance(p, Line) and p.key == "annotation:0:line0")
    assert moved.a != t12.post_inf
