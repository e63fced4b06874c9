"""How the column beside the film is shared in practice mode (second review B1).

Three docks stack there: the Landmarks wizard, the measurements and the practice panel. On a
1366×768 screen the column is about 690 px, so no even split works for both stages of a session:
- while the resident places landmarks the wizard gets the height that shows its step title,
  drawing, instruction and Back/Skip whole; the practice panel keeps its buttons and a few lines
  of the case; the measurements (empty until there are landmarks) take what is left;
- once there is a score, the score gets half the column, the others a quarter each."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QTabWidget, QWidget

from ui.panels.wizard import WizardPanel

INSTRUCTION_SLACK_LINES = 1
"""Room for an instruction a little longer than the current step's (the steps differ)."""
PRACTICE_WHILE_PLACING_PX = 260
"""The practice panel while landmarks are placed: its buttons and the first lines of the case."""


def _column(window: QMainWindow, dock: QDockWidget) -> list[QDockWidget]:
    area = window.dockWidgetArea(dock)
    return [d for d in window.findChildren(QDockWidget)
            if d.isVisible() and not d.isFloating() and window.dockWidgetArea(d) == area]


def _holder(window: QMainWindow, widget: QWidget) -> QDockWidget | None:
    return next((d for d in window.findChildren(QDockWidget) if d.isAncestorOf(widget)), None)


def wizard_height(dock: QDockWidget, wizard: WizardPanel) -> int:
    """The dock height at which the wizard shows everything down to its Back/Skip buttons."""
    scroller = wizard.parentWidget()
    while scroller is not None and not isinstance(scroller, QScrollArea):
        scroller = scroller.parentWidget()
    # What the dock spends above and around the wizard's viewport (title bar, tab bar, frames).
    chrome = dock.height() - scroller.viewport().height() if scroller is not None else 0
    buttons = wizard.back_button
    bottom = buttons.mapTo(wizard, QPoint(0, buttons.height())).y()
    slack = INSTRUCTION_SLACK_LINES * wizard.fontMetrics().lineSpacing()
    layout = wizard.layout()
    margin = layout.contentsMargins().bottom() if layout is not None else 0
    return chrome + bottom + margin + slack


def show_wizard_tab(wizard: WizardPanel) -> None:
    """The Landmarks tab of the task tabs, so the wizard is what the resident sees."""
    page: QWidget | None = wizard
    while page is not None:
        holder = page.parentWidget()
        tabs = holder.parentWidget() if holder is not None else None
        if isinstance(tabs, QTabWidget) and tabs.indexOf(page) >= 0:
            tabs.setCurrentWidget(page)
            return
        page = holder


def room_for_placing(window: QMainWindow, practice: QDockWidget) -> None:
    wizard = window.findChild(WizardPanel)
    tasks = _holder(window, wizard) if wizard is not None else None
    if wizard is None or tasks is None or not practice.isVisible() or not tasks.isVisible():
        room_for_the_score(window, practice)
        return
    show_wizard_tab(wizard)
    column = _column(window, practice)
    if tasks not in column or practice not in column:
        return
    total = sum(d.height() for d in column)
    others = [d for d in column if d is not tasks and d is not practice]
    least_others = sum(d.minimumSizeHint().height() for d in others)
    least_practice = practice.minimumSizeHint().height()
    # The wizard first (never so much that the others fall below their minimum), then the practice
    # panel up to a few lines of the case, then the measurements.
    wanted = min(wizard_height(tasks, wizard), total - least_practice - least_others)
    compact = min(max(least_practice, total - wanted - least_others), PRACTICE_WHILE_PLACING_PX)
    rest = max(total - wanted - compact, 0)
    sizes = {tasks: wanted, practice: compact}
    for dock in others:
        sizes[dock] = rest // max(len(others), 1)
    window.resizeDocks(list(sizes), list(sizes.values()), Qt.Orientation.Vertical)


def buttons_clipped(wizard: WizardPanel) -> bool:
    """Back/Skip below the fold of the wizard's scroll area (or its dock)."""
    button = wizard.back_button
    scroller = wizard.parentWidget()
    while scroller is not None and not isinstance(scroller, QScrollArea):
        scroller = scroller.parentWidget()
    if scroller is None or not button.isVisible():
        return False
    bottom = button.mapTo(scroller.viewport(), QPoint(0, button.height())).y()
    return bottom > scroller.viewport().height()


def room_for_the_score(window: QMainWindow, practice: QDockWidget) -> None:
    """Half the column for the score; the wizard and the measurements share the rest (a dock added
    below two others would otherwise get a third, its table a few rows)."""
    if not practice.isVisible():
        return
    others = [d for d in _column(window, practice) if d is not practice]
    height = window.height()
    window.resizeDocks([*others, practice], [height // 4] * len(others) + [height // 2],
                       Qt.Orientation.Vertical)
