"""File → Open CD/DICOMDIR: a patient disc's patients, studies and series (pydicom's FileSet),
with a thumbnail per series made when its study is shown; open a series' film (choose when the
series holds several images)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from alignment_planner.hospital.disc import DiscPatient, DiscSeries
from ui.document import thumbnails
from ui.hospital.choose_image import ask_which_image
from ui.hospital.tree import children, top_level

ROLE = Qt.ItemDataRole.UserRole


def _day(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else value


class DiscBrowser(QDialog):
    def __init__(self, dicomdir: Path, patients: list[DiscPatient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Patient disc — {dicomdir}")
        self.resize(760, 520)
        self.chosen: Path | None = None
        self.choose_image: Callable[[list[Path]], Path | None] = lambda files: ask_which_image(self, files)
        self._tasks: list[thumbnails.ThumbnailTask] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Patient / study / series", "Date", "Modality", "Images", "Description"])
        self.tree.setIconSize(QSize(48, 96))
        self.tree.setColumnWidth(0, 300)
        self.tree.itemExpanded.connect(self._expanded)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.open_item(item))
        for patient in patients:
            top = QTreeWidgetItem([f"{patient.name or '—'} ({patient.patient_id or 'no ID'})"])
            for study in patient.studies:
                described = study.description or f"accession {study.accession or '—'}"
                study_item = QTreeWidgetItem(["Study", _day(study.date), "", "", described])
                for series in study.series:
                    child = QTreeWidgetItem([
                        f"Series {series.number if series.number is not None else '—'}", "", series.modality,
                        str(len(series.images)), series.description,
                    ])
                    child.setData(0, ROLE, series)
                    study_item.addChild(child)
                top.addChild(study_item)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        self.status = QLabel(f"{len(patients)} patient(s) on the disc. Choose a series and open its film.")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("&Open film", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(lambda: self.open_item(self.tree.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        for item in top_level(self.tree):
            self._expanded(item)

    def series_items(self) -> list[QTreeWidgetItem]:
        return [series for patient in top_level(self.tree) for study in children(patient)
                for series in children(study)]

    def _expanded(self, item: QTreeWidgetItem) -> None:
        """Thumbnails for the series under ``item``, made off the GUI thread."""
        pending = [item]
        while pending:
            current = pending.pop()
            series = current.data(0, ROLE)
            if isinstance(series, DiscSeries) and current.icon(0).isNull() and series.images:
                image = series.images[len(series.images) // 2].path
                key = thumbnails.thumbnail_key(image, None)
                ready = thumbnails.cached(key)
                if ready is not None:
                    current.setIcon(0, QIcon(QPixmap.fromImage(ready)))
                else:
                    def show(_key: str, picture: QImage, target: QTreeWidgetItem = current) -> None:
                        if isValid(target):  # the disc browser may have been closed meanwhile
                            target.setIcon(0, QIcon(QPixmap.fromImage(picture)))

                    self._tasks.append(thumbnails.request(image, key, show))
            pending.extend(children(current))

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        series = item.data(0, ROLE) if item is not None else None
        if not isinstance(series, DiscSeries):
            self.status.setText("Choose a series to open its film.")
            return
        files = [image.path for image in series.images]
        chosen = files[0] if len(files) == 1 else self.choose_image(files)
        if chosen is None:
            return
        self.chosen = chosen
        self.accept()

