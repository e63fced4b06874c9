"""The Practice panel (issue 7 §3): the case, a clock, Check and Compare, and the results.

It shares the column beside the film with the wizard and the measurements, so on a 1366×768
screen it has about a third of 690 px: the case, the score and the teaching notes are tabs of one
page (the score table gets the page's whole height, not a third of it), and the notes scroll in
their own viewer instead of growing the window's minimum height."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
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
from ui.panels.verdict_palette import paint_judgement

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
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.notes = QTextBrowser()  # scrolls within the page, whatever the notes' length
        self.notes.setReadOnly(True)
        self.notes.setOpenLinks(False)
        self.notes_button.setToolTip("Show the case's teaching notes (press again for the score)")
        self.notes_button.clicked.connect(self.toggle_notes)
        self._build_layout()

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.clock, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()  # one row: the long names are in the Practice menu and tooltips
        buttons.setSpacing(4)
        for button, short in ((self.check_button, "&Check"), (self.compare_button, "Co&mpare"),
                              (self.notes_button, "&Notes"), (self.history_button, "&History…"),
                              (self.end_button, "&End")):
            button.setToolTip(f"{button.text().replace('&', '')}: {button.toolTip()}".rstrip(": "))
            button.setText(short)
            buttons.addWidget(button)
        case_page = QWidget()
        case_layout = QVBoxLayout(case_page)
        case_layout.addWidget(self.summary)
        case_layout.addWidget(self.step)
        case_layout.addStretch(1)
        case_scroller = QScrollArea()
        case_scroller.setWidget(case_page)
        case_scroller.setWidgetResizable(True)
        score_page = QWidget()
        score_layout = QVBoxLayout(score_page)
        score_layout.setContentsMargins(2, 2, 2, 2)
        # The comparison's explanation can run to six lines on a narrow column: it scrolls in a
        # strip of at most four, and the table keeps the rest of the page.
        result_scroller = QScrollArea()
        result_scroller.setWidget(self.result)
        result_scroller.setWidgetResizable(True)
        result_scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        result_scroller.setMaximumHeight(4 * self.fontMetrics().lineSpacing() + 6)
        result_scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        score_layout.addWidget(result_scroller)
        score_layout.addWidget(self.table, 1)
        self.pages = QTabWidget()
        self.case_page = self.pages.addTab(case_scroller, "Case")
        self.score_page = self.pages.addTab(score_page, "Score")
        self.notes_page = self.pages.addTab(self.notes, "Teaching notes")
        # Every page scrolls: the tabs may shrink to a few lines while the resident places
        # landmarks and the wizard above needs the column (second review B1).
        self.table.setMinimumHeight(3 * self.table.verticalHeader().defaultSectionSize())
        lines = 4 * self.fontMetrics().lineSpacing()
        self.pages.setMinimumHeight(self.pages.tabBar().sizeHint().height() + lines)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addLayout(buttons)
        layout.addWidget(self.pages, 1)

    def toggle_notes(self) -> None:
        """The notes page, or back to the score from it."""
        on_notes = self.pages.currentIndex() == self.notes_page
        self.pages.setCurrentIndex(self.score_page if on_notes else self.notes_page)

    @property
    def notes_shown(self) -> bool:
        return self.isVisible() and self.pages.currentIndex() == self.notes_page

    def start(self, case: TeachingCase) -> None:
        self.title.setText(case.title)
        self.summary.setText(for_reader(case.summary))
        self.notes.setPlainText(for_reader(case.notes_text()))  # a case folder may carry references
        self.pages.setCurrentIndex(self.case_page)
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
        self.pages.setCurrentIndex(self.score_page)
        self.compare_button.setEnabled(True)

    def show_comparison(self, comparison: PlanComparison) -> None:
        lines = [
            f"Planned alignment: {comparison.summary()} of what the expert plan predicts, "
            "both plans scored under the expert's pelvic model (the "
            "cuts are judged, not the assumption).",
            f"Your plan: {describe_surgery(comparison.resident_plan)} "
            f"({comparison.resident.compensation_label})",
            f"Expert plan: {describe_surgery(comparison.expert_plan)} "
            f"({comparison.expert.compensation_label})",
        ]
        if comparison.resident_own is not None:
            lines.append(
                f"Your own choice, not scored: {comparison.resident_own.compensation_label}. Set the "
                "same model in the Plan tab to see the expert's assumption on your film."
            )
        self.result.setText("\n".join(lines))
        self._fill(comparison.planned)
        self.pages.setCurrentIndex(self.score_page)

    def _fill(self, errors: tuple[ParameterDeviation, ...]) -> None:
        self.table.setRowCount(len(errors))
        for row, error in enumerate(errors):
            parameter = PARAMETERS_BY_KEY[error.key]
            unit = parameter.symbol

            def show(value: float | None, signed: bool = False, unit: str = unit) -> str:
                return "—" if value is None else f"{fixed(value, signed=signed)}{unit}"

            texts = (
                parameter.label,
                show(error.placed),
                show(error.expert),
                show(error.error, signed=True),
                GRADE_WORDS[error.grade],
            )
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                if column == 4:
                    paint_judgement(cell, error.grade)
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
            if item is not None and item.text() == PARAMETERS_BY_KEY[key].label:
                judged = self.table.item(row, 4)
                return judged.text() if judged is not None else ""
        raise KeyError(key)
