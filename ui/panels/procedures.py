"""The Procedures list of the Plan tab (issue 21 §4): every non-geometric procedure of the
catalogue (fusion, decompression, laminectomy, microdiscectomy, discectomy, foraminotomy,
vertebroplasty, spinoplasty), added by type and level or by clicking the level on the film, listed
cranial to caudal, and edited in a small form built from the catalogue's options.

Geometric procedures (osteotomies, disc replacement, kyphoplasty) are in the Osteotomies box.
Every change goes through the controller: one undo step each, refused combinations explained.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.anatomy.levels import DISCS, LEVELS
from alignment_planner.output.reader_text import for_reader
from alignment_planner.plan.model import Procedure
from alignment_planner.procedures.catalogue import (
    CATALOGUE,
    CatalogueEntry,
    Option,
    describe,
    entry_for,
    outside_span,
    reading_order,
    reading_position,
)
from alignment_planner.procedures.registry import SiteKind
from alignment_planner.procedures.site_pick import nearest_site
from ui.document.controller import PlanController

NOT_GIVEN = "—"
DEFAULT_PLACE = {"disc": "L4-L5", "vertebra": "L4", "spinous_process": "L4", "span": "L4"}
DEFAULT_SPAN_END = "S1"


def places_for(entry: CatalogueEntry) -> list[str]:
    """The levels and discs a procedure may be done at, cranial to caudal."""
    names: list[str] = []
    if set(entry.targets) & {"vertebra", "spinous_process", "span"}:
        names.extend(LEVELS)
    if "disc" in entry.targets or ("span" in entry.targets and entry.targets != ("span",)):
        names.extend(DISCS)
    return sorted(names, key=reading_position)


class ProceduresPanel(QGroupBox):
    def __init__(self, controller: PlanController, parent: QWidget | None = None) -> None:
        super().__init__("Procedures", parent)
        self.controller = controller
        self._updating = False
        self._rows: list[int] = []  # list row -> index in plan.procedures (reading order)
        self._retired = QWidget()  # holds the previous form's editors until Qt deletes them

        self.type_box = QComboBox()
        for entry in CATALOGUE.values():
            self.type_box.addItem(entry.name, entry.key)
            reference = for_reader(entry.reference)  # what it is, without the documents it cites
            self.type_box.setItemData(self.type_box.count() - 1, reference, Qt.ItemDataRole.ToolTipRole)
        self.where_box = QComboBox()
        self.to_box = QComboBox()
        self.to_box.setToolTip("The caudal end of a procedure over several levels (— for one level)")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_selected_type)
        self.pick_button = QPushButton("Click on image…")
        self.pick_button.setCheckable(True)
        self.pick_button.setToolTip("Add the chosen procedure at the vertebra or disc clicked next")
        self.type_box.currentIndexChanged.connect(lambda _i: self._fill_places())
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.list.currentRowChanged.connect(lambda _row: self._show_form())
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)

        add_row = QHBoxLayout()
        add_row.addWidget(self.where_box, 1)
        add_row.addWidget(self.to_box, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.pick_button)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow("Type", self.type_box)
        top.addRow("Level", add_row)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addLayout(self.form)
        layout.addWidget(self.remove_button)
        self._fill_places()
        controller.plan_changed.connect(self.refresh)
        self.refresh()

    # --- reflecting the plan ----------------------------------------------------------------------

    @property
    def entry(self) -> CatalogueEntry:
        return CATALOGUE[self.type_box.currentData()]

    @property
    def selected_index(self) -> int | None:
        """The plan index of the procedure selected in the list."""
        row = self.list.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def refresh(self) -> None:
        plan = self.controller.plan
        calibrated = plan.calibration.calibrated
        selected = self.selected_index
        self._updating = True
        try:
            self._rows = reading_order(plan.procedures)
            self.list.clear()
            for index in self._rows:
                self.list.addItem(describe(plan.procedures[index], calibrated=calibrated))
            if selected is not None and selected in self._rows:
                self.list.setCurrentRow(self._rows.index(selected))
        finally:
            self._updating = False
        self._show_form()

    def _fill_places(self) -> None:
        """Where the chosen type may be done; a second box gives the caudal end of a span."""
        entry = self.entry
        current_where, current_to = self.where_box.currentText(), self.to_box.currentText()
        self.where_box.clear()
        self.where_box.addItems(places_for(entry))
        where = current_where if self.where_box.findText(current_where) >= 0 else None
        self.where_box.setCurrentText(where or DEFAULT_PLACE[entry.targets[0]])
        self.to_box.clear()
        if entry.targets != ("span",):
            self.to_box.addItem(NOT_GIVEN)
        if "span" in entry.targets:
            self.to_box.addItems(places_for(entry))
        wanted = DEFAULT_SPAN_END if entry.targets == ("span",) else NOT_GIVEN
        keep = current_to if self.to_box.findText(current_to) >= 0 and current_to != NOT_GIVEN else None
        self.to_box.setCurrentText(keep if keep and entry.targets == ("span",) else wanted)
        self.to_box.setEnabled("span" in entry.targets)

    # --- gestures ---------------------------------------------------------------------------------

    def add_selected_type(self) -> bool:
        return self.add_at(self.where_box.currentText())

    def add_at(self, where: str) -> bool:
        entry = self.entry
        end = self.to_box.currentText()
        if entry.targets == ("span",):
            procedure = Procedure(entry.key, from_level=where, to_level=end)
        elif end not in (NOT_GIVEN, where):
            procedure = Procedure(entry.key, from_level=where, to_level=end)
        else:
            procedure = Procedure(entry.key, level=where)
        if not self.controller.add_procedure(procedure):
            return False
        self.controller.end_gesture()
        plan_index = len(self.controller.plan.procedures) - 1
        self.list.setCurrentRow(self._rows.index(plan_index))
        return True

    def pick_at(self, pixel: tuple[float, float]) -> bool:
        """The click that follows "Click on image…": add the chosen type at the level clicked."""
        self.pick_button.setChecked(False)
        entry = self.entry
        sites: tuple[SiteKind, ...] = ("disc",) if entry.targets == ("disc",) else (
            ("vertebra", "disc") if "disc" in entry.targets else ("vertebra",)
        )
        spacing = self.controller.plan.calibration.spacing
        limit = 60.0 / (spacing.row if spacing else 0.15)  # about one and a half vertebrae
        where = nearest_site(self.controller.plan.landmarks, pixel, sites, limit_px=limit)
        if where is None:
            self.controller.notice.emit(
                "no vertebra or disc placed near the click: place its landmarks first"
            )
            return False
        self.where_box.setCurrentText(where)
        return self.add_at(where)

    def _remove(self) -> None:
        index = self.selected_index
        if index is not None:
            self.controller.remove_procedure(index)
            self.controller.end_gesture()

    # --- the options form -------------------------------------------------------------------------

    def _show_form(self) -> None:
        if self._updating:
            return
        # The form is rebuilt from inside its own widgets' signals (an option changed the plan):
        # the old editors are silenced and deleted later, never under their own signal.
        while self.form.rowCount():
            row = self.form.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.blockSignals(True)
                    widget.hide()
                    widget.setParent(self._retired)  # out of the panel, alive until deleted
                    widget.deleteLater()
        index = self.selected_index
        self.remove_button.setEnabled(index is not None)
        if index is None:
            return
        procedure = self.controller.plan.procedures[index]
        entry = entry_for(procedure.type)
        if entry is None:
            self.form.addRow(QLabel(f"“{procedure.type}” is not in the catalogue: kept as written"))
            return
        if procedure.level is not None:
            self.form.addRow("Level", self._level_editor(index, procedure, entry))
        for option in entry.options:
            self.form.addRow(option.label, self._editor(index, procedure, option))

    def _level_editor(self, index: int, procedure: Procedure, entry: CatalogueEntry) -> QWidget:
        box = QComboBox()
        box.addItems([p for p in places_for(entry) if entry.accepts(p)])
        box.setCurrentText(procedure.level or "")
        box.setObjectName("procedure-level")

        def moved(level: str) -> None:
            if level and level != procedure.level and self.controller.update_procedure(
                index, replace(procedure, level=level)
            ):
                self.controller.end_gesture()

        box.currentTextChanged.connect(moved)
        return box

    def _editor(self, index: int, procedure: Procedure, option: Option) -> QWidget:
        value = procedure.extra.get(option.key)

        def apply(new: Any) -> None:
            self._set_option(index, option, new)

        if option.kind == "choice":
            box = QComboBox()
            box.addItem(NOT_GIVEN, None)
            for choice in option.choices:
                box.addItem(choice.replace("_", " "), choice)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.setObjectName(f"option-{option.key}")
            box.currentIndexChanged.connect(lambda _i: apply(box.currentData()))
            return box
        if option.kind == "number":
            spin = QDoubleSpinBox()
            spin.setRange(0.0, option.limits[1])
            spin.setDecimals(1)
            spin.setSuffix(f" {option.unit}")
            spin.setSpecialValueText(NOT_GIVEN)  # 0 = not estimated
            spin.setValue(float(value) if isinstance(value, int | float) else 0.0)
            spin.setObjectName(f"option-{option.key}")
            if not self.controller.plan.calibration.calibrated:
                spin.setToolTip("The film is not calibrated: a height in mm is only an estimate")
            spin.editingFinished.connect(lambda: apply(spin.value() or None))
            return spin
        line = QLineEdit(", ".join(value) if isinstance(value, list) else "")
        line.setPlaceholderText("L3, L4, L5" if option.kind == "vertebrae" else "L4-L5, L5-S1")
        line.setObjectName(f"option-{option.key}")
        line.editingFinished.connect(lambda: apply([v.strip() for v in line.text().split(",") if v.strip()]))
        return line

    def _set_option(self, index: int, option: Option, new: Any) -> None:
        plan = self.controller.plan
        if not 0 <= index < len(plan.procedures):
            return
        procedure = plan.procedures[index]
        extra = dict(procedure.extra)
        if new is None or new == []:
            extra.pop(option.key, None)
        else:
            problem = option.problem(new)
            outside = outside_span(option, new, procedure.from_level, procedure.to_level)
            problem = problem or (outside[1] if outside else None)
            if problem is not None:
                self.controller.problem.emit(f"{procedure.type} {option.label.lower()}: {problem}")
                return
            extra[option.key] = new
        if extra == dict(procedure.extra):
            return
        updated = replace(procedure, extra=MappingProxyType(extra))
        if self.controller.update_procedure(index, updated):
            self.controller.end_gesture()

