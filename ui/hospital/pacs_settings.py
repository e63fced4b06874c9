"""File → PACS settings: the node (host, port, AE titles, timeout, C-MOVE port, TLS), tested with
an echo, saved in the settings file's ``[pacs]`` section (shared with the command line)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.hospital.echo import echo
from alignment_planner.hospital.node import DEFAULT_CALLED_AET, DEFAULT_CALLING_AET, PacsNode, TlsSettings
from alignment_planner.hospital.node_settings import load_pacs_node, save_pacs_node
from ui.hospital.background import Call, run_in_background


class PacsSettingsDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle("PACS settings")
        self._task: Call | None = None
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(104)
        self.called = QLineEdit(DEFAULT_CALLED_AET)
        self.calling = QLineEdit(DEFAULT_CALLING_AET)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 600)
        self.timeout.setValue(30)
        self.timeout.setSuffix(" s")
        self.move_port = QSpinBox()
        self.move_port.setRange(0, 65535)
        self.move_port.setSpecialValueText("none (C-GET only)")
        self.tls_ca = QLineEdit()
        self.tls_ca.setPlaceholderText("CA certificate (PEM): TLS when given")
        self.tls_cert = QLineEdit()
        self.tls_key = QLineEdit()
        form = QFormLayout()
        form.addRow("PACS host", self.host)
        form.addRow("PACS port", self.port)
        form.addRow("PACS AE title (called)", self.called)
        form.addRow("Our AE title (calling)", self.calling)
        form.addRow("Timeout", self.timeout)
        form.addRow("Our port for C-MOVE", self.move_port)
        form.addRow("TLS: CA certificate", self.tls_ca)
        form.addRow("TLS: our certificate", self.tls_cert)
        form.addRow("TLS: our key", self.tls_key)
        self.echo_button = QPushButton("&Test connection (C-ECHO)")
        self.echo_button.clicked.connect(self.test)
        self.status = QLabel(f"Saved in {path}")
        self.status.setWordWrap(True)
        choices = QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(choices)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.echo_button)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        try:
            stored = load_pacs_node(path)
        except AlignmentPlannerError as exc:
            stored = None
            self._say(str(exc), problem=True)
        if stored is not None:
            self.show_node(stored)

    def show_node(self, node: PacsNode) -> None:
        self.host.setText(node.host)
        self.port.setValue(node.port)
        self.called.setText(node.called_aet)
        self.calling.setText(node.calling_aet)
        self.timeout.setValue(node.timeout_s)
        self.move_port.setValue(node.move_port or 0)
        if node.tls:
            self.tls_ca.setText(node.tls.ca_file)
            self.tls_cert.setText(node.tls.cert_file or "")
            self.tls_key.setText(node.tls.key_file or "")

    def node(self) -> PacsNode:
        ca = self.tls_ca.text().strip()
        cert, key = self.tls_cert.text().strip() or None, self.tls_key.text().strip() or None
        tls = TlsSettings(ca, cert, key) if ca else None
        return PacsNode(
            host=self.host.text().strip(), port=self.port.value(), called_aet=self.called.text().strip(),
            calling_aet=self.calling.text().strip(), timeout_s=self.timeout.value(),
            move_port=self.move_port.value() or None, tls=tls,
        )

    def test(self) -> None:
        try:
            node = self.node()
        except AlignmentPlannerError as exc:
            self._say(str(exc), problem=True)
            return
        self._say(f"Echoing {node.describe()}…")
        self.echo_button.setEnabled(False)

        def done(seconds: object) -> None:
            self.echo_button.setEnabled(True)
            self._say(f"{node.describe()} answered in {float(seconds) * 1000:.0f} ms.")  # type: ignore[arg-type]

        def failed(message: str) -> None:
            self.echo_button.setEnabled(True)
            self._say(message, problem=True)

        self._task = run_in_background(lambda _progress: echo(node), done, failed)

    def save(self) -> None:
        try:
            path = save_pacs_node(self.node(), self.path)
        except AlignmentPlannerError as exc:
            self._say(str(exc), problem=True)
            return
        except OSError as exc:
            self._say(f"{self.path}: not saved ({exc.strerror or exc})", problem=True)
            return
        self._say(f"Saved in {path}")
        self.accept()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a00;" if problem else "")
