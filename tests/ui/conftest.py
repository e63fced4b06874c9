"""GUI fixtures: a main window with its own settings file, and helpers that act like a user."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.document.recovery import RecoveryStore
from ui.document.settings import Settings
from ui.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PLAN = ROOT / "sample_cases" / "flatback_pso" / "flatback_pso.plan.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="rewrite tests/ui/snapshots/*.png")


@pytest.fixture
def make_window(qtbot, tmp_path: Path) -> Iterator[Callable[[], MainWindow]]:  # type: ignore[no-untyped-def]
    windows: list[MainWindow] = []

    def factory() -> MainWindow:
        window = MainWindow(Settings(str(tmp_path / "settings.ini")), RecoveryStore(tmp_path / "recovery"))
        window.messages.show_problem = lambda text: window.problems.append(text)  # type: ignore[attr-defined]
        window.problems = []  # type: ignore[attr-defined]
        # Never block on a modal question in a test; tests that check the prompt replace this.
        window.messages.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield factory
    for window in windows:
        window.controller.history.mark_saved()  # no unsaved-changes prompt at teardown


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.controller.image_changed, timeout=20000):
        assert window.files.open_path(path), getattr(window, "problems", [])
    qtbot.waitUntil(lambda: not window.status.busy.isVisible(), timeout=20000)
    QApplication.processEvents()


def viewport_point(window: MainWindow, display: tuple[float, float]) -> QPoint:
    return window.view.mapFromScene(QPointF(*display))


def send_mouse(
    window: MainWindow,
    kind: QEvent.Type,
    at: QPoint,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton | None = None,
) -> None:
    viewport = window.view.viewport()
    event = QMouseEvent(
        kind,
        QPointF(at),
        QPointF(viewport.mapToGlobal(at)),
        button,
        buttons if buttons is not None else button,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def drag(window: MainWindow, start: QPoint, end: QPoint, button: Qt.MouseButton, steps: int = 8) -> None:
    send_mouse(window, QEvent.Type.MouseButtonPress, start, button)
    for i in range(1, steps + 1):
        at = QPoint(
            start.x() + (end.x() - start.x()) * i // steps, start.y() + (end.y() - start.y()) * i // steps
        )
        send_mouse(window, QEvent.Type.MouseMove, at, Qt.MouseButton.NoButton, button)
    send_mouse(window, QEvent.Type.MouseButtonRelease, end, button, Qt.MouseButton.NoButton)


def click(window: MainWindow, at: QPoint) -> None:
    send_mouse(window, QEvent.Type.MouseButtonPress, at, Qt.MouseButton.LeftButton)
    send_mouse(window, QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)


def first_pdf_page(path: Path) -> str:
    """The first page of a PDF as laid-out text (pdftotext -layout)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils' pdftotext (tools/bootstrap.sh test installs it)")
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout
