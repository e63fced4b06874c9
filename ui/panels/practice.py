"""The Practice panel (issue 7 §3): the case, a clock, Check and Compare, and the results."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.measurements import PARAMETERS_BY_KEY
from alignment_planner.output.formatting import fixed
from alignment_planner.output.reader_text import for_reader
from alignment_planner.teaching.cases import TeachingCase
from alignment_planner.teaching.scoring import (
    LandmarkScore,
    ParameterDeviation,
    PlanComparison,
    describe_surgery,
)
from ui.canvas.practice_item import GRADE_COLOURS

COLUMNS = ("Parameter", "Yours", "Expert", "Error", "Judgement")
GRADE_WORDS = {
    "good": "within inter-observer variability",
    "borderline": "borderline",
    "outside": "outside",
    "not measurable": "—",
}


class PracticePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.clock = QLabel("Time: 0:00")
        self.step = QLabel()
        self.step.setWordWrap(True)
        self.check_button = QPushButton("&Check landmarks")
        self.check_button.setToolTip("Score your landmarks against the expert's (you can go on editing)")
        self.compare_button = QPushButton("Co&mpare plan")
        self.compare_button.setToolTip("Compare what your plan predicts with what the expert plan predicts")
        self.notes_button = QPushButton("Teaching &notes")
        self.history_button = QPushButton("&History…")
        self.end_button = QPushButton("&End practice")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.hide()
        self.notes_button.clicked.connect(lambda: self.notes.setVisible(not self.notes.isVisible()))

        buttons = QHBoxLayout()
        for button in (self.check_button, self.compare_button):
            buttons.addWidget(button)
        more = QHBoxLayout()
        for button in (self.notes_button, self.history_button, self.end_button):
            more.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.summary, self.clock, self.step):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addLayout(more)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)

    def start(self, case: TeachingCase) -> None:
        self.title.setText(case.title)
        self.summary.setText(case.summary)
        self.notes.setText(case.notes_text())
        self.notes.hide()
        self.step.setText(
            "1. Place every landmark with the Landmarks wizard (the expert's are hidden).\n"
            "2. Press Check landmarks.\n3. Plan a correction in the Plan tab, then press Compare plan."
        )
        self.result.setText("")
        self.table.setRowCount(0)
        self.compare_button.setEnabled(False)

    def show_time(self, seconds: float) -> None:
        minutes, rest = divmod(int(seconds), 60)
        self.clock.setText(f"Time: {minutes}:{rest:02d}")

    def show_score(self, score: LandmarkScore, seconds: float) -> None:
        self.result.setText(f"Landmarks after {seconds / 60:.1f} min: {score.summary()}.")
        self._fill(score.parameters)
        self.compare_button.setEnabled(True)

    def show_comparison(self, comparison: PlanComparison) -> None:
        good = sum(1 for e in comparison.planned if e.grade == "good")
        judged = sum(1 for e in comparison.planned if e.grade != "not measurable")
        self.result.setText(
            f"Planned alignment: {good} of {judged} values within inter-observer variability of "
            f"what the expert plan predicts.\nYour plan: {describe_surgery(comparison.resident_plan)} "
            f"({comparison.resident.compensation_label})\nExpert plan: "
            f"{describe_surgery(comparison.expert_plan)} ({comparison.expert.compensation_label})"
        )
        self._fill(comparison.planned)

    def _fill(self, errors: tuple[ParameterDeviation, ...]) -> None:
        self.table.setRowCount(len(errors))
        for row, error in enumerate(errors):
            parameter = PARAMETERS_BY_KEY[error.key]
            unit = parameter.symbol

            def show(value: float | None, signed: bool = False, unit: str = unit) -> str:
                return "—" if value is None else f"{fixed(value, signed=signed)}{unit}"

            texts = (
                parameter.key,
                show(error.placed),
                show(error.expert),
                show(error.error, signed=True),
                GRADE_WORDS[error.grade],
            )
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                if column == 4:
                    cell.setBackground(QBrush(GRADE_COLOURS[error.grade].lighter(150)))
                    cell.setToolTip(
                        f"good within {error.variability.good:g}{unit}, borderline within "
                        f"{error.variability.borderline:g}{unit} ({for_reader(error.variability.source)})"
                    )
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()

    def judgement_of(self, key: str) -> str:
        """The judgement shown for ``key`` (tests read the panel as a user would)."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == key:
                judged = self.table.item(row, 4)
                return judged.text() if judged is not None else ""
        raise KeyError(key)
