"""The main window: menus, docks and status bar wired to the controller. No geometry here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QWidget,
)

from alignment_planner import __version__
from alignment_planner.analysis.uncertainty import Uncertainty
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.imaging import Window
from ui.canvas.scene import PlanScene
from ui.canvas.view import RadiographView
from ui.document.controller import PlanController
from ui.document.recovery import RecoveryStore
from ui.document.settings import Settings
from ui.panels.measurements import MeasurementsPanel
from ui.panels.osteotomy import OsteotomyPanel
from ui.panels.targets import TargetsPanel
from ui.panels.wizard import WizardPanel
from ui.window.calibration import CalibrationActions
from ui.window.documents import DocumentActions
from ui.window.practice import PracticeActions
from ui.window.targets import TargetActions

JUDGE_DELAY_MS = 250
RECOVERY_DELAY_MS = 300
IMAGE_FILTER = "Radiographs and plans (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.json);;All files (*)"
Answer = QMessageBox.StandardButton


class MainWindow(CalibrationActions, DocumentActions, TargetActions, PracticeActions, QMainWindow):
    def __init__(self, settings: Settings | None = None, recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.recovery = recovery or RecoveryStore()
        # Every edit reaches the recovery file within this delay (issue 8 §1: a kill loses at most
        # the last edit); a drag writes once it pauses, not on every move.
        self._keep_safe = QTimer(self)
        self._keep_safe.setSingleShot(True)
        self._keep_safe.setInterval(RECOVERY_DELAY_MS)
        self._keep_safe.timeout.connect(self._write_recovery)
        self._recovery_failed = False
        self.controller = PlanController()
        self.scene = PlanScene()
        self.view = RadiographView(self.scene, self.scene.overlay_item)
        self.setCentralWidget(self.view)
        self.measurements = MeasurementsPanel()
        self.wizard = WizardPanel()
        landmarks_dock = self._dock("Landmarks", self.wizard, Qt.DockWidgetArea.LeftDockWidgetArea)
        measurements_dock = self._dock(
            "Measurements", self.measurements, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.targets = TargetsPanel(self.settings.preset_id(), self.settings.point_sd_mm())
        self.targets_dock = self._dock("Targets", self.targets, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(measurements_dock, self.targets_dock)
        measurements_dock.raise_()
        self.uncertainty: Uncertainty | None = None
        # The ± bands and the targets list need ~50 ms: computed once a drag or slider pauses.
        self._judge_later = QTimer(self)
        self._judge_later.setSingleShot(True)
        self._judge_later.setInterval(JUDGE_DELAY_MS)
        self._judge_later.timeout.connect(self._judge_fully)
        self.osteotomies = OsteotomyPanel(self.controller)
        # Landmarking, then planning: the two steps share the left side as tabs, so the
        # measurement table stays in full view while an angle is being set.
        scroller = QScrollArea()  # the tool is taller than a laptop screen; it must not set the
        scroller.setWidget(self.osteotomies)  # window's minimum height
        scroller.setWidgetResizable(True)
        self.plan_dock = self._dock("Plan", scroller, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(landmarks_dock, self.plan_dock)
        landmarks_dock.raise_()
        self._build_practice()
        self.tabifyDockWidget(self.targets_dock, self.practice_dock)
        self.practice_dock.hide()
        self.setAcceptDrops(True)
        self.selected: str | None = None
        self._drag_serial = 0
        self._calibration: tuple[str, list[tuple[float, float]]] | None = None
        # Replaceable for tests: how the window asks questions and reports problems.
        self.ask_unsaved: Callable[[], Answer] = self._ask_unsaved
        self.ask_restore: Callable[[str], bool] = self._ask_restore
        self.show_problem: Callable[[str], None] = lambda text: QMessageBox.warning(
            self, "alignment-planner", text
        )
        self._build_status_bar()
        self._build_menus()
        self._connect()
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        if state is not None:
            self.restoreState(state)
        self._refresh_title()

    # --- construction ---------------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        self.cursor_label = QLabel()
        self.window_label = QLabel()
        self.scale_label = QLabel()
        self.stage_label = QLabel("pre-op")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        bar = self.statusBar()
        for widget in (self.stage_label, self.cursor_label, self.window_label, self.scale_label, self.busy):
            bar.addPermanentWidget(widget)

    def _action(
        self,
        menu: object,
        text: str,
        slot: Callable[[], object],
        shortcut: object = None,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])  # type: ignore[arg-type]
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Open image or plan…", self.choose_and_open, QKeySequence.StandardKey.Open)
        self.recent_menu = file.addMenu("Open &recent")
        self._action(file, "&Save plan", self.save, QKeySequence.StandardKey.Save)
        self._action(file, "Save plan &as…", self.save_as, QKeySequence.StandardKey.SaveAs)
        self._action(file, "&Export annotated image (PNG)…", self.export_png, "Ctrl+E")
        self._action(file, "Export plan &PDF…", self.export_pdf, "Ctrl+Shift+E")
        self._action(file, "Export &anonymised plan…", self.export_anonymised)
        self.identifiers_action = self._action(
            file, "Include patient &identifiers in the PDF", lambda: None, checkable=True
        )
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self.controller.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(
            edit,
            "&Redo",
            self.controller.redo,
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")],
        )
        self._action(edit, "&Delete selected point", self.delete_selected, QKeySequence.StandardKey.Delete)
        view = bar.addMenu("&View")
        self._action(view, "&Fit to window", self.view.fit, "F")
        self._action(view, "Actual &size (1:1)", self.view.actual_size, "1")
        self._action(
            view, "Zoom &in", lambda: self.view.zoom_by(1.25), [QKeySequence("+"), QKeySequence("=")]
        )
        self._action(view, "Zoom &out", lambda: self.view.zoom_by(0.8), "-")
        self.invert_action = self._action(view, "&Invert", self.toggle_invert, "I", checkable=True)
        self._action(view, "&Reset window/level", self.reset_window, "R")
        self.constructions_action = self._action(
            view, "Show &constructions", self.toggle_constructions, "C", checkable=True
        )
        self.constructions_action.setChecked(True)
        self.planned_action = self._action(
            view, "&Planned image (simulated)", self.toggle_planned, "P", checkable=True
        )
        practice = bar.addMenu("&Practice")
        self._action(practice, "Sample &cases…", self.choose_case, "Ctrl+Shift+O")
        self._action(practice, "&Check landmarks", self.check_landmarks, "Ctrl+K")
        self._action(practice, "Co&mpare plan", self.compare_plan, "Ctrl+M")
        self._action(practice, "&History…", self.show_history)
        self._action(practice, "&End practice", self.end_practice)
        tools = bar.addMenu("&Tools")
        self._action(
            tools, "Calibrate by a known &distance…", lambda: self.start_calibration("distance"), "Ctrl+D"
        )
        self._action(tools, "Calibrate on a &ball…", lambda: self.start_calibration("ball"), "Ctrl+B")
        self._action(tools, "&Finish ball calibration", self.finish_ball, "Return")
        self._action(tools, "&Cancel calibration", self.cancel_calibration, "Escape")
        self._refresh_recent()

    def _connect(self) -> None:
        c = self.controller
        c.plan_changed.connect(self._plan_changed)
        c.stage_changed.connect(self._stage_changed)
        self.osteotomies.dragging.connect(self.scene.set_interactive)
        self.targets.preset_changed.connect(self._preset_changed)
        self.osteotomies.preset_goals_wanted.connect(self._preset_goals)
        self.targets.point_sd_changed.connect(self._point_sd_changed)
        c.image_changed.connect(self._image_changed)
        c.document_changed.connect(self._refresh_title)
        c.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        c.problem.connect(lambda text: self.show_problem(text))  # looked up per call: replaceable
        c.loading.connect(self._loading)
        self.view.handle_pressed.connect(self._handle_pressed)
        self.view.handle_dragged.connect(self._handle_dragged)
        self.view.handle_released.connect(lambda _key: c.end_gesture())
        self.view.canvas_clicked.connect(self._canvas_clicked)
        self.view.handle_clicked.connect(self._handle_clicked)
        self.view.window_dragged.connect(self._window_dragged)
        self.view.cursor_moved.connect(self._cursor_moved)
        self.wizard.step_changed.connect(self._step_changed)

    # --- reacting to the document ---------------------------------------------------------------

    def _plan_changed(self) -> None:
        c = self.controller
        self.scene.set_overlay(c.overlay)
        self.scene.set_fragments(c.fragments, c.geometry)
        self.measurements.show_analysis(c.analysis)
        self.uncertainty = None  # stale until recomputed
        self._judge_now()
        self._judge_later.start()
        if c.dirty:
            self._keep_safe.start()
        self.wizard.refresh(c.plan.landmarks)
        self.scale_label.setText(f"scale: {c.analysis.calibration.source}")
        self.undo_action.setEnabled(c.history.can_undo)
        self.redo_action.setEnabled(c.history.can_redo)
        self.undo_action.setText(f"&Undo {c.history.undo_label or ''}".strip())
        self.redo_action.setText(f"&Redo {c.history.redo_label or ''}".strip())

    def _image_changed(self) -> None:
        self.wizard.start(self.controller.plan.landmarks)
        self.scene.set_radiograph(self.controller.radiograph, self.controller.geometry)
        self.scene.set_fragments(self.controller.fragments, self.controller.geometry)
        if self.scene.image_item is not None:
            self.scene.image_item.first_painted = self.controller.start_hashing
        self.invert_action.setChecked(False)
        self._update_window_label()
        # Fit before the first paint (painting a full-spine film at 100 % first would window all
        # 27 Mpx for nothing), and again once the layout has settled when the window is new.
        self.view.fit()
        QTimer.singleShot(0, self.view.fit)

    def _refresh_title(self) -> None:
        c = self.controller
        if not c.dirty and self.recovery.written:
            self.recovery.clear()  # saved, or another document opened: nothing to recover
        name = c.path.name if c.path else (c.image_path.name if c.image_path else "no plan")
        self.setWindowTitle(f"{name}{' *' if c.dirty else ''} — alignment-planner {__version__}")

    def _loading(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self.statusBar().showMessage("Decoding image…")
        else:
            QApplication.restoreOverrideCursor()
            self.statusBar().clearMessage()

    def _update_window_label(self) -> None:
        item = self.scene.image_item
        if item is None:
            self.window_label.setText("")
        elif item.use_file_lut:
            self.window_label.setText("window: file VOI LUT")
        else:
            self.window_label.setText(f"C {item.window.center:.0f} / W {item.window.width:.0f}")

    # --- gestures -------------------------------------------------------------------------------

    def _handle_pressed(self, key: str) -> None:
        self.selected = key
        self.scene.overlay_item.set_selected(key)
        self._drag_serial += 1

    def _handle_dragged(self, key: str, position: QPointF) -> None:
        self.controller.set_point(key, position, merge_key=("drag", self._drag_serial))

    def _handle_clicked(self, key: str, position: QPointF) -> None:
        """A click on a handle places the wizard's point there if one is being placed (points can
        sit close together at low zoom), and otherwise selects the handle for nudging."""
        if (
            self._calibration is not None
            or self.osteotomies.pick_button.isChecked()
            or (self.wizard.current is not None and self.wizard.active.isChecked())
        ):
            self._canvas_clicked(position)
        else:
            self._handle_pressed(key)

    def _canvas_clicked(self, position: QPointF) -> None:
        if self._calibration is not None:
            self._calibration_click(position)
            return
        if self.osteotomies.pick_button.isChecked():
            self.osteotomies.pick_at(self.controller.to_pixel(position))
            return
        step = self.wizard.current
        if step is None or not self.wizard.active.isChecked():
            return
        self.controller.set_point(step.key, position)
        self.controller.end_gesture()
        self.selected = step.key
        self.scene.overlay_item.set_selected(step.key)
        self.wizard.placed(self.controller.plan.landmarks)

    def _step_changed(self) -> None:
        step = self.wizard.current
        if step is not None and self._calibration is None:
            self.statusBar().showMessage(f"Click: {step.title}")

    def _window_dragged(self, dx: float, dy: float, finished: bool) -> None:
        item = self.scene.image_item
        if item is None:
            return
        low, high = item.radiograph.value_range
        sensitivity = max(high - low, 1.0) / 1000.0
        window = item.window if not item.use_file_lut else item.radiograph.default_window
        if not finished:  # each change is final already: the lookup runs on the level on screen
            item.set_window(
                Window(window.center - dy * sensitivity, max(1.0, window.width + dx * sensitivity))
            )
        self._update_window_label()

    def _cursor_moved(self, position: QPointF) -> None:
        x, y = self.controller.to_pixel(position)
        self.cursor_label.setText(f"x {x:.0f}  y {y:.0f} px   zoom {self.view.zoom * 100:.0f} %")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if event.key() in steps and self.selected is not None:
            dx, dy = steps[Qt.Key(event.key())]
            factor = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
            self.controller.nudge(self.selected, dx * factor, dy * factor)
            event.accept()
            return
        super().keyPressEvent(event)

    def delete_selected(self) -> None:
        if self.selected is not None:
            self.controller.remove_point(self.selected)
            self.selected = None
            self.scene.overlay_item.set_selected(None)

    def toggle_invert(self) -> None:
        if self.scene.image_item is not None:
            self.scene.image_item.set_inverted(self.invert_action.isChecked())

    def reset_window(self) -> None:
        if self.scene.image_item is not None:
            self.scene.image_item.set_window(None)
            self._update_window_label()

    def toggle_planned(self) -> None:
        """Compare pre-op and planned: the same view, the film and overlay of either stage."""
        self.controller.set_stage("postop" if self.planned_action.isChecked() else "preop")

    def _stage_changed(self) -> None:
        planned = self.controller.stage == "postop"
        self.planned_action.setChecked(planned)
        self.stage_label.setText("PLANNED" if planned else "pre-op")
        self.stage_label.setStyleSheet("color: #ff50c8; font-weight: bold" if planned else "")

    def toggle_constructions(self) -> None:
        self.scene.overlay_item.show_constructions = self.constructions_action.isChecked()
        self.scene.overlay_item.refresh_layers()

    # --- files ----------------------------------------------------------------------------------

    def _ask_unsaved(self) -> Answer:
        return QMessageBox.question(
            self,
            "Unsaved changes",
            "The plan has unsaved changes. Save them first?",
            Answer.Save | Answer.Discard | Answer.Cancel,
            Answer.Save,
        )

    def may_discard(self) -> bool:
        """True when it is fine to replace the current document (saved, discarded, or clean)."""
        if not self.controller.dirty:
            return True
        answer = self.ask_unsaved()
        if answer == Answer.Save:
            return self.save()
        return answer == Answer.Discard

    def choose_and_open(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Open", self.settings.last_folder(), IMAGE_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            # A plan is read and validated before anything is asked or replaced: a bad file
            # changes nothing and does not even raise the unsaved-changes question.
            plan = read_plan(path) if path.suffix.lower() == ".json" else None
            if not self.may_discard():
                return False
            if plan is not None:
                self.controller.open_plan(path, plan)
            else:
                self.controller.open_image(path)
        except AlignmentPlannerError as exc:
            self.show_problem(str(exc))  # the open document is untouched
            return False
        self.settings.add_recent(path.resolve())
        self.settings.set_last_folder(path.resolve().parent)
        self._refresh_recent()
        return True

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self._save_to(None)

    def save_as(self) -> bool:
        start = str(
            self.controller.path or (self.controller.image_path or Path("plan")).with_suffix(".plan.json")
        )
        path, _filter = QFileDialog.getSaveFileName(self, "Save plan", start, "Plans (*.json)")
        return bool(path) and self._save_to(Path(path))

    def _save_to(self, path: Path | None) -> bool:
        try:
            self.controller.save(path)
        except AlignmentPlannerError as exc:
            self.show_problem(f"The plan was not saved (it is still open): {exc}")
            return False
        if self.controller.path is not None:
            self.settings.add_recent(self.controller.path)
            self._refresh_recent()
        self.statusBar().showMessage(f"Saved {self.controller.path}", 5000)
        return True

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files():
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_files()))

    # --- window events --------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_path(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_discard():
            event.ignore()
            return
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self._keep_safe.stop()
        self.recovery.clear()  # saved or deliberately discarded
        event.accept()
