"""A parameter picked from a list by its reader name ("Spinal tilt (ST)", "T1 spinopelvic
inclination (T1SPI)"), the registry key kept as the item's data: the Suggest goals and the Solve
target. A bare abbreviation (ST, SSA, T9SPI) is not a name a surgeon reads in a list."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSizePolicy

from alignment_planner.measurements import PARAMETERS_BY_KEY, reader_name
from alignment_planner.output.reader_text import for_reader

ARROW_ROOM_PX = 34
"""What a closed box spends beside its text: the frame, padding and the drop-down arrow."""


class ParameterBox(QComboBox):
    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__()
        for key in keys:
            parameter = PARAMETERS_BY_KEY[key]
            self.addItem(reader_name(key), key)
            about = for_reader(f"{parameter.name}\n{parameter.definition}")
            self.setItemData(self.count() - 1, about, Qt.ItemDataRole.ToolTipRole)
        # The closed box may be narrower than the longest name (its row decides, and moves the
        # rest of the row to a line of its own when the chosen name needs the room); the list
        # shows every name whole.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.view().setMinimumWidth(max(self.text_width(self.itemText(i)) for i in range(self.count())))
        self.currentIndexChanged.connect(lambda _i: self.setToolTip(self.currentText()))
        self.setToolTip(self.currentText())

    def text_width(self, text: str) -> int:
        """The width a closed box needs to show ``text`` whole."""
        return self.fontMetrics().horizontalAdvance(text) + ARROW_ROOM_PX

    def current_fits(self) -> bool:
        return self.width() >= self.text_width(self.currentText())
