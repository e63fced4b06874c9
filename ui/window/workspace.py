"""The reading-room workspace: the film as large as the window allows, the task panels in one
column beside it (collapsible from the toolbar), a main toolbar for the frequent actions, the
dark/light theme and the F1 sheet.

Default layout: every panel on the right, tasks (Landmarks, Plan) above, numbers (Measurements,
Targets) below, the column 27 % of the window wide (at least 494 px, where no panel has to cut
off a control). The film keeps the rest: over 60 % of the width at 1366×768, over 70 % at
1920×1080.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar

from ui.document.settings import Settings
from ui.window.action import make_action
from ui.window.help_sheet import HelpSheet
from ui.window.theme import apply_theme

COLUMN_SHARE = 0.27
COLUMN_MIN_PX = 499  # the measurement columns, sized to their contents, fit; the film keeps ≥ 60 %


class Workspace:
    def __init__(
        self, window: QMainWindow, settings: Settings, tasks: QDockWidget, numbers: QDockWidget
    ) -> None:
        self._window = window
        self._settings = settings
        self._tasks = tasks
        self._numbers = numbers
        self.light_action = make_action(window, "&Light theme", self._theme_toggled, checkable=True)
        self.light_action.setChecked(settings.theme() == "light")
        self.help_action = make_action(window, "&Keys and workflow…", self.show_help, "F1")
        self.help_action.setIconText("Help")
        self.toolbar = QToolBar("Main toolbar", window)
        self.toolbar.setObjectName("toolbar-main")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setMovable(False)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.help: HelpSheet | None = None
        self._toggles = {tasks: "Tasks", numbers: "Values"}
        for dock, short in self._toggles.items():
            toggle = dock.toggleViewAction()
            toggle.setText(f"{short} panel")
            toggle.setIconText(short)
            toggle.setToolTip(f"Show or hide the {dock.windowTitle()} panel (more room for the film)")
        apply_theme(settings.theme())

    def fill_toolbar(self, groups: Sequence[Sequence[tuple[QAction, str]]]) -> None:
        """Groups of (action, short button text), separated; then a button per panel that shows
        or hides it. Short texts keep the whole toolbar on a 1366 px screen; the menus and the
        tooltips keep the full names."""
        for group in groups:
            for action, short in group:
                action.setIconText(short)
                self.toolbar.addAction(action)
            self.toolbar.addSeparator()
        for dock in self._toggles:
            self.toolbar.addAction(dock.toggleViewAction())
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.help_action)

    def fill_view_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        for dock in self._toggles:
            menu.addAction(dock.toggleViewAction())
        menu.addAction(self.light_action)

    def default_layout(self) -> None:
        """The panel column sized to the window once it has its real size (a dock resized
        before the window's first layout keeps its default width)."""
        QTimer.singleShot(0, self.fit_column)

    def fit_column(self) -> None:
        width = max(COLUMN_MIN_PX, round(self._window.width() * COLUMN_SHARE))
        docks = [self._tasks, self._numbers]
        self._window.resizeDocks(docks, [width, width], Qt.Orientation.Horizontal)
        height = self._window.height()
        self._window.resizeDocks(docks, [round(height * 0.5), round(height * 0.5)], Qt.Orientation.Vertical)

    def show_help(self) -> None:
        actions = [a for a in self._window.findChildren(QAction) if a.shortcuts()]
        unique = list({id(a): a for a in actions}.values())
        unique.sort(key=lambda a: a.text())
        self.help = HelpSheet(unique, self._window)
        self.help.show()

    def _theme_toggled(self) -> None:
        theme = "light" if self.light_action.isChecked() else "dark"
        self._settings.set_theme(theme)
        apply_theme(theme)
