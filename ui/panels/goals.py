"""Goals for Suggest, picked rather than typed: a parameter from a list, a condition and a
number; and the suggestions as a table with the predicted key values, coloured by the chosen
target preset."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.measurements import (
    HEADLINE_KEYS,
    PARAMETERS,
    PARAMETERS_BY_KEY,
    Measurements,
    reader_label,
)
from alignment_planner.planning.search import Goal, Option
from alignment_planner.targets.overcorrection import is_overcorrection
from alignment_planner.targets.presets import Verdict
from alignment_planner.targets.verdict_text import verdict_line
from ui.panels.measurements import STATUS_INK, status_colour
from ui.panels.parameter_box import ParameterBox

CONDITIONS = (("<", "at most"), (">", "at least"), ("=", "between"))
SHOWN_KEYS = HEADLINE_KEYS
"""The predicted values each suggestion shows, in this order (the goals' keys are added)."""


class _GoalRow(QWidget):
    """One goal: the parameter by its reader name, a condition and its number(s). On one line
    when the chosen name fits beside the rest; otherwise the condition and numbers move to a
    second line, so that no name is cut (a 1366-pixel screen leaves the panel ~450 px)."""

    def __init__(self, goal: Goal, remove: Callable[[], None]) -> None:
        super().__init__()
        self.key = ParameterBox(p.key for p in PARAMETERS)
        self.condition = QComboBox()
        for symbol, words in CONDITIONS:
            self.condition.addItem(words, symbol)
        self.low = QDoubleSpinBox()
        self.high = QDoubleSpinBox()
        for spin in (self.low, self.high):
            spin.setRange(-500.0, 500.0)
            spin.setDecimals(1)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this goal")
        self.remove.clicked.connect(remove)
        self._first = QHBoxLayout()
        self._second = QHBoxLayout()
        lines = QVBoxLayout(self)
        lines.setContentsMargins(0, 0, 0, 0)
        for line in (self._first, self._second):
            line.setContentsMargins(0, 0, 0, 0)
            lines.addLayout(line)
        self.two_lines: bool | None = None
        self._arrange(False)
        self.condition.currentIndexChanged.connect(lambda _i: self._show_limits())
        self.key.currentIndexChanged.connect(lambda _i: self._fit())
        self.set_goal(goal)

    def _arrange(self, two_lines: bool) -> None:
        if two_lines == self.two_lines:
            return
        self.two_lines = two_lines
        for line in (self._first, self._second):
            while line.count():
                line.takeAt(0)
        rest = (self.condition, self.low, self.high)
        if two_lines:
            self._first.addWidget(self.key, 1)
            self._first.addWidget(self.remove)
            for widget in rest:
                self._second.addWidget(widget)
            self._second.addStretch(1)
        else:
            self._first.addWidget(self.key, 1)
            for widget in rest:
                self._first.addWidget(widget)
            self._first.addWidget(self.remove)

    def _one_line_width(self) -> int:
        """The row's width on one line with the chosen name whole."""
        parts = [self.condition, self.low, self.remove] + ([self.high] if self.high.isVisibleTo(self) else [])
        spacing = max(self._first.spacing(), 0) * len(parts)
        others = sum(widget.sizeHint().width() for widget in parts)
        return self.key.text_width(self.key.currentText()) + spacing + others

    def _fit(self) -> None:
        if self.width() > 0:
            self._arrange(self.width() < self._one_line_width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def set_goal(self, goal: Goal) -> None:
        self.key.setCurrentIndex(self.key.findData(goal.key))
        if goal.low is not None and goal.high is not None:
            self.condition.setCurrentIndex(2)
            self.low.setValue(goal.low)
            self.high.setValue(goal.high)
        elif goal.high is not None:
            self.condition.setCurrentIndex(0)
            self.low.setValue(goal.high)
        else:
            self.condition.setCurrentIndex(1)
            self.low.setValue(goal.low or 0.0)
        self._show_limits()

    def _show_limits(self) -> None:
        self.high.setVisible(self.condition.currentData() == "=")
        self._fit()

    def goal(self) -> Goal:
        key, condition = self.key.currentData(), self.condition.currentData()
        if condition == "<":
            return Goal(key, None, self.low.value())
        if condition == ">":
            return Goal(key, self.low.value(), None)
        low, high = sorted((self.low.value(), self.high.value()))
        return Goal(key, low, high)


class GoalsEditor(QWidget):
    """The goals, one row each; ``text``/``setText`` read and write them as ``PI_LL<=10, …``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._rows: list[_GoalRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add goal")
        self.add_button.clicked.connect(lambda: self._add(Goal("SVA", None, 50.0)))
        self._layout.addWidget(self.add_button)
        self.setText(text)

    def goals(self) -> list[Goal]:
        return [row.goal() for row in self._rows]

    def text(self) -> str:
        return ", ".join(goal.as_text() for goal in self.goals())

    def setText(self, text: str) -> None:
        goals = [Goal.parse(part) for part in text.split(",") if part.strip()]
        for row in self._rows:
            row.deleteLater()
        self._rows = []
        for goal in goals:
            self._add(goal)

    def _add(self, goal: Goal) -> None:
        holder: list[_GoalRow] = []
        row = _GoalRow(goal, lambda: self._remove(holder[0]))
        holder.append(row)
        self._rows.append(row)
        self._layout.insertWidget(self._layout.count() - 1, row)

    def _remove(self, row: _GoalRow) -> None:
        self._rows.remove(row)
        row.deleteLater()


VERDICT_COLUMN = 1
VALUES_FROM = 2
"""Columns: the cuts, the verdict on the goals (read first, so it stays in view on a laptop),
then the predicted values."""
OVER_MARK = "\n(over)"
"""Added to a predicted value the chosen preset judges over-corrected (clinical.md §4.7), on a
line of its own so that the column stays as narrow as its numbers."""
MIN_TABLE_HEIGHT = 110

Judge = Callable[[Measurements], tuple[Verdict, ...]]
"""The chosen target preset's verdicts on predicted values (set by the window, which knows the
preset and the patient's age)."""


def value_header(key: str) -> str:
    """A value column's header with its unit ("PI−LL°", "SVA mm"): the cells then hold the bare
    number, which keeps the columns narrow enough for a 1366-pixel screen."""
    unit = PARAMETERS_BY_KEY[key].symbol
    return f"{reader_label(key)}{unit}" if unit == "°" else f"{reader_label(key)} {unit}"


def short_verdict(option: Option) -> str:
    """The verdict in a few words, a line each ("meets all", "misses SVA", "misses\nPT, SVA",
    "OVER-CORRECTS\nPI−LL, SVA\nmisses 1"): narrow enough that every column of the table is
    whole beside the film on a 1366-pixel screen. The option's full account (by how much, past
    which limit) is the cell's tooltip."""
    missed = {g.key for g, _by in option.misses}
    over = {key for key, _value, _limit in option.overcorrected}
    if over:  # over-correction harms: never shown as a fit (two-sided targets)
        return f"OVER-CORRECTS\n{_names(over)}" + (f"\nmisses {len(missed)}" if missed else "")
    if not missed:
        return "meets all"
    return f"misses {_names(missed)}" if len(missed) == 1 else f"misses\n{_names(missed)}"


def cuts_text(option: Option) -> str:
    """The option's cuts, one a line ("PSO L4 25.0°\nSPO L1-L2 7.5°")."""
    return "\n".join(f"{o.type} {o.level} {o.angle_deg:.1f}°" for o in option.osteotomies)


class SuggestionTable(QTreeWidget):
    """One row per option: the cuts, whether the goals are met, then the predicted values, each
    coloured by its band in the chosen target preset (the measurement table's colours and words;
    over-correction marked "(over)"). A new preset re-colours the rows at once."""

    def __init__(self) -> None:
        super().__init__()
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(False)  # two cuts, or a verdict naming several values: two lines
        self.setToolTip("Double-click an option to add its cuts to the plan")
        self.setHeaderLabels(["Cuts", "Goals"])  # named before any suggestion (not Qt's "1")
        self.verdict_column = VERDICT_COLUMN
        self._judge: Judge | None = None
        self._judged_by = ""
        self._options: list[Option] = []
        self._goals: list[Goal] = []
        self.keys: list[str] = []
        """The parameter of each value column, in order."""
        # Every column as wide as its contents (a stretched last column is cut to what is left:
        # "meets all" shown as "me…"); cuts and verdicts take a line per item, so the values fit
        # beside them at 1366 pixels without scrolling sideways.
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_judge(self, judge: Judge | None, judged_by: str = "") -> None:
        """Judge the predicted values by another preset (the Targets panel's choice, named by
        ``judged_by`` in the tooltip of a value the preset has no target for)."""
        self._judge, self._judged_by = judge, judged_by
        if self._options:
            self.show_options(self._options, self._goals)

    def column_of(self, key: str) -> int:
        return VALUES_FROM + self.keys.index(key)

    def status_of(self, row: int, key: str) -> str | None:
        """The verdict a predicted value is coloured with (tests read the table as a user sees it)."""
        item = self.topLevelItem(row)
        if item is None:
            return None
        value = item.data(self.column_of(key), Qt.ItemDataRole.UserRole)
        return value if isinstance(value, str) else None

    def show_options(self, options: list[Option], goals: list[Goal]) -> None:
        self._options, self._goals = list(options), list(goals)
        keys = list(SHOWN_KEYS) + [g.key for g in goals if g.key not in SHOWN_KEYS]
        self.keys = keys
        self.clear()
        self.setHeaderLabels(["Cuts", "Goals", *(value_header(k) for k in keys)])
        for column, key in enumerate(keys, start=VALUES_FROM):
            self.headerItem().setToolTip(column, PARAMETERS_BY_KEY[key].name)
        by_key = {g.key: g for g in goals}
        for option in options:
            cuts = cuts_text(option)
            missed = {g.key for g, _by in option.misses}
            over = {key for key, _value, _limit in option.overcorrected}
            judged: dict[str, list[Verdict]] = {}
            for v in self._judge(option.postop) if self._judge is not None else ():
                judged.setdefault(v.target.key, []).append(v)
            cells = [cuts, short_verdict(option)]
            for key in keys:
                value = option.postop.values[key].value
                text = "—" if value is None else f"{value:.1f}"
                if key in over or any(is_overcorrection(v) for v in judged.get(key, ())):
                    text += OVER_MARK
                cells.append(text)
            item = QTreeWidgetItem(cells)
            item.setToolTip(0, option.describe())
            item.setToolTip(VERDICT_COLUMN, option.describe())
            for column, key in enumerate(keys, start=VALUES_FROM):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._colour(item, column, key, judged.get(key, []), by_key.get(key), key in missed)
            if over:
                item.setBackground(VERDICT_COLUMN, QBrush(status_colour(self, "outside")))
                item.setForeground(VERDICT_COLUMN, QBrush(STATUS_INK))
            self.addTopLevelItem(item)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as its rows: the Plan tab scrolls, not the table, whose own vertical scroll bar
        would take the width the last value column needs beside a film on a 1366-pixel screen."""
        self.doItemsLayout()
        rows = sum(
            self.visualItemRect(item).height()
            for i in range(self.topLevelItemCount())
            if (item := self.topLevelItem(i)) is not None
        )
        frame = 2 * self.frameWidth()
        bar = self.horizontalScrollBar()
        sideways = bar.sizeHint().height() if bar.maximum() > 0 else 0
        height = self.header().sizeHint().height() + rows + frame + sideways + 2
        self.setFixedHeight(max(MIN_TABLE_HEIGHT, height))

    def _colour(
        self,
        item: QTreeWidgetItem,
        column: int,
        key: str,
        verdicts: list[Verdict],
        goal: Goal | None,
        missed: bool,
    ) -> None:
        """The measurement table's colour for the preset's verdict; the goal in the tooltip."""
        known = [v for v in verdicts if v.status != "unknown"]
        status = known[0].status if known else None
        if status is not None:
            item.setBackground(column, QBrush(status_colour(self, status)))
            item.setForeground(column, QBrush(STATUS_INK))
        item.setData(column, Qt.ItemDataRole.UserRole, status)
        lines = [verdict_line(v) for v in verdicts]
        if not verdicts and self._judged_by:  # uncoloured for a reason the user can read
            lines.append(f"{reader_label(key)}: no target in {self._judged_by}")
        if goal is not None:
            lines.append(f"goal {goal.describe()}: {'missed' if missed else 'met'}")
        if lines:
            item.setToolTip(column, "\n".join(lines))


def _names(keys: set[str]) -> str:
    """Parameter keys as their reader names, sorted by key (stable order)."""
    return ", ".join(reader_label(key) for key in sorted(keys))
