"""The annotated radiograph, headless: pixel snapshot (pinned size) and the render command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import load_radiograph
from alignment_planner.scene.overlay import build_overlay
from tests.ui.conftest import ROOT, SAMPLE_PLAN
from ui.canvas.scene import PlanScene
from ui.export.render import export_scene

SNAPSHOT = Path(__file__).parent / "snapshots" / "flatback_overlay_240x560.png"


def _scene() -> PlanScene:
    plan = read_plan(SAMPLE_PLAN)
    analysis = analyze(plan)
    overlay = build_overlay(plan, analysis)
    scene = PlanScene()
    scene.set_radiograph(load_radiograph(SAMPLE_PLAN.parent / "image.dcm"), overlay.geometry)
    scene.set_overlay(overlay)
    return scene


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="fonts differ off Linux; snapshot is Linux-only"
)
def test_overlay_pixel_snapshot(qapp, request: pytest.FixtureRequest) -> None:
    scene = _scene()
    image = QImage(240, 560, QImage.Format.Format_RGB32)
    image.fill(QColor(0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(
        painter, QRectF(0, 0, 240, 560), scene.image_item.boundingRect(), Qt.AspectRatioMode.KeepAspectRatio
    )
    painter.end()
    if request.config.getoption("--update-snapshots") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        image.save(str(SNAPSHOT))
        if not request.config.getoption("--update-snapshots"):
            pytest.fail(
                f"snapshot {SNAPSHOT.name} was missing and has been written; look at it and commit it"
            )
    expected = _pixels(QImage(str(SNAPSHOT)))
    actual = _pixels(image)
    difference = np.abs(actual.astype(int) - expected.astype(int)).max(axis=2)
    # Allow antialiasing noise, not a moved line or a changed label.
    assert (difference > 60).mean() < 0.002, f"{(difference > 60).mean():.4f} of the pixels changed"
    # The overlay is really there: coloured pixels, not just the grey radiograph.
    colour = actual.max(axis=2).astype(int) - actual.min(axis=2).astype(int)
    assert (colour > 80).mean() > 0.01


def _render(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "alignment_planner", "render", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_render_command_writes_the_full_size_png(tmp_path: Path) -> None:
    out = tmp_path / "plan.png"
    result = _render(str(SAMPLE_PLAN), "-o", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1125, 2625)


def test_render_errors_are_one_line(tmp_path: Path) -> None:
    plan = json.loads(SAMPLE_PLAN.read_text())
    plan["image"]["path"] = "missing.dcm"
    broken = tmp_path / "broken.plan.json"
    broken.write_text(json.dumps(plan))
    unplannable = json.loads(SAMPLE_PLAN.read_text())
    del unplannable["landmarks"]["L3"]["ant_inf"]  # the PSO's default hinge needs it
    unplannable["image"]["path"] = str((SAMPLE_PLAN.parent / unplannable["image"]["path"]).resolve())
    (tmp_path / "unplannable.plan.json").write_text(json.dumps(unplannable))
    for args, words in (
        ([str(broken), "-o", str(tmp_path / "a.png")], "image.path"),
        (
            [str(tmp_path / "unplannable.plan.json"), "-o", str(tmp_path / "b.png"), "--stage", "postop"],
            "L3.ant_inf",
        ),
        ([str(SAMPLE_PLAN), "-o", str(tmp_path / "no-such-folder" / "c.png")], "cannot write"),
    ):
        result = _render(*args)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.plan.json", "unplannable.plan.json"]


def test_render_planned_stage_moves_the_film_above_the_cut(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pre, post = tmp_path / "pre.png", tmp_path / "post.png"
    assert _render(str(SAMPLE_PLAN), "-o", str(pre)).returncode == 0
    result = _render(str(SAMPLE_PLAN), "-o", str(post), "--stage", "postop")
    assert result.returncode == 0, result.stderr
    before, after = QImage(str(pre)), QImage(str(post))
    # The planned canvas is the film with every moved part of it (review A4): never smaller, and
    # the film's own pixel (x, y) is at (x − left, y − top) of it.
    assert after.width() >= before.width() and after.height() >= before.height()
    plan = read_plan(SAMPLE_PLAN)
    assert plan.image is not None
    radiograph = load_radiograph(plan.image.resolve(SAMPLE_PLAN.parent))  # type: ignore[arg-type]
    frame = export_scene(plan, analyze(plan), radiograph, "postop").film_rect()
    assert (after.width(), after.height()) == (round(frame.width()), round(frame.height()))
    dx, dy = round(-frame.left()), round(-frame.top())
    # The top of the film (above the PSO) turned: the same pixel now shows something else, while
    # the planned overlay (PT 20° after compensation) is drawn over it.
    differing = sum(
        before.pixelColor(x, y) != after.pixelColor(x + dx, y + dy)
        for x in range(0, 900, 30)
        for y in range(0, 900, 30)
    )
    assert differing > 0.5 * 30 * 30


def test_render_without_an_image_draws_the_landmarks(tmp_path: Path) -> None:
    plan = json.loads(SAMPLE_PLAN.read_text())
    del plan["image"]["path"]
    plan["osteotomies"] = []
    plan["compensation"] = {"model": "none"}
    path = tmp_path / "p.plan.json"
    path.write_text(json.dumps(plan))
    result = _render(str(path), "-o", str(tmp_path / "p.png"), "--stage", "postop")
    assert result.returncode == 0, result.stderr
    assert "no image" in result.stderr and (tmp_path / "p.png").exists()


def test_render_draws_the_measurements_on_both_stages(tmp_path: Path) -> None:
    plan = json.loads(SAMPLE_PLAN.read_text())
    plan["image"]["path"] = str((SAMPLE_PLAN.parent / plan["image"]["path"]).resolve())
    # A horizontal ruler across the film near the top, above the PSO (it moves with the spine).
    plan["annotations"] = [{"type": "distance", "points": [[100, 150], [1000, 150]], "label": "ruler"}]
    annotated = tmp_path / "annotated.plan.json"
    annotated.write_text(json.dumps(plan))
    for stage in ("preop", "postop"):
        plain, drawn = tmp_path / f"plain-{stage}.png", tmp_path / f"drawn-{stage}.png"
        assert _render(str(SAMPLE_PLAN), "-o", str(plain), "--stage", stage).returncode == 0
        result = _render(str(annotated), "-o", str(drawn), "--stage", stage)
        assert result.returncode == 0, result.stderr
        before, after = _pixels(QImage(str(plain))).astype(int), _pixels(QImage(str(drawn))).astype(int)
        changed = np.any(before != after, axis=2)
        # BGR in memory (RGB32): the measurements' colour is green-dominant, little blue.
        green = int(np.sum(changed & (after[..., 1] > 200) & (after[..., 0] < 150)))
        assert green > 100, stage  # the line (and its label) in the measurements' colour

def test_render_refuses_a_film_that_changed_since_the_plan_was_saved(tmp_path: Path) -> None:
    # The same policy as report (files/plan_image.py): a PNG of landmarks on another film is wrong.
    changed = json.loads(SAMPLE_PLAN.read_text())
    changed["image"]["path"] = str((SAMPLE_PLAN.parent / changed["image"]["path"]).resolve())
    changed["image"]["sha256"] = "0" * 64
    (tmp_path / "changed.plan.json").write_text(json.dumps(changed))
    result = _render(str(tmp_path / "changed.plan.json"), "-o", str(tmp_path / "a.png"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "image.sha256" in lines[0], result.stderr
    assert not (tmp_path / "a.png").exists()
