"""The main window: the canvas, the docked panels and the status bar, composed with the action
groups that do the work (files, exports, editing, view, calibration, targets, practice, recovery).
The window builds the menus from the groups' actions and routes the controller's signals; it holds
no geometry and no document logic of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from alignment_planner import __version__
from ui.canvas.practice_item import PracticeErrorsItem
from ui.canvas.scene import PlanScene
from ui.canvas.view import RadiographView
from ui.document.attempts import AttemptStore
from ui.document.controller import PlanController
from ui.document.recovery import RecoveryStore
from ui.document.settings import Settings
from ui.panels.followups import FollowUpsPanel
from ui.panels.measurements import MeasurementsPanel
from ui.panels.osteotomy import OsteotomyPanel
from ui.panels.practice import PracticePanel
from ui.panels.procedures import ProceduresPanel
from ui.panels.targets import TargetsPanel
from ui.panels.wizard import WizardPanel
from ui.window.action import make_action
from ui.window.annotation_actions import AnnotationActions
from ui.window.calibration_actions import CalibrationActions
from ui.window.edit_actions import EditActions
from ui.window.eliding_status_bar import ElidingStatusBar
from ui.window.export_actions import ExportActions
from ui.window.file_actions import FileActions
from ui.window.followup_actions import FollowUpActions
from ui.window.hospital_actions import HospitalActions
from ui.window.landmark_actions import LandmarkActions
from ui.window.messages import Messages
from ui.window.practice_actions import PracticeActions
from ui.window.recovery_keeper import RecoveryKeeper
from ui.window.report_settings import ReportSettingsDialog
from ui.window.status_labels import StatusLabels
from ui.window.target_actions import TargetActions
from ui.window.view_actions import ViewActions
from ui.window.workspace import Workspace

# Arrow keys nudge the selected point by one image pixel (ten with Shift).
# QKeyEvent.key() is a plain int; Qt.Key is an IntEnum, so its members are those ints.
NUDGE_STEPS: dict[int, tuple[int, int]] = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.controller = PlanController()
        self.scene = PlanScene()
        self.view = RadiographView(self.scene, self.scene.overlay_item)
        self.setCentralWidget(self.view)
        self.setStatusBar(ElidingStatusBar())  # a long message ends in "…" before the indicators
        self.status = StatusLabels(self.statusBar())
        self.messages = Messages(self, self.statusBar())
        self._build_panels()
        self._build_groups(recovery or RecoveryStore())
        self.setAcceptDrops(True)
        self.workspace = Workspace(
            self,
            self.settings,
            tasks=self.tasks_dock,
            numbers=self.numbers_dock,
        )
        self._build_menus()
        self._build_toolbar()
        self._connect()
        self.workspace.default_layout()
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

    def _build_panels(self) -> None:
        # One column beside the film: the tasks (landmarking, then planning) above as tabs, the
        # numbers (measurements, targets) below, so the measurement table stays in view while an
        # angle is being set. Tabs inside two docks rather than tabified docks: Qt left stale
        # tab bars of tabified docks drawn over the film.
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.measurements = MeasurementsPanel()
        self.wizard = WizardPanel()
        self.osteotomies = OsteotomyPanel(self.controller)
        self.procedures = ProceduresPanel(self.controller)
        plan_tab = QWidget()  # the cuts, then the other operations of the plan
        plan_layout = QVBoxLayout(plan_tab)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.osteotomies)
        plan_layout.addWidget(self.procedures)
        plan_layout.addStretch(1)
        self.plan_scroller = QScrollArea()  # the tool is taller than a laptop screen; it must
        self.plan_scroller.setWidget(plan_tab)  # not set the window's minimum height
        self.plan_scroller.setWidgetResizable(True)
        self.task_tabs = QTabWidget()
        wizard_scroller = QScrollArea()  # two panels stacked in the column: neither may set
        wizard_scroller.setWidget(self.wizard)  # the window's minimum height
        wizard_scroller.setWidgetResizable(True)
        self.task_tabs.addTab(wizard_scroller, "Landmarks")
        self.task_tabs.addTab(self.plan_scroller, "Plan")
        self.tasks_dock = self._dock("Landmarks and plan", self.task_tabs, right)
        self.targets = TargetsPanel(self.settings.preset_id(), self.settings.point_sd_mm())
        self.number_tabs = QTabWidget()
        self.number_tabs.setDocumentMode(True)  # no pane frame: its pixels go to the table's columns
        self.number_tabs.addTab(self.measurements, "Measurements")
        self.number_tabs.addTab(self.targets, "Targets")
        self.numbers_dock = self._dock("Measurements and targets", self.number_tabs, right)
        self.practice_panel = PracticePanel()
        self.practice_dock = self._dock("Practice", self.practice_panel, right)
        self.practice_dock.hide()
        self.practice_errors = PracticeErrorsItem()
        self.practice_errors.hide()
        self.scene.addItem(self.practice_errors)
        self.followups_panel = FollowUpsPanel()
        self.number_tabs.addTab(self.followups_panel, "Follow-ups")

    def _build_groups(self, recovery: RecoveryStore) -> None:
        c, messages = self.controller, self.messages
        self.recovery = RecoveryKeeper(c, recovery, messages, self)
        self.files = FileActions(c, self.settings, messages, self)
        self.exports = ExportActions(c, self.scene, self.targets, self.settings, messages, self)
        self.hospital = HospitalActions(c, self.files, self.targets, self.settings, messages, self)
        self.calibration = CalibrationActions(c, messages, self)
        self.annotations = AnnotationActions(
            c, self.view, self.scene, lambda key: self.edit.select(key), messages, self
        )
        self.followups = FollowUpActions(
            c, self.followups_panel, self.osteotomies, self.settings, messages, self
        )
        self.landmarking = LandmarkActions(
            c,
            self.wizard,
            self.tasks_dock,
            self.view,
            self.scene,
            self.osteotomies,
            self.calibration,
            self.annotations,
            self.settings,
            messages,
            self,
        )
        self.number_tabs.addTab(self.annotations.panel, "Drawn")
        self.edit = EditActions(
            c, self.scene.overlay_item, self.wizard, self.osteotomies, self.procedures, self.calibration,
            self.landmarking, self.annotations, messages, self,
        )
        self.viewing = ViewActions(c, self.view, self.scene, self.status, self)
        self.target_actions = TargetActions(
            c, self.measurements, self.targets, self.osteotomies, self.settings, messages, self
        )
        # Connected to the controller before the window's own reactions: a session whose film is
        # replaced ends before the new film is shown.
        self.practice = PracticeActions(
            c,
            self.practice_panel,
            self.practice_dock,
            self.practice_errors,
            self.files,
            AttemptStore(),
            messages,
            self,
            self.landmarking,
        )

    def edit_report_settings(self) -> ReportSettingsDialog:
        """Edit → Report settings…: the sign-off names for the next PDF (not modal for tests)."""
        dialog = ReportSettingsDialog(self.settings, self)
        dialog.open()
        return dialog

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files, exports = self.files, self.exports
        file = bar.addMenu("&File")
        file.addAction(files.open_action)
        file.addMenu(files.recent_menu)
        h = self.hospital
        file.addActions([h.open_pacs_action, h.open_disc_action])
        file.addActions([files.save_action, files.save_as_action])
        file.addAction(self.followups.add_action)
        file.addMenu(self.followups.menu)
        file.addAction(self.followups.fit_action)
        file.addActions(
            [exports.png_action, exports.pdf_action, exports.anonymised_action, exports.identifiers_action]
        )
        file.addSeparator()
        file.addActions([h.send_action, h.settings_action])
        file.addSeparator()
        file.addAction(make_action(self, "&Quit", self.close, QKeySequence.StandardKey.Quit))
        edit = bar.addMenu("&Edit")
        edit.addActions([self.edit.undo_action, self.edit.redo_action, self.edit.delete_action])
        edit.addSeparator()
        self.report_settings_action = make_action(self, "&Report settings…", self.edit_report_settings)
        self.report_settings_action.setToolTip("Surgeon, department and institution on the PDF's sign-off")
        edit.addAction(self.report_settings_action)
        v = self.viewing
        view = bar.addMenu("&View")
        view.addActions(
            [
                v.fit_action,
                v.actual_size_action,
                v.zoom_in_action,
                v.zoom_out_action,
                v.invert_action,
                v.reset_window_action,
                v.constructions_action,
                v.planned_action,
            ]
        )
        p = self.practice
        practice = bar.addMenu("&Practice")
        practice.addActions(
            [p.cases_action, p.check_action, p.compare_action, p.history_action, p.end_action]
        )
        k = self.calibration
        tools = bar.addMenu("&Tools")
        tools.addActions([k.distance_action, k.ball_action, k.finish_action, k.cancel_action])
        tools_for_drawing = list(self.annotations.tool_actions.values())
        bar.addMenu("&Measure").addActions(tools_for_drawing)
        # A palette down the left edge, as in drawing programs: it costs the film no height.
        toolbar = QToolBar("Measure", self)
        toolbar.setObjectName("toolbar-measure")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.addActions(tools_for_drawing)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, toolbar)
        self.workspace.fill_view_menu(view)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.workspace.help_action)

    def show_as_followup(self, label: str) -> None:
        """This window measures a follow-up film: its values are the film's (named by ``label``),
        and nothing here plans, so the planning actions are hidden from the toolbar and menus."""
        self.measurements.set_film_label(label)
        self.viewing.name_film(label)
        for action in (self.plan_action, self.solve_action, self.viewing.planned_action):
            action.setVisible(False)
            action.setEnabled(False)

    def _show_task(self, index: int) -> None:
        self.tasks_dock.show()
        self.task_tabs.setCurrentIndex(index)

    def _start_solve(self) -> None:
        """Straight to the solve row of the Plan tab, its target value ready to type."""
        self._show_task(1)
        self.plan_scroller.ensureWidgetVisible(self.osteotomies.solve_value)
        self.osteotomies.solve_value.setFocus()
        self.osteotomies.solve_value.selectAll()

    def _build_toolbar(self) -> None:
        self.landmarks_action = make_action(self, "&Landmarks", lambda: self._show_task(0), "Ctrl+1")
        self.plan_action = make_action(self, "&Plan", lambda: self._show_task(1), "Ctrl+2")
        self.solve_action = make_action(self, "&Solve…", self._start_solve, "Ctrl+3")
        v, files, exports = self.viewing, self.files, self.exports
        self.workspace.fill_toolbar(
            [
                [
                    (files.open_action, "Open"),
                    (self.practice.cases_action, "Cases"),
                    (files.save_action, "Save"),
                ],
                [
                    (self.landmarks_action, "Landmarks"),
                    (self.plan_action, "Plan"),
                    (self.solve_action, "Solve"),
                ],
                [
                    (v.fit_action, "Fit"),
                    (v.invert_action, "Invert"),
                    (v.constructions_action, "Lines"),
                    (v.planned_action, "Planned"),
                ],
                [(exports.pdf_action, "PDF")],
            ]
        )

    def _connect(self) -> None:
        c = self.controller
        c.plan_changed.connect(self._plan_changed)
        self.osteotomies.dragging.connect(self.scene.set_interactive)
        c.image_changed.connect(self._image_changed)
        c.document_changed.connect(self._refresh_title)
        c.notice.connect(lambda text: self.messages.status(text, 15000))
        c.problem.connect(self.messages.problem)
        c.loading.connect(self._loading)
        edit = self.edit
        self.view.handle_pressed.connect(edit.handle_pressed)
        self.view.handle_dragged.connect(edit.handle_dragged)
        self.view.handle_released.connect(lambda _key: c.end_gesture())
        self.view.canvas_clicked.connect(edit.canvas_clicked)
        self.view.handle_clicked.connect(edit.handle_clicked)
        # Esc stops drawing too (one key for "stop what the clicks are doing"); Enter is routed by
        # the landmark actions.
        self.calibration.cancel_action.triggered.connect(self.annotations.stop)

    # --- reacting to the document ---------------------------------------------------------------

    def _plan_changed(self) -> None:
        c = self.controller
        self.scene.set_overlay(c.overlay)
        self.scene.set_fragments(c.fragments, c.geometry)
        self.measurements.show_analysis(c.analysis)
        self.measurements.show_procedures(c.plan)
        self.target_actions.plan_changed()
        self.annotations.plan_changed()
        self.recovery.edited()
        self.wizard.refresh(c.plan.landmarks)
        self.status.scale.setText(f"scale: {c.analysis.calibration.source_text}")
        self.edit.show_history()

    def _image_changed(self) -> None:
        self.wizard.start(self.controller.plan.landmarks)
        self.scene.set_radiograph(self.controller.radiograph, self.controller.geometry)
        self.scene.set_fragments(self.controller.fragments, self.controller.geometry)
        if self.scene.image_item is not None:
            self.scene.image_item.first_painted = self.controller.start_hashing
        self.viewing.image_shown()
        # Fit before the first paint (painting a full-spine film at 100 % first would window all
        # 27 Mpx for nothing), and again once the layout has settled when the window is new.
        self.view.fit()
        QTimer.singleShot(0, self.view.fit)

    def _refresh_title(self) -> None:
        c = self.controller
        self.recovery.settled()
        name = c.path.name if c.path else (c.image_path.name if c.image_path else "no plan")
        self.setWindowTitle(f"{name}{' *' if c.dirty else ''} — alignment-planner {__version__}")

    def _loading(self, busy: bool) -> None:
        self.status.busy.setVisible(busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self.messages.status("Decoding image…")
        else:
            QApplication.restoreOverrideCursor()
            self.messages.clear_status()

    # --- window events --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = NUDGE_STEPS.get(event.key())
        if step is not None:
            factor = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
            if self.edit.nudge_selected(step[0] * factor, step[1] * factor):
                event.accept()
                return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.files.open_path(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.may_discard():
            event.ignore()
            return
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.recovery.closing()
        event.accept()
