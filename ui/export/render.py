"""Render the annotated radiograph to PNG with the same scene as the screen (contract.md §3
``render``), headless."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter

from alignment_planner.analysis.pipeline import Analysis, analyze
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.atomic import write_bytes_atomically
from alignment_planner.files.plan_image import load_image_for_output
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import Radiograph
from alignment_planner.plan.model import Plan
from alignment_planner.scene.fragments import fragments
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import Stage
from ui.canvas.scene import PlanScene


def render_scene_image(scene: PlanScene) -> QImage:
    """The scene at full image resolution (or the overlay's extent when there is no image). A
    planned film is the film with every moved part of it: nothing the plan moves is cropped."""
    rect = scene.film_rect()
    if rect.isEmpty():
        raise AlignmentPlannerError("nothing to render: the plan has no image and no landmarks")
    width, height = max(1, round(rect.width())), max(1, round(rect.height()))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(0, 0, 0))
    overlay = scene.overlay_item
    previous = overlay.label_scale
    overlay.label_scale = max(1.0, height / 1200.0)  # labels readable at full size
    # The legend goes on the film, where the label layout keeps clear of it: a PNG travels alone.
    overlay.legend_on_film = True
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    scene.render(painter, QRectF(0, 0, width, height), rect, Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    overlay.label_scale = previous
    overlay.legend_on_film = False
    return image


def render_scene_png(scene: PlanScene, target: Path) -> None:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not QImageWriter(buffer, QByteArray(b"PNG")).write(render_scene_image(scene)):
        raise AlignmentPlannerError(f"{target}: the PNG could not be encoded")
    buffer.close()
    write_bytes_atomically(target, bytes(data.data()))


def export_scene(plan: Plan, analysis: Analysis, radiograph: Radiograph | None, stage: Stage) -> PlanScene:
    """A scene of one stage for an export (PNG, PDF): the film (moved by the plan in the planned
    stage) and the overlay, drawn by the screen's code without item caches."""
    overlay = build_overlay(plan, analysis, stage)
    scene = PlanScene()
    scene.disable_caching()
    if radiograph is not None:
        scene.set_radiograph(radiograph, overlay.geometry)
        if stage == "postop":
            size = (float(radiograph.width), float(radiograph.height))
            scene.set_fragments(fragments(plan, analysis, size), overlay.geometry)
    scene.set_overlay(overlay)
    return scene


def render_plan(plan_path: Path, target: Path, stage: Stage = "preop") -> list[str]:
    """Render a plan file; returns notices for the user (no image). A film that changed since the
    plan was saved is refused (files/plan_image.py)."""
    plan = read_plan(plan_path)
    analysis = analyze(plan)
    notices: list[str] = []
    if stage == "postop" and analysis.simulated and analysis.postop_skeleton is None:
        raise AlignmentPlannerError(
            f"{plan_path}: the planned stage cannot be drawn: "
            + "; ".join(w for w in analysis.warnings if "planned" in w or "compensation" in w)
        )
    radiograph = load_image_for_output(plan, plan_path, action="rendering")
    if radiograph is None:
        notices.append("the plan has no image: rendering the landmarks and constructions alone")
    scene = export_scene(plan, analysis, radiograph, stage)
    render_scene_png(scene, target)
    return notices
