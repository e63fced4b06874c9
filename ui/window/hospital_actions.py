"""Hospital integration in the window (issue 20): Open from PACS, Open CD/DICOMDIR, Send plan to
PACS and PACS settings. Opening hands the chosen film to the file actions (the unsaved-changes
question and recent files work as for any film); sending draws the report and films here and
stores the DICOM objects off the GUI thread. A failure is said; the open plan stays as it was."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.output.report import case_name
from ui.document.controller import PlanController
from ui.document.settings import Settings
from ui.panels.targets import TargetsPanel
from ui.window.action import make_action
from ui.window.file_actions import FileActions
from ui.window.messages import Messages

# The DICOM networking, SR and disc modules (pynetdicom, highdicom, pydicom's SR dictionaries) cost
# ~0.4 s to import: they are loaded when a hospital action is first used, not at start.
if TYPE_CHECKING:
    from alignment_planner.hospital.node import PacsNode
    from ui.hospital.background import Call
    from ui.hospital.disc_browser import DiscBrowser
    from ui.hospital.pacs_browser import PacsBrowser
    from ui.hospital.pacs_settings import PacsSettingsDialog


class HospitalActions:
    def __init__(
        self,
        controller: PlanController,
        files: FileActions,
        targets: TargetsPanel,
        settings: Settings,
        messages: Messages,
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._files = files
        self._targets = targets  # the chosen preset goes into the filed report
        self._settings = settings
        self._messages = messages
        self._parent = parent
        self._send_task: Call | None = None
        self.pacs_browser: PacsBrowser | None = None
        self.disc_browser: DiscBrowser | None = None
        self.open_pacs_action = make_action(parent, "Open from &PACS…", self.open_from_pacs, "Ctrl+Shift+P")
        self.open_disc_action = make_action(parent, "Open &CD/DICOMDIR…", self.open_disc)
        self.send_action = make_action(parent, "Sen&d plan to PACS", self.send_to_pacs)
        self.settings_action = make_action(parent, "PACS se&ttings…", self.edit_settings)

    # --- opening --------------------------------------------------------------------------------

    def _node(self) -> PacsNode | None:
        from alignment_planner.hospital.node_settings import load_pacs_node

        try:
            node = load_pacs_node(self._settings.file_path())
        except AlignmentPlannerError as exc:
            self._messages.problem(str(exc))
            return None
        if node is None:
            self._messages.problem(
                "No PACS is set up yet: File → PACS settings names its host, port and AE title."
            )
        return node

    def open_from_pacs(self, *, modal: bool = True) -> PacsBrowser | None:
        from ui.hospital.pacs_browser import PacsBrowser

        node = self._node()
        if node is None:
            return None
        self.pacs_browser = PacsBrowser(node, self._parent)
        self.pacs_browser.accepted.connect(lambda: self._open_chosen(self.pacs_browser))
        if modal:
            self.pacs_browser.exec()
        else:
            self.pacs_browser.show()
        return self.pacs_browser

    def open_disc(self, dicomdir: Path | None = None, *, modal: bool = True) -> DiscBrowser | None:
        from alignment_planner.hospital.disc import read_disc
        from ui.hospital.disc_browser import DiscBrowser

        if dicomdir is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self._parent, "Open a patient disc's DICOMDIR", self._settings.last_folder(),
                "DICOMDIR (DICOMDIR dicomdir);;All files (*)",
            )
            if not chosen:
                return None
            dicomdir = Path(chosen)
        try:
            patients = read_disc(dicomdir)
        except AlignmentPlannerError as exc:
            self._messages.problem(str(exc))
            return None
        self.disc_browser = DiscBrowser(dicomdir, patients, self._parent)
        self.disc_browser.accepted.connect(lambda: self._open_chosen(self.disc_browser))
        if modal:
            self.disc_browser.exec()
        else:
            self.disc_browser.show()
        return self.disc_browser

    def _open_chosen(self, browser: PacsBrowser | DiscBrowser | None) -> None:
        if browser is not None and browser.chosen is not None:
            self._files.open_path(browser.chosen)

    # --- sending --------------------------------------------------------------------------------

    def send_to_pacs(self) -> bool:
        """Draw the report and both films now (Qt, GUI thread), store them in the background."""
        from alignment_planner.hospital.filing import filing_objects
        from alignment_planner.hospital.film_header import read_film_header
        from alignment_planner.hospital.store import store
        from ui.export.pacs_send import draw_plan
        from ui.export.report_pdf import default_paper
        from ui.hospital.background import run_in_background

        c = self._controller
        node = self._node()
        if node is None:
            return False
        if c.image_path is None or c.radiograph is None:
            self._messages.problem("Open a DICOM film first: the plan is filed into the film's study.")
            return False
        try:
            film = read_film_header(c.image_path)
            drawn = draw_plan(
                c.plan, c.analysis, c.radiograph, title=case_name(c.path or c.image_path),
                preset_id=self._targets.preset_id, paper=default_paper(),
            )
            objects = filing_objects(c.analysis, film, drawn)
        except AlignmentPlannerError as exc:
            self._messages.problem(f"Nothing was sent: {exc}")
            return False
        self._messages.status(f"Sending the plan to {node.describe()}…")
        self.send_action.setEnabled(False)

        def done(_warnings: object) -> None:
            self.send_action.setEnabled(True)
            self._messages.status(
                f"Plan filed in study {film.StudyInstanceUID} at {node.describe()}: "
                f"PDF, {len(objects) - 2} annotated film(s), measurements (SR)", 15000
            )

        def failed(message: str) -> None:
            self.send_action.setEnabled(True)
            self._messages.clear_status()
            self._messages.problem(f"The plan was not filed (it is still open): {message}")

        def progress(done_count: int, total: int) -> None:
            self._messages.status(f"Sending the plan to {node.describe()}: {done_count}/{total}")

        self._send_task = run_in_background(
            lambda report: store(node, objects, lambda d, t: report(d, t)), done, failed, progress
        )
        return True

    def sending(self) -> bool:
        return not self.send_action.isEnabled()

    def edit_settings(self) -> PacsSettingsDialog:
        from ui.hospital.pacs_settings import PacsSettingsDialog

        dialog = PacsSettingsDialog(self._settings.file_path(), self._parent)
        dialog.open()
        return dialog
