"""The sample-case picker (issue 7 §4): what ``alignment-planner`` opens on with no arguments.

A grid of the teaching cases with their films; the summary of the selected one (not its answer);
*Practise* hides the expert landmarks, *Open with answer* opens the expert plan to study it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.output.reader_text import for_reader
from alignment_planner.teaching.cases import TeachingCase
from ui.document import thumbnails

Choice = Literal["practice", "answer", "file"]
ICON = QSize(90, 240)  # the largest thumbnail (a full-spine film is tall and narrow)
LABEL_HEIGHT = 64  # under each thumbnail: a title of up to three lines and the difficulty
CELL_WIDTH = 160
MAX_COLUMNS = 4
DETAIL_WIDTH = 280


class CasePicker(QDialog):
    def __init__(self, cases: list[TeachingCase], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sample cases — alignment-planner")
        self.cases = cases
        self.choice: Choice | None = None
        self.case: TeachingCase | None = None
        self._tasks: list[thumbnails.ThumbnailTask] = []
        self._items: dict[str, QListWidgetItem] = {}

        self.grid = QListWidget()
        self.grid.setViewMode(QListWidget.ViewMode.IconMode)
        self.grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.grid.setMovement(QListWidget.Movement.Static)
        self.grid.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setMinimumWidth(DETAIL_WIDTH)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QDialogButtonBox()
        self.practise_button = QPushButton("&Practise")
        self.practise_button.setToolTip("Place the landmarks yourself; the expert's stay hidden until Check")
        self.answer_button = QPushButton("Open with &answer")
        self.answer_button.setToolTip("Open the expert landmarks and plan to study them")
        self.file_button = QPushButton("Open a &file…")
        buttons.addButton(self.practise_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.answer_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.practise_button.clicked.connect(lambda: self._choose("practice"))
        self.answer_button.clicked.connect(lambda: self._choose("answer"))
        self.file_button.clicked.connect(lambda: self._choose("file"))
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.grid, 3)
        top.addWidget(self.detail, 2)
        layout = QVBoxLayout(self)
        if not cases:
            layout.addWidget(QLabel("No sample cases were found (sample_cases/ is missing)."))
        layout.addLayout(top)
        layout.addWidget(buttons)

        placeholder = QPixmap(ICON)
        placeholder.fill(QColor(40, 40, 40))
        for case in cases:
            item = QListWidgetItem(QIcon(placeholder), f"{case.title}\n({case.difficulty})")
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            item.setToolTip(for_reader(case.summary))
            self.grid.addItem(item)
            self._items[case.id] = item
            self._show_thumbnail(case)
        self.grid.currentItemChanged.connect(lambda *_: self._describe())
        self.grid.itemDoubleClicked.connect(lambda _item: self._choose("practice"))
        if cases:
            self.grid.setCurrentRow(0)
        self._describe()
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        self.fit_to(screen.availableGeometry().size())

    def fit_to(self, room: QSize) -> None:
        """Every case in view without scrolling in ``room`` (the screen's free area): as many
        columns as needed up to four, and thumbnails as tall as the rows then allow."""
        count = max(len(self.cases), 1)
        columns = min(MAX_COLUMNS, count)
        rows = -(-count // columns)
        chrome = 150  # title bar, margins, the button row
        cell_height = max(140, min(ICON.height() + LABEL_HEIGHT, (room.height() - chrome) // rows - 8))
        icon_height = cell_height - LABEL_HEIGHT
        self.grid.setIconSize(QSize(round(icon_height * ICON.width() / ICON.height()), icon_height))
        self.grid.setGridSize(QSize(CELL_WIDTH, cell_height))
        # The frame, the view's margins and room for a scroll bar the layout reserves anyway.
        scroll_bar = self.grid.verticalScrollBar().sizeHint().width()
        frame = 2 * self.grid.frameWidth() + 2 * self.grid.spacing() + scroll_bar + 24
        self.grid.setMinimumSize(columns * CELL_WIDTH + frame, rows * cell_height + frame)
        width = min(room.width() - 20, columns * CELL_WIDTH + frame + DETAIL_WIDTH + 60)
        self.resize(width, min(room.height() - 20, rows * cell_height + frame + chrome - 40))

    def _show_thumbnail(self, case: TeachingCase) -> None:
        shipped = case.folder / "thumbnail.png"  # the bundled cases carry their own
        if shipped.is_file():
            image = QImage(str(shipped))
            if not image.isNull():
                self._set_icon(case.id, image)
                return
        key = thumbnails.thumbnail_key(case.image_path, _plan_sha(case.plan_path))
        cached = thumbnails.cached(key)
        if cached is not None:
            self._set_icon(case.id, cached)
        elif case.image_path.is_file():
            def show(_key: str, image: QImage, case_id: str = case.id) -> None:
                self._set_icon(case_id, image)

            self._tasks.append(thumbnails.request(case.image_path, key, show))

    def _set_icon(self, case_id: str, image: QImage) -> None:
        item = self._items.get(case_id)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def selected(self) -> TeachingCase | None:
        item = self.grid.currentItem()
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.cases if c.id == wanted), None)

    def _describe(self) -> None:
        case = self.selected()
        self.practise_button.setEnabled(case is not None)
        self.answer_button.setEnabled(case is not None)
        if case is None:
            self.detail.setText("")
            return
        self.detail.setText(
            f"{case.title}\nDifficulty: {case.difficulty}\n\n{for_reader(case.summary)}\n\n"
            "Practise: place the landmarks (the wizard guides you), press Check to see your "
            "errors against the expert's, then plan a correction and press Compare."
        )

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.case = self.selected() if choice != "file" else None
        self.accept()


def _plan_sha(plan_path: Path) -> str | None:
    """The image hash recorded in the case's plan: a cache key without reading the film."""
    try:
        image = json.loads(plan_path.read_text(encoding="utf-8")).get("image") or {}
    except (OSError, ValueError, AttributeError):
        return None
    sha = image.get("sha256") if isinstance(image, dict) else None
    return sha if isinstance(sha, str) else None
