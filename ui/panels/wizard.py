"""Guided landmarking: one point at a time, in the order of ``alignment_planner.anatomy.landmarking``."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.anatomy.landmarking import SCOPES, Scope, Step, first_unplaced, is_placed, steps_for
from alignment_planner.anatomy.landmarks import Landmarks

_SCOPE_ORDER: tuple[Scope, ...] = tuple(SCOPES)
_CORNER_POSITION = {  # in a unit square drawn with the patient facing right
    "post_sup": (0.0, 0.0),
    "ant_sup": (1.0, 0.0),
    "ant_inf": (1.0, 1.0),
    "post_inf": (0.0, 1.0),
    "center": (0.5, 0.5),
}


class Schematic(QWidget):
    """A small drawing of what to click: a vertebral body with the corner marked, or a hip."""

    def __init__(self) -> None:
        super().__init__()
        self.step: Step | None = None
        self.setMinimumSize(150, 110)

    def show_step(self, step: Step | None) -> None:
        self.step = step
        self.update()

    def paintEvent(self, event: object) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(25, 25, 25))
        step = self.step
        if step is None:
            return
        w, h = self.width(), self.height()
        grey = QPen(QColor(200, 200, 200), 2)
        target = QColor(255, 70, 70)
        painter.setPen(grey)
        if step.level == "femoral_heads":
            painter.drawEllipse(QPointF(w / 2, h / 2), h / 3, h / 3)
            painter.setBrush(target)
            painter.drawEllipse(QPointF(w / 2, h / 2), 5, 5)
            return
        box = QRectF(w * 0.3, h * 0.25, w * 0.4, h * 0.5)
        if step.level == "S1":
            painter.drawPolygon(
                QPolygonF([box.topLeft(), box.topRight(), QPointF(box.center().x(), box.bottom())])
            )
        else:
            painter.drawRect(box)
        painter.drawText(
            QRectF(0, h - 20, w, 18), Qt.AlignmentFlag.AlignCenter, "posterior   ◀   ▶   anterior"
        )
        fx, fy = _CORNER_POSITION.get(step.point, (0.5, 0.5))
        painter.setBrush(target)
        painter.setPen(QPen(target, 1))
        painter.drawEllipse(QPointF(box.left() + fx * box.width(), box.top() + fy * box.height()), 6, 6)


class WizardPanel(QWidget):
    step_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope_box = QComboBox()
        for scope, text in SCOPES.items():
            self.scope_box.addItem(text.split(":")[0], scope)
            self.scope_box.setItemData(self.scope_box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.scope_box.setCurrentIndex(2)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px")
        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        self.schematic = Schematic()
        self.steps_list = QListWidget()
        self.back_button = QPushButton("◀ Back")
        self.skip_button = QPushButton("Skip ▶")
        self.auto_advance = QCheckBox("Advance after each click")
        self.auto_advance.setChecked(True)
        self.active = QCheckBox("Place points by clicking on the image")
        self.active.setChecked(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("Scope"))
        layout.addWidget(self.scope_box)
        layout.addWidget(self.title)
        layout.addWidget(self.schematic)
        layout.addWidget(self.instruction)
        layout.addLayout(buttons)
        layout.addWidget(self.active)
        layout.addWidget(self.auto_advance)
        layout.addWidget(self.steps_list, 1)
        self.steps: tuple[Step, ...] = ()
        self.index: int | None = 0
        self.scope_box.currentIndexChanged.connect(lambda _i: self._reset_steps())
        self.back_button.clicked.connect(self.back)
        self.skip_button.clicked.connect(self.skip)
        self.steps_list.itemClicked.connect(self._jump)
        self._landmarks = Landmarks()
        self._shown_state: object = None  # what the list and texts show now
        self._reset_steps()

    @property
    def scope(self) -> Scope:
        return _SCOPE_ORDER[self.scope_box.currentIndex()]  # the box lists SCOPES in this order

    @property
    def current(self) -> Step | None:
        return None if self.index is None else self.steps[self.index]

    def _reset_steps(self) -> None:
        self.steps = steps_for(self.scope)
        self.steps_list.clear()
        for step in self.steps:
            QListWidgetItem(step.title, self.steps_list)
        self.index = first_unplaced(self._landmarks, self.steps)
        self._shown_state = None  # the list was just rebuilt
        self.refresh(self._landmarks)

    def refresh(self, landmarks: Landmarks) -> None:
        shown = self._shown_state
        if landmarks is self._landmarks and isinstance(shown, tuple) and shown[2] == self.index:
            return  # the same landmarks: an osteotomy or compensation edit, nothing to redo here
        self._landmarks = landmarks
        done = tuple(is_placed(landmarks, step) for step in self.steps)
        state = (self.steps, done, self.index)
        if state == self._shown_state:
            return  # a drag moves a point that is already placed: nothing here changes
        self._shown_state = state
        for row, step in enumerate(self.steps):
            self.steps_list.item(row).setText(("✔ " if done[row] else "   ") + step.title)
        index = self.index
        current = None if index is None else self.steps[index]
        if index is None or current is None:
            self.title.setText("All points of this scope are placed")
            self.instruction.setText(
                "Drag any point to adjust it; arrow keys nudge the selected point "
                "(Shift: 10 px). Choose a larger scope to continue."
            )
        else:
            self.title.setText(f"Step {index + 1} of {len(self.steps)}: {current.title}")
            self.instruction.setText(current.instruction)
            self.steps_list.setCurrentRow(index)
        self.schematic.show_step(current)
        self.back_button.setEnabled(bool(index))
        self.skip_button.setEnabled(current is not None)
        self.step_changed.emit()

    def start(self, landmarks: Landmarks) -> None:
        """A document was opened: continue with its first point not yet placed."""
        self._landmarks = landmarks
        self.index = first_unplaced(landmarks, self.steps)
        self.refresh(landmarks)

    def placed(self, landmarks: Landmarks) -> None:
        """A point was placed for the current step: move on if asked to."""
        if self.auto_advance.isChecked() and self.index is not None:
            following = first_unplaced(landmarks, self.steps, self.index + 1)
            self.index = following if following is not None else first_unplaced(landmarks, self.steps)
        self.refresh(landmarks)

    def back(self) -> None:
        if self.index is None:
            self.index = len(self.steps) - 1
        elif self.index > 0:
            self.index -= 1
        self.refresh(self._landmarks)

    def skip(self) -> None:
        if self.index is not None:
            self.index = self.index + 1 if self.index + 1 < len(self.steps) else None
        self.refresh(self._landmarks)

    def _jump(self, item: QListWidgetItem) -> None:
        self.index = self.steps_list.row(item)
        self.refresh(self._landmarks)
