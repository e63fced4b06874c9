"""File → Open from PACS: search studies (patient ID, name, accession, dates), see each study's
series with thumbnails fetched lazily (one image per series, when the study is expanded), and
open a series' film; with several images in the series the user chooses which.

Every PACS call runs off the GUI thread; a failure is said in the dialog's status line and nothing
else changes (the dialog, its results and the open plan all stay)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.hospital.cache import pacs_cache
from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.query import (
    SeriesRecord,
    StudyQuery,
    StudyRecord,
    find_instances,
    find_studies,
)
from alignment_planner.hospital.retrieve import Retrieved, RetrieveRequest, retrieve
from ui.document import thumbnails
from ui.hospital.background import Call, run_in_background
from ui.hospital.choose_image import ask_which_image
from ui.hospital.tree import children, top_level

ROLE = Qt.ItemDataRole.UserRole
THUMB = QSize(48, 96)
Chooser = Callable[[list[Path]], Path | None]


def _date(text: str, field: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for form in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise AlignmentPlannerError(f"{field}: {text!r} is not a date (YYYY-MM-DD)")


def _day(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else value


class PacsBrowser(QDialog):
    def __init__(self, node: PacsNode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Open from PACS — {node.describe()}")
        self.resize(900, 600)
        self.node = node
        self.chosen: Path | None = None
        self.choose_image: Chooser = lambda files: ask_which_image(self, files)
        self._tasks: list[Call] = []
        self._thumbnail_queue: list[QTreeWidgetItem] = []
        self._thumbnail_busy = False
        self.patient_id = QLineEdit()
        self.name = QLineEdit()
        self.name.setPlaceholderText("DOE^J* (wildcards)")
        self.accession = QLineEdit()
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText("YYYY-MM-DD")
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText("YYYY-MM-DD")
        form = QFormLayout()
        form.addRow("Patient ID", self.patient_id)
        form.addRow("Patient name", self.name)
        form.addRow("Accession number", self.accession)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.date_to)
        form.addRow("Study date", dates)
        self.search_button = QPushButton("&Search")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Study / series", "Date", "Modality", "Images", "Description"])
        self.tree.setIconSize(THUMB)
        self.tree.setColumnWidth(0, 320)
        self.tree.itemExpanded.connect(self._expanded)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.open_item(item))
        self.status = QLabel("Search by patient ID, name, accession number or study date.")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = buttons.addButton("&Open film", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(lambda: self.open_item(self.tree.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.search_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    # --- search ---------------------------------------------------------------------------------

    def query(self) -> StudyQuery:
        return StudyQuery(
            patient_id=self.patient_id.text().strip(), patient_name=self.name.text().strip(),
            accession=self.accession.text().strip(),
            date_from=_date(self.date_from.text(), "Study date from"),
            date_to=_date(self.date_to.text(), "Study date to"),
        )

    def search(self) -> None:
        try:
            query = self.query()
            if query.is_empty():
                raise AlignmentPlannerError(
                    "give at least a patient ID, a name, an accession number or a date"
                )
        except AlignmentPlannerError as exc:
            self._say(str(exc), problem=True)
            return
        self._say(f"Searching {self.node.describe()}…")
        self.search_button.setEnabled(False)
        node = self.node
        self._start(lambda _progress: find_studies(node, query), self._found, self._search_failed)

    def _search_failed(self, message: str) -> None:
        self.search_button.setEnabled(True)
        self._say(message, problem=True)

    def _found(self, result: object) -> None:
        self.search_button.setEnabled(True)
        studies: list[StudyRecord] = result  # type: ignore[assignment]
        self.tree.clear()
        self._thumbnail_queue.clear()
        for study in studies:
            title = f"{study.patient_name or '—'} ({study.patient_id or 'no ID'})"
            item = QTreeWidgetItem([title, _day(study.study_date), "/".join(study.modalities), "",
                                    study.description or f"accession {study.accession or '—'}"])
            item.setData(0, ROLE, study)
            for series in study.series:
                child = QTreeWidgetItem([
                    f"Series {series.number if series.number is not None else '—'}", "", series.modality,
                    "" if series.instances is None else str(series.instances),
                    series.description or series.body_part,
                ])
                child.setData(0, ROLE, (study, series))
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        self._say(f"{len(studies)} stud{'y' if len(studies) == 1 else 'ies'} found." if studies
                  else "No study matches.")
        if len(studies) == 1:
            top_level(self.tree)[0].setExpanded(True)

    # --- thumbnails, one series at a time -------------------------------------------------------

    def _expanded(self, item: QTreeWidgetItem) -> None:
        for child in children(item):
            if child.icon(0).isNull() and child not in self._thumbnail_queue:
                self._thumbnail_queue.append(child)
        self._next_thumbnail()

    def _next_thumbnail(self) -> None:
        if self._thumbnail_busy or not self._thumbnail_queue:
            return
        item = self._thumbnail_queue.pop(0)
        study, series = item.data(0, ROLE)
        self._thumbnail_busy = True
        node = self.node

        def work(_progress: Callable[[int, int | None], None]) -> QImage:
            instances = find_instances(node, study.study_uid, series.series_uid)
            if not instances:
                raise AlignmentPlannerError("no image in this series")
            middle = instances[len(instances) // 2]
            got = retrieve(node, RetrieveRequest(study.study_uid, series.series_uid, middle.sop_uid),
                           pacs_cache(study.study_uid))
            if not got.files:
                raise AlignmentPlannerError("the PACS sent no image")
            return thumbnails.make_thumbnail(got.files[0], f"pacs-{middle.sop_uid}")

        # The tree may have been cleared by a new search, or the dialog closed, before the PACS
        # answers: then the item is gone and the answer is dropped.
        def done(image: object) -> None:
            if not isValid(self):
                return
            self._thumbnail_busy = False
            if isinstance(image, QImage) and isValid(item):
                item.setIcon(0, QIcon(QPixmap.fromImage(image)))
            self._next_thumbnail()

        def failed(message: str) -> None:
            if not isValid(self):
                return
            self._thumbnail_busy = False
            if isValid(item):
                item.setToolTip(0, f"No preview: {message}")
            self._next_thumbnail()

        self._start(work, done, failed)

    # --- open -----------------------------------------------------------------------------------

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            self._say("Choose a series (or a study with one series) to open.", problem=True)
            return
        data = item.data(0, ROLE)
        if isinstance(data, StudyRecord):
            if len(data.series) != 1:
                self._say("This study has several series: choose the lateral film's series.", problem=True)
                item.setExpanded(True)
                return
            data = (data, data.series[0])
        study, series = data
        self._retrieve_series(study, series)

    def _retrieve_series(self, study: StudyRecord, series: SeriesRecord) -> None:
        self._say(f"Retrieving series {series.number or ''} from {self.node.describe()}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.open_button.setEnabled(False)
        node = self.node

        def work(progress: Callable[[int, int | None], None]) -> Retrieved:
            return retrieve(node, RetrieveRequest(study.study_uid, series.series_uid),
                            pacs_cache(study.study_uid), progress=progress)

        self._start(work, self._retrieved, self._retrieve_failed, self._progress)

    def _progress(self, received: int, expected: int) -> None:
        if expected:
            self.progress.setRange(0, expected)
            self.progress.setValue(received)
        self._say(f"Retrieved {received}{f' of {expected}' if expected else ''} image(s)…")

    def _retrieve_failed(self, message: str) -> None:
        self.progress.hide()
        self.open_button.setEnabled(True)
        self._say(message, problem=True)

    def _retrieved(self, result: object) -> None:
        self.progress.hide()
        self.open_button.setEnabled(True)
        files = sorted(result.files) if isinstance(result, Retrieved) else []
        if not files:
            self._say("The PACS sent no image for this series.", problem=True)
            return
        chosen = files[0] if len(files) == 1 else self.choose_image(files)
        if chosen is None:
            self._say(f"{len(files)} images retrieved; none chosen.")
            return
        self.chosen = chosen
        self.accept()


    # --- plumbing -------------------------------------------------------------------------------

    def _start(self, work: Callable[[Callable[[int, int | None], None]], object],
               done: Callable[[object], None], failed: Callable[[str], None],
               progress: Callable[[int, int], None] | None = None) -> None:
        task: Call | None = None

        def finish(handler: Callable[..., None]) -> Callable[..., None]:
            def call(*args: object) -> None:
                if not isValid(self):
                    return  # the dialog was closed while the PACS was answering
                if task in self._tasks:
                    self._tasks.remove(task)
                handler(*args)
            return call

        task = run_in_background(work, finish(done), finish(failed), progress)
        self._tasks.append(task)

    def busy(self) -> bool:
        return bool(self._tasks)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a00;" if problem else "")
