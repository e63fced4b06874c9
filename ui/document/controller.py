"""The document: the current plan, its history, its image and file; user intents → new plans.

Widgets never change plans themselves; they call these methods and redraw on ``plan_changed``.
Everything shown (measurements, overlay) is re-derived from the plan by the core.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, QPointF, QTimer, Signal

from alignment_planner.analysis.pipeline import Analysis, Analyzer
from alignment_planner.anatomy.landmarking import landmark_name
from alignment_planner.annotations.values import TYPE_NAMES, annotation_names
from alignment_planner.calibration.spacing import Calibration
from alignment_planner.errors import AlignmentPlannerError, ProcedureError
from alignment_planner.files.film_plan import plan_for_film
from alignment_planner.files.output_target import checked_output
from alignment_planner.files.plan_image import PlanImage, plan_image
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.imaging import Radiograph
from alignment_planner.plan.annotation_edits import (
    with_annotation,
    with_annotation_label,
    with_annotation_point,
    with_annotation_text,
    without_annotation,
)
from alignment_planner.plan.history import History
from alignment_planner.plan.model import (
    Annotation,
    Compensation,
    FollowUp,
    ImageRef,
    Osteotomy,
    Plan,
    Procedure,
)
from alignment_planner.planning.solve import Solution, solve
from alignment_planner.procedures.check import check_osteotomy
from alignment_planner.procedures.conflicts import plan_conflicts
from alignment_planner.scene.fragments import Fragment, fragments
from alignment_planner.scene.overlay import build_overlay
from alignment_planner.scene.primitives import DisplayGeometry, Overlay, Stage
from ui.document.disk_state import DiskState, FileChangedOnDisk, disk_state
from ui.document.workers import HashTask, LoadImageTask, start

HASH_FALLBACK_MS = 400  # hash this long after loading if the image has not been painted by then


class PlanController(QObject):
    plan_changed = Signal()
    stage_changed = Signal()
    image_changed = Signal()
    document_changed = Signal()
    loading = Signal(bool)
    notice = Signal(str)
    problem = Signal(str)
    gesture_ended = Signal()  # a drag or a run of nudges is over: its edits were one undo step

    def __init__(self) -> None:
        super().__init__()
        self.plan = Plan()
        self.history = History(self.plan)
        self.path: Path | None = None
        self.image_path: Path | None = None
        self.radiograph: Radiograph | None = None
        self.stage: Stage = "preop"
        self._analyzer = Analyzer()  # keeps the pre-op result: an angle drag re-measures nothing else
        self.analysis: Analysis = self._analyzer.analyze(self.plan)
        self.overlay: Overlay = build_overlay(self.plan, self.analysis)
        self.fragments: tuple[Fragment, ...] = ()
        self._task: LoadImageTask | None = None
        self._hash_task: HashTask | None = None
        self._to_hash: tuple[Path, bool] | None = None  # loaded, not hashed yet
        self._image = PlanImage(None, None)  # the open plan's film and the sha256 it was saved with
        self._changed_film_sha: str | None = None  # set when the film differs from the saved plan's
        self._on_disk: DiskState | None = None  # the plan file as this window last read or wrote it

    # --- derived state --------------------------------------------------------------------------

    @property
    def geometry(self) -> DisplayGeometry:
        return self.overlay.geometry

    @property
    def dirty(self) -> bool:
        return self.history.dirty

    def _show(self, plan: Plan) -> None:
        self.plan = plan
        self.analysis = self._analyzer.analyze(plan)
        self._derive()
        self.plan_changed.emit()
        self.document_changed.emit()

    def _derive(self) -> None:
        """What the current stage shows: the overlay, and in the planned stage the image regions
        that move (none without an image or a simulation)."""
        self.overlay = build_overlay(self.plan, self.analysis, self.stage)
        self.fragments = ()
        if self.stage == "postop" and self.radiograph is not None:
            size = (float(self.radiograph.width), float(self.radiograph.height))
            self.fragments = fragments(self.plan, self.analysis, size)

    def set_stage(self, stage: Stage) -> None:
        """Show the pre-operative film (landmarks editable) or the planned one."""
        if stage != self.stage:
            self.stage = stage
            self._derive()
            self.stage_changed.emit()
            self.plan_changed.emit()

    # --- osteotomies and procedures ---------------------------------------------------------------

    def _image_size(self) -> tuple[int, int] | None:
        return (self.radiograph.width, self.radiograph.height) if self.radiograph is not None else None

    def _try(self, plan: Plan, label: str, merge_key: Hashable | None = None) -> bool:
        """Apply an osteotomy edit if every osteotomy can be simulated; otherwise say why and keep
        the plan as it was."""
        try:
            for osteotomy in plan.osteotomies:
                check_osteotomy(plan, osteotomy, image_size=self._image_size())
        except ProcedureError as exc:
            self.problem.emit(str(exc))
            return False
        return self._edit_unless_refused(plan, label, merge_key)

    def _edit_unless_refused(self, plan: Plan, label: str, merge_key: Hashable | None = None) -> bool:
        """Apply an edit unless it adds a combination the plan refuses (procedures/conflicts.py),
        saying why. Refusals the plan already had (from its file) do not block other edits."""
        before = set(plan_conflicts(self.plan))
        added = [problem for problem in plan_conflicts(plan) if problem not in before]
        if added:
            self.problem.emit(added[0])
            return False
        self._edit(plan, label, merge_key)
        return True

    def add_osteotomy(self, *osteotomies: Osteotomy) -> bool:
        """One edit for them all (a suggestion's cuts: one Ctrl+Z takes them back)."""
        plan = replace(self.plan, osteotomies=(*self.plan.osteotomies, *osteotomies))
        return self._try(plan, "Add " + " + ".join(f"{o.type} at {o.level}" for o in osteotomies))

    def update_osteotomy(
        self,
        index: int,
        *,
        angle: float | None = None,
        hinge: tuple[float, float] | Literal["keep"] | None = "keep",
        merge_key: Hashable | None = None,
    ) -> bool:
        osteotomies = list(self.plan.osteotomies)
        if not 0 <= index < len(osteotomies):
            return False
        current = osteotomies[index]
        osteotomies[index] = replace(current, angle_deg=current.angle_deg if angle is None else float(angle),
                                     hinge=current.hinge if hinge == "keep" else hinge)
        what = "angle" if angle is not None else "hinge"
        label = f"Set {current.type} {current.level} {what}"
        return self._try(replace(self.plan, osteotomies=tuple(osteotomies)), label, merge_key)

    def remove_osteotomy(self, index: int) -> None:
        osteotomies = list(self.plan.osteotomies)
        if 0 <= index < len(osteotomies):
            removed = osteotomies.pop(index)
            plan = replace(self.plan, osteotomies=tuple(osteotomies))
            self._edit(plan, f"Remove {removed.type} at {removed.level}")

    def set_followup(self, index: int | None, followup: FollowUp, label: str | None = None,
                     merge_key: Hashable | None = None) -> int:
        """Add (``index`` None) or replace a follow-up film (contract.md §4.3); ``label`` names the
        undo step (FollowUpWindow's edits). Adding and attaching the film's image are one step."""
        adding, items = index is None, list(self.plan.followups)
        index = len(items) if index is None else index
        items[index : index + 1] = [followup]
        name = label or f"{'Add' if adding else 'Edit'} follow-up film ({followup.label})"
        merge = ("add followup", index) if adding else merge_key
        self._edit(replace(self.plan, followups=tuple(items)), name, merge)
        return index

    def set_compensation(self, compensation: Compensation) -> None:
        self._edit(replace(self.plan, compensation=compensation), f"Compensation: {compensation.model}")

    def add_procedure(self, procedure: Procedure) -> bool:
        plan = replace(self.plan, procedures=(*self.plan.procedures, procedure))
        return self._edit_unless_refused(plan, f"Add {procedure.type}")

    def update_procedure(self, index: int, procedure: Procedure) -> bool:
        """Replace procedure ``index`` (its level or options changed): one undo step."""
        procedures = list(self.plan.procedures)
        if not 0 <= index < len(procedures):
            return False
        procedures[index] = procedure
        plan = replace(self.plan, procedures=tuple(procedures))
        return self._edit_unless_refused(plan, f"Edit {procedure.type}")

    def remove_procedure(self, index: int) -> None:
        procedures = list(self.plan.procedures)
        if 0 <= index < len(procedures):
            removed = procedures.pop(index)
            self._edit(replace(self.plan, procedures=tuple(procedures)), f"Remove {removed.type}")

    def solve_osteotomy(self, index: int, key: str, target: float) -> Solution | None:
        """Set osteotomy ``index``'s angle so that the planned ``key`` equals ``target`` (with the
        other osteotomies and the compensation). Unreachable: nothing changes, the reason is told."""
        if not 0 <= index < len(self.plan.osteotomies):
            return None
        chosen = self.plan.osteotomies[index]
        others = self.plan.osteotomies[:index] + self.plan.osteotomies[index + 1 :]
        try:
            rest = replace(self.plan, osteotomies=others)
            solution = solve(rest, chosen.type, chosen.level, key, target, hinge_px=chosen.hinge)
        except ProcedureError as exc:
            self.problem.emit(str(exc))
            return None
        if solution.reached:
            self.update_osteotomy(index, angle=solution.osteotomy.angle_deg)
            self.history.seal()
        # Said either way: a success replaces an earlier "cannot be reached" in the status bar.
        self.notice.emit(solution.message)
        return solution

    # --- free measurements (issue 18) -------------------------------------------------------------

    def add_annotation(self, annotation: Annotation) -> None:
        self._edit(with_annotation(self.plan, annotation), f"Draw {TYPE_NAMES[annotation.type].lower()}")

    def remove_annotation(self, index: int) -> None:
        if 0 <= index < len(self.plan.annotations):
            name = annotation_names(self.plan.annotations)[index]
            self._edit(without_annotation(self.plan, index), f"Delete {name}")

    def set_annotation_label(self, index: int, label: str | None) -> None:
        self._edit(with_annotation_label(self.plan, index, label), "Rename measurement")

    def set_annotation_text(self, index: int, text: str | None) -> None:
        self._edit(with_annotation_text(self.plan, index, text), "Edit note")

    def _edit(self, plan: Plan, label: str, merge_key: Hashable | None = None) -> None:
        if plan == self.plan:
            return
        self.history.push(plan, label, merge_key)
        self._show(plan)

    # --- landmark intents -----------------------------------------------------------------------

    def to_pixel(self, display: QPointF) -> tuple[float, float]:
        return self.geometry.to_pixel((display.x(), display.y()))

    def set_point(self, key: str, display: QPointF, merge_key: Hashable | None = None) -> None:
        """Place or move ``LEVEL.point`` or ``femoral_heads.i`` at a display position."""
        self.set_point_pixels(key, self.to_pixel(display), merge_key)

    def set_point_pixels(
        self,
        key: str,
        pixel: tuple[float, float],
        merge_key: Hashable | None = None,
        label: str | None = None,
    ) -> None:
        """Place or move a point at image pixels; ``label`` names the undo step (default "Place
        KEY" or "Move KEY")."""
        level, _, name = key.partition(".")
        if level == "osteotomy":
            self.update_osteotomy(int(name), hinge=pixel, merge_key=merge_key)
            return
        if level == "annotation":  # annotation.I.J: point J of annotation I
            index, point = (int(part) for part in name.split("."))
            plan = with_annotation_point(self.plan, index, point, pixel)
            self._edit(plan, "Move measurement point", merge_key)
            return
        landmarks = self.plan.landmarks
        step = f"{'Move' if self._has(key) else 'Place'} {landmark_name(key)}"  # undo names the point
        if level == "femoral_heads":  # a move keeps a fitted head's radius
            index = int(name)
            heads = landmarks.femoral_heads
            landmarks = landmarks.with_head(index, pixel, heads[index].radius if index < len(heads) else None)
        else:
            landmarks = landmarks.with_point(level, name, pixel)
        self._edit(replace(self.plan, landmarks=landmarks), label or step, merge_key)

    def set_femoral_head(self, index: int, center: tuple[float, float], radius: float | None) -> None:
        """Place (or replace) femoral head ``index`` as a circle: centre and radius in pixels,
        written as ``{"center", "radius"}`` (contract.md §2)."""
        verb = "Move" if index < len(self.plan.landmarks.femoral_heads) else "Place"
        landmarks = self.plan.landmarks.with_head(index, center, radius)
        self._edit(replace(self.plan, landmarks=landmarks), f"{verb} femoral head {index + 1}")

    def remove_point(self, key: str) -> None:
        level, _, name = key.partition(".")
        if level == "osteotomy":  # Delete on a hinge returns it to the type's default
            self.update_osteotomy(int(name), hinge=None)
            return
        if level == "annotation":  # Delete on any of its points removes the whole measurement
            self.remove_annotation(int(name.split(".")[0]))
            return
        landmarks = self.plan.landmarks
        if level == "femoral_heads":
            landmarks = landmarks.without_head(int(name))
        else:
            landmarks = landmarks.with_point(level, name, None)
        self._edit(replace(self.plan, landmarks=landmarks), f"Remove {key}")

    def nudge(self, key: str, dx: float, dy: float) -> None:
        position = self.pixel_of(key)
        if position is not None:
            self.set_point_pixels(key, (position[0] + dx, position[1] + dy), merge_key=("nudge", key))

    def pixel_of(self, key: str) -> tuple[float, float] | None:
        level, _, name = key.partition(".")
        if level == "osteotomy":
            handle = next((h for h in self.overlay.handles if h.key == key), None)
            return self.geometry.to_pixel(handle.position) if handle is not None else None
        if level == "femoral_heads":
            heads = self.plan.landmarks.femoral_heads
            return heads[int(name)].center if int(name) < len(heads) else None
        if level == "annotation":
            index, point = (int(part) for part in name.split("."))
            annotations = self.plan.annotations
            if index < len(annotations) and point < len(annotations[index].points):
                return annotations[index].points[point]
            return None
        return self.plan.landmarks.point(level, name)

    def _has(self, key: str) -> bool:
        return self.pixel_of(key) is not None

    def end_gesture(self) -> None:
        self.history.seal()
        self.gesture_ended.emit()

    def set_calibration(self, calibration: Calibration) -> None:
        image = self.plan.image or ImageRef()
        updated = replace(
            image,
            pixel_spacing=calibration.spacing,
            calibration_source=calibration.source,
            calibration_detail=calibration.detail,
        )
        self._edit(replace(self.plan, image=updated), f"Calibrate ({calibration.source_text})")

    def undo(self) -> None:
        plan = self.history.undo()
        if plan is not None:
            self._show(plan)

    def redo(self) -> None:
        plan = self.history.redo()
        if plan is not None:
            self._show(plan)

    def adopt(self, plan: Plan) -> None:
        """Show ``plan``, changed in the document this one edits part of (a follow-up window's
        film, in the plan), whose history undoes: nothing to undo or save here; the image stays."""
        if plan == self.plan:
            return
        self.history.reset(plan)
        self._show(plan)

    # --- documents ------------------------------------------------------------------------------

    def open_plan(self, path: Path, plan: Plan | None = None) -> None:
        """Read a plan (raising ``PlanFileError`` with nothing changed), then load its image.
        ``plan`` is the file's content when the caller has read it already."""
        on_disk = disk_state(path.resolve())
        plan = plan if plan is not None else read_plan(path)
        self._open(plan, path.resolve(), path.resolve().parent)
        self._on_disk = on_disk
        for note in plan.read_notes:
            self.notice.emit(note)

    def restore(self, plan: Plan, document: Path | None, plan_folder: Path) -> None:
        """Open a plan kept by the recovery store: it is unsaved, and belongs to ``document``
        (``None``: it was never saved) so that Save writes it where the user was working."""
        self._open(plan, document, plan_folder)
        self._on_disk = disk_state(document) if document is not None else None
        self.history.mark_unsaved()
        self.document_changed.emit()

    def _open(self, plan: Plan, path: Path | None, plan_folder: Path) -> None:
        self.path = path
        self._on_disk = None
        self.history.reset(plan)
        self.radiograph = None
        self._image = plan_image(plan, plan_folder)
        self._changed_film_sha = None
        self.image_path = self._image.path
        self._show(plan)
        self.image_changed.emit()
        if self.image_path is not None:
            if self.image_path.exists():
                self._load(self.image_path, new_plan=False)
            else:
                self.notice.emit(f"image not found: {self.image_path}; showing the landmarks alone")

    def open_image(self, path: Path) -> None:
        """Start a new plan on an image (decoded off the GUI thread)."""
        self._image = PlanImage(path.resolve(), None)
        self._changed_film_sha = None
        self._load(path.resolve(), new_plan=True)

    def _load(self, path: Path, *, new_plan: bool) -> None:
        self.loading.emit(True)
        task = LoadImageTask(path)
        task.signals.loaded.connect(lambda image: self._loaded(path, image, new_plan))
        task.signals.failed.connect(self._failed)
        self._task = task
        start(task)

    def start_hashing(self) -> None:
        """Hash the image just loaded (called on its first paint, or shortly after loading when
        nothing paints it); once per load."""
        if self._to_hash is None:
            return
        path, new_plan = self._to_hash
        self._to_hash = None
        task = HashTask(path)
        task.signals.hashed.connect(lambda digest: self._hashed(path, digest, new_plan))
        self._hash_task = task
        start(task)

    def _failed(self, message: str) -> None:
        self.loading.emit(False)
        self.problem.emit(message)

    def _hashed(self, path: Path, digest: str, new_plan: bool) -> None:
        if path != self.image_path:
            return  # another document was opened meanwhile
        if new_plan and self.plan.image is not None and self.plan.image.sha256 is None:
            # Part of the new document, not an edit: record it in the plan and its first step.
            self.plan = replace(self.plan, image=replace(self.plan.image, sha256=digest))
            self.history.reset(self.plan, same_document=True)
        elif (warning := self._image.judge(digest, "view")) is not None:
            # The policy for a film that changed (files/plan_image.py): show it and warn; saving
            # the plan after checking the landmarks records this film, so outputs accept it again.
            self._changed_film_sha = digest
            self.notice.emit(warning)

    def _loaded(self, path: Path, radiograph: Radiograph, new_plan: bool) -> None:
        self.loading.emit(False)
        if new_plan:
            plan = plan_for_film(path, radiograph)
            self.path = None
            self._on_disk = None
            self.history.reset(plan)
            self.image_path = path
            self.radiograph = radiograph
            self._show(plan)
        else:
            self.radiograph = radiograph
            self._derive()  # the planned stage's image regions need the image's size
        for notice in radiograph.notices:
            self.notice.emit(notice)
        self._to_hash = (path, new_plan)
        QTimer.singleShot(HASH_FALLBACK_MS, self.start_hashing)
        self.image_changed.emit()  # the plan is unchanged (or was just shown by _show)

    def save(self, path: Path | None = None, *, overwrite_changed: bool = False) -> None:
        """Write the plan (atomically); the image path is stored relative to the plan's folder.
        Raises ``FileChangedOnDisk`` when the file was changed by someone else since it was opened
        or saved here (another window on the same plan), unless ``overwrite_changed``."""
        target = path or self.path
        if target is None:
            raise AlignmentPlannerError("choose where to save the plan")
        target = target.resolve()
        checked_output(str(target), [self.image_path], "save")  # never over the film itself
        if (
            not overwrite_changed
            and target == self.path
            and self._on_disk is not None
            and disk_state(target) != self._on_disk
        ):
            raise FileChangedOnDisk(target)
        plan = self.plan
        if plan.image is not None and self.image_path is not None:
            try:
                relative = os.path.relpath(self.image_path, target.parent)
            except ValueError:  # another drive on Windows
                relative = str(self.image_path)
            plan = replace(plan, image=replace(plan.image, path=relative))
        if plan.image is not None and self._changed_film_sha is not None:
            plan = replace(plan, image=replace(plan.image, sha256=self._changed_film_sha))
        write_plan(plan, target)
        if self._changed_film_sha is not None:
            self._image = PlanImage(self._image.path, self._changed_film_sha)
            self._changed_film_sha = None
        self.path = target
        self._on_disk = disk_state(target)
        if plan != self.plan:
            self.plan = plan  # same content, portable path; not an undo step
        self.history.mark_saved()
        self.document_changed.emit()
