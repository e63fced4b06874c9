"""The wizard's step list, grouped by vertebra: one collapsed row per level ("L1 · 2/3 ✔"), the
current level open on its points. A 98-click Full spine scope is 25 rows, not 98."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from alignment_planner.anatomy.landmarking import Step

_POINT_WORDS = {
    "post_sup": "posterior-superior", "ant_sup": "anterior-superior",
    "post_inf": "posterior-inferior", "ant_inf": "anterior-inferior", "center": "body centre",
}


def _group_title(level: str) -> str:
    return "Femoral heads" if level == "femoral_heads" else level


def _point_title(step: Step) -> str:
    if step.is_head:
        return f"head {int(step.point) + 1}" + (" (3 rim clicks)" if step.clicks > 1 else " (centre)")
    return _POINT_WORDS.get(step.point, step.point)


class StepTree(QTreeWidget):
    step_chosen = Signal(int)
    """A point row was clicked: its index in the step list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self._groups: list[tuple[str, QTreeWidgetItem, list[int]]] = []
        self._rows: dict[int, QTreeWidgetItem] = {}
        self._steps: tuple[Step, ...] = ()
        self.itemClicked.connect(self._clicked)

    def set_steps(self, steps: tuple[Step, ...]) -> None:
        self.clear()
        self._steps, self._groups, self._rows = steps, [], {}
        for index, step in enumerate(steps):
            if not self._groups or self._groups[-1][0] != step.level:
                group = QTreeWidgetItem(self, [_group_title(step.level)])
                self._groups.append((step.level, group, []))
            _level, group, members = self._groups[-1]
            row = QTreeWidgetItem(group, [_point_title(step)])
            row.setData(0, Qt.ItemDataRole.UserRole, index)
            members.append(index)
            self._rows[index] = row

    def show_progress(self, done: tuple[bool, ...], current: int | None) -> None:
        """Tick what is placed, open the current level's row and close the others."""
        for level, group, members in self._groups:
            placed = sum(done[i] for i in members)
            mark = " ✔" if placed == len(members) else ""
            group.setText(0, f"{_group_title(level)}  ·  {placed}/{len(members)}{mark}")
            group.setExpanded(current in members)
            for i in members:
                self._rows[i].setText(0, ("✔ " if done[i] else "○ ") + _point_title(self._steps[i]))
        if current is not None and current in self._rows:
            self.setCurrentItem(self._rows[current])
            self.scrollToItem(self._rows[current])
        else:
            self.clearSelection()

    def group_count(self) -> int:
        return len(self._groups)

    def expanded_levels(self) -> list[str]:
        return [level for level, group, _members in self._groups if group.isExpanded()]

    def row_of(self, index: int) -> QTreeWidgetItem:
        return self._rows[index]

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        index = item.data(0, Qt.ItemDataRole.UserRole)
        if index is not None:
            self.step_chosen.emit(int(index))
        else:  # a level row: open it, on its first point
            for _level, group, members in self._groups:
                if group is item and members:
                    self.step_chosen.emit(members[0])
