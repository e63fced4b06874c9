"""Guided landmarking: one point at a time (issue 17 §1, §5).

The steps come from the parameter registry (``alignment_planner.measurements.guide``): Standard asks
for exactly what the plan file's parameters need (30 clicks), Full spine for every corner, or the
user ticks parameters and gets exactly their points. An osteotomy whose level lacks corners asks
for just those first (``ask_for``). The wizard follows the document: when Undo removes a point,
the wizard goes back to it; Redo moves it on again.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
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

from alignment_planner.analysis.pipeline import HEAD_SEPARATION_WARNING_MM
from alignment_planner.anatomy.landmarking import Step, click_count, first_unplaced, is_placed
from alignment_planner.anatomy.landmarks import Landmarks
from alignment_planner.measurements import PARAMETERS
from alignment_planner.measurements.guide import CONTRACT_KEYS, SCOPES, Scope, missing_required, steps_for
from ui.panels.wizard_schematic import Schematic
from ui.panels.wizard_steps import StepTree

_SCOPE_NAMES: dict[Scope, str] = {
    "standard": "Standard", "minimal": "Minimal", "lumbopelvic": "Lumbopelvic", "full": "Full spine",
    "custom": "Chosen parameters",
}


class WizardPanel(QWidget):
    step_changed = Signal()
    assist_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope_box = QComboBox()
        for scope, text in SCOPES.items():
            label = _SCOPE_NAMES[scope]
            if scope != "custom":
                label += f" — {click_count(steps_for(scope))} clicks"
            self.scope_box.addItem(label, scope)
            self.scope_box.setItemData(self.scope_box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.parameters = QListWidget()  # the custom scope's choice, shown only for it
        for parameter in PARAMETERS:
            item = QListWidgetItem(f"{parameter.key} — {parameter.name}", self.parameters)
            item.setData(Qt.ItemDataRole.UserRole, parameter.key)
            item.setCheckState(Qt.CheckState.Checked if parameter.key in ("PI", "PT", "SS", "LL")
                               else Qt.CheckState.Unchecked)
        self.parameters.setMaximumHeight(110)
        self.demand = QLabel()  # "For the PSO at L3: …" while corners are asked on demand
        self.demand.setWordWrap(True)
        self.demand.setStyleSheet("background: #4a3b10; color: #ffe08a; padding: 4px")
        self.cancel_demand = QPushButton("Cancel")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 13px")
        self.title.setWordWrap(True)
        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        self.hips = QLabel()
        self.hips.setWordWrap(True)
        self.schematic = Schematic()
        self.steps_list = StepTree()
        self.back_button = QPushButton("◀ Back")
        self.skip_button = QPushButton("Skip ▶ (Enter/Space)")
        self.optional_button = QPushButton("Place the optional points")
        self.optional_button.setToolTip(
            "Continue with the points this scope offers beyond what planning needs"
        )
        self.optional_button.hide()
        self.active = QCheckBox("Place points by clicking on the image")
        self.active.setChecked(True)
        self.auto_advance = QCheckBox("Advance after each point")
        self.auto_advance.setChecked(True)
        self.assist = QCheckBox("Corner assist after each click")
        self.assist.setToolTip(
            "After you click a corner, move it onto the cortical corner if the image shows one "
            "clearly within a few millimetres. Undo puts it back where you clicked."
        )
        self.assist.setChecked(True)
        self._build_layout()
        self.steps: tuple[Step, ...] = ()
        self.index: int | None = 0
        self.film_open = False  # nothing to click on before a film is open
        self._landmarks = Landmarks()
        self._done: tuple[bool, ...] | None = None
        self._shown_state: object = None
        self._on_demand: tuple[tuple[Step, ...], Callable[[], None]] | None = None
        self._rim_clicks = 0
        self.spacing_mm: tuple[float, float] | None = None
        self.scope_box.currentIndexChanged.connect(lambda _i: self._reset_steps())
        self.parameters.itemChanged.connect(lambda _item: self._reset_steps())
        self.back_button.clicked.connect(self.back)
        self.skip_button.clicked.connect(self.skip)
        self.cancel_demand.clicked.connect(self.cancel_on_demand)
        self.optional_button.clicked.connect(self.place_optional)
        self.steps_list.step_chosen.connect(self.jump_to)
        self.assist.toggled.connect(self.assist_toggled)
        self._reset_steps()

    def _build_layout(self) -> None:
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel("Scope"))
        scope_row.addWidget(self.scope_box, 1)
        demand_row = QHBoxLayout()
        demand_row.addWidget(self.demand, 1)
        demand_row.addWidget(self.cancel_demand)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(scope_row)
        layout.addWidget(self.parameters)
        layout.addLayout(demand_row)
        layout.addWidget(self.title)
        layout.addWidget(self.schematic)
        layout.addWidget(self.instruction)
        layout.addWidget(self.hips)
        layout.addLayout(buttons)
        layout.addWidget(self.optional_button)
        for box in (self.active, self.auto_advance, self.assist):
            layout.addWidget(box)
        layout.addWidget(self.steps_list, 1)

    # --- what is asked --------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.scope_box.currentData()  # type: ignore[no-any-return]

    def set_scope(self, scope: Scope) -> None:
        self.scope_box.setCurrentIndex(self.scope_box.findData(scope))

    def chosen_parameters(self) -> list[str]:
        items = (self.parameters.item(i) for i in range(self.parameters.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def choose_parameters(self, keys: list[str]) -> None:
        self.parameters.blockSignals(True)
        for i in range(self.parameters.count()):
            item = self.parameters.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.parameters.blockSignals(False)
        self._reset_steps()

    @property
    def current(self) -> Step | None:
        """The point a click places now (None: nothing is asked, or no film is open)."""
        return None if self.index is None or not self.film_open else self.steps[self.index]

    @property
    def on_demand(self) -> bool:
        return self._on_demand is not None

    def ask_for(self, steps: tuple[Step, ...], purpose: str, then: Callable[[], None]) -> None:
        """Ask for just ``steps`` (points an osteotomy needs), then call ``then``."""
        self._on_demand = (steps, then)
        self.demand.setText(f"{purpose}: place {click_count(steps)} point"
                            f"{'s' if click_count(steps) > 1 else ''}, then it is simulated.")
        self._reset_steps()

    def cancel_on_demand(self) -> None:
        self._on_demand = None
        self._reset_steps()
        self._rest_if_complete()

    def scope_steps(self) -> tuple[Step, ...]:
        """The chosen scope's steps (whatever is being asked on demand)."""
        custom = self.scope == "custom"
        return steps_for(self.scope, self.chosen_parameters() if custom else CONTRACT_KEYS)

    def _reset_steps(self) -> None:
        self.parameters.setVisible(self.scope == "custom" and self._on_demand is None)
        self.demand.setVisible(self._on_demand is not None)
        self.cancel_demand.setVisible(self._on_demand is not None)
        self.steps = self._on_demand[0] if self._on_demand is not None else self.scope_steps()
        self.steps_list.set_steps(self.steps)
        self.index = first_unplaced(self._landmarks, self.steps)
        self._done = None
        self._shown_state = None
        self.refresh(self._landmarks)

    # --- following the document -----------------------------------------------------------------

    def refresh(self, landmarks: Landmarks) -> None:
        """Show progress on ``landmarks``. A point that disappeared (Undo of its placement, or
        Delete) becomes the current step; the current point being placed (a click, or Redo) moves
        the wizard on when "Advance" is ticked."""
        shown = self._shown_state
        if landmarks is self._landmarks and isinstance(shown, tuple) and shown[2] == self.index:
            return  # the same landmarks: an osteotomy or compensation edit, nothing to redo here
        self._landmarks = landmarks
        done = tuple(is_placed(landmarks, step) for step in self.steps)
        before = self._done
        self._done = done
        if before is not None and len(before) == len(done):
            removed = [i for i, (was, now) in enumerate(zip(before, done, strict=True)) if was and not now]
            if removed:
                self.index = removed[0]
            elif self.index is not None and done[self.index] and not before[self.index]:
                if self.auto_advance.isChecked():
                    self.index = self._next_unplaced(self.index)
        if self._on_demand is not None and all(done):
            then = self._on_demand[1]
            self._on_demand = None
            self._reset_steps()
            self._rest_if_complete()  # back to a complete plan: nothing more is asked
            then()
            return
        self._show(done)

    def _next_unplaced(self, index: int) -> int | None:
        following = first_unplaced(self._landmarks, self.steps, index + 1)
        return following if following is not None else first_unplaced(self._landmarks, self.steps)

    def _show(self, done: tuple[bool, ...]) -> None:
        state = (self.steps, done, self.index, self._rim_clicks, self._hips_text())
        if state == self._shown_state:
            return  # a drag moves a point that is already placed: nothing here changes
        self._shown_state = state
        self.steps_list.show_progress(done, self.index)
        step = self.current
        optional = [s for s, d in zip(self.steps, done, strict=True) if not d]
        self.optional_button.setVisible(step is None and bool(optional) and self.film_open)
        if not self.film_open:
            self.title.setText("Open a film to start")
            self.instruction.setText(
                "Open a film or a plan (File ▸ Open, or drop it on the window), or a practice case: "
                "the wizard then asks for each point in turn."
            )
            self.schematic.show_step(None)
        elif step is None and optional:
            self.title.setText("Plan complete: every point planning needs is placed")
            self.instruction.setText(
                f"Optional ({click_count(optional)} click{'s' if click_count(optional) != 1 else ''}, "
                f"for the parameters that use them): {', '.join(s.title for s in optional[:6])}"
                f"{' …' if len(optional) > 6 else ''}. Press “Place the optional points” or pick one "
                "in the list below to place it; drag any point to adjust it."
            )
            self.schematic.show_step(None)
        elif step is None:
            self.title.setText("All points of this scope are placed")
            self.instruction.setText(
                "Drag any point to adjust it; arrow keys nudge the selected point (Shift: 10 px). "
                "Choose a larger scope to continue."
            )
            self.schematic.show_step(None)
        else:
            remaining = click_count(s for s, d in zip(self.steps, done, strict=True) if not d)
            self.title.setText(f"{step.title}  ·  step {self.index + 1} of {len(self.steps)}, "  # type: ignore[operator]
                               f"{remaining} click{'s' if remaining != 1 else ''} left")
            self.instruction.setText(step.instruction)
            vertebra = self._landmarks.vertebra(step.level) if not step.is_head else None
            placed = frozenset(vertebra.present()) if vertebra is not None else frozenset()
            self.schematic.show_step(step, placed, self._rim_clicks)
        self.schematic.setVisible(step is not None)  # no empty picture when nothing is asked
        self.hips.setText(self._hips_text())
        self.hips.setStyleSheet("color: #ffb000" if "oblique" in self._hips_text() else "")
        self.back_button.setEnabled(bool(self.index) and self.film_open)
        self.skip_button.setEnabled(step is not None)
        self.step_changed.emit()

    def _hips_text(self) -> str:
        heads = self._landmarks.femoral_heads
        if len(heads) < 2:
            return ""
        (x0, y0), (x1, y1) = heads[0].center, heads[1].center
        if self.spacing_mm is None:
            return f"Hip axis: head centres {math.hypot(x1 - x0, y1 - y0):.0f} px apart (uncalibrated)"
        row, col = self.spacing_mm
        apart = math.hypot((x1 - x0) * col, (y1 - y0) * row)
        text = f"Hip axis: head centres {apart:.0f} mm apart"
        if apart > HEAD_SEPARATION_WARNING_MM:
            text += (f" — over {HEAD_SEPARATION_WARNING_MM:.0f} mm: an oblique film? Pelvic rotation "
                     "distorts PI, PT and SS")  # clinical.md §1.1
        return text

    def show_rim_clicks(self, count: int) -> None:
        self._rim_clicks = count
        self._show(self._done or ())

    def start(self, landmarks: Landmarks) -> None:
        """A document was opened: continue with its first point not yet placed, unless it already
        has every point planning needs (an opened plan is complete: its optional points are
        offered, not demanded, and a stray click on the film places nothing)."""
        self._on_demand = None
        self._landmarks = landmarks
        self.film_open = True
        self._reset_steps()
        self._rest_if_complete()

    def _rest_if_complete(self) -> None:
        """Ask for nothing when the landmarks already have every point planning needs."""
        landmarks = self._landmarks
        complete = bool(landmarks.femoral_heads) and not missing_required(landmarks)
        if complete and self.index is not None and self._on_demand is None:
            self.index = None
            self._shown_state = None
            self._show(self._done or tuple(is_placed(landmarks, s) for s in self.steps))

    def place_optional(self) -> None:
        """Go on with the scope's points that are not placed yet."""
        self.index = first_unplaced(self._landmarks, self.steps)
        self._show(self._done or ())

    def placed(self, landmarks: Landmarks) -> None:
        """A point was placed for the current step (kept for callers; ``refresh`` does the work)."""
        self.refresh(landmarks)

    # --- moving by hand -------------------------------------------------------------------------

    def back(self) -> None:
        if self.index is None:
            self.index = len(self.steps) - 1 if self.steps else None
        elif self.index > 0:
            self.index -= 1
        self._show(self._done or ())

    def skip(self) -> None:
        """Leave the current point for later (Enter or Space)."""
        if self.index is not None:
            self.index = self.index + 1 if self.index + 1 < len(self.steps) else None
        self._show(self._done or ())

    def jump_to(self, index: int) -> None:
        if 0 <= index < len(self.steps):
            self.index = index
            self._show(self._done or ())
