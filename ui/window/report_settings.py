"""Edit → Report settings…: the surgeon's name, department and institution printed on the PDF's
sign-off block, checked as typed (one line, a length that fits) and kept in the settings file for
every report that follows."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.output.sign_off import LABELS, LIMITS, SignOff, SignOffError, checked
from ui.document.settings import Settings

PROBLEM_STYLE = "color: #e05050;"


class ReportSettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report settings")
        self._settings = settings
        stored = settings.sign_off()
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        placeholders = {
            "surgeon": "as it should appear on the sign-off line",
            "department": "optional",
            "institution": "optional",
        }
        for field, limit in LIMITS.items():
            edit = QLineEdit(getattr(stored, field))
            edit.setPlaceholderText(placeholders[field])
            edit.setToolTip(f"At most {limit} characters, on one line")
            edit.textChanged.connect(lambda _text: self._check())
            form.addRow(LABELS[field], edit)
            self.fields[field] = edit
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        note = QLabel(
            "Printed on the next PDF report's sign-off block; empty fields are left as lines to write on."
        )
        note.setWordWrap(True)
        choices = QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(choices)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._check()

    def _values(self) -> SignOff:
        """The fields as they will be kept; ``SignOffError`` names the first that cannot be."""
        return SignOff(**{field: checked(field, edit.text()) for field, edit in self.fields.items()})

    def _check(self) -> bool:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            self._values()
        except SignOffError as exc:
            self.problem.setText(str(exc))
            save.setEnabled(False)
            return False
        self.problem.setText("")
        save.setEnabled(True)
        return True

    def save(self) -> None:
        if not self._check():
            return  # the dialog stays open with the reason shown
        self._settings.set_sign_off(self._values())
        self.accept()
