"""Exports of the open plan: the annotated image (PNG), the plan report (PDF, issue 6) and the
anonymised plan with a de-identified image copy (issue 8 §5)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.output_target import checked_output
from alignment_planner.output.report import case_name
from ui.canvas.scene import PlanScene
from ui.document.controller import PlanController
from ui.document.settings import Settings
from ui.panels.targets import TargetsPanel
from ui.window.action import make_action
from ui.window.messages import Messages


class ExportActions:
    def __init__(
        self,
        controller: PlanController,
        scene: PlanScene,
        targets: TargetsPanel,
        settings: Settings,
        messages: Messages,
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._scene = scene
        self._targets = targets  # the chosen preset and point SD go into the PDF
        self._settings = settings
        self._messages = messages
        self._parent = parent
        self.png_action = make_action(parent, "&Export annotated image (PNG)…", self.export_png, "Ctrl+E")
        self.pdf_action = make_action(parent, "Export plan &PDF…", self.export_pdf, "Ctrl+Shift+E")
        self.anonymised_action = make_action(parent, "Export &anonymised plan…", self.export_anonymised)
        self.identifiers_action = make_action(
            parent, "Include patient &identifiers in the PDF", lambda: None, checkable=True
        )

    def export_png(self) -> None:
        from ui.export.render import render_scene_png

        start = str((self._controller.path or Path("plan")).with_suffix(".png"))
        path, _filter = QFileDialog.getSaveFileName(
            self._parent, "Export annotated image", start, "PNG (*.png)"
        )
        if path:
            try:
                c = self._controller
                checked_output(path, [c.path, c.image_path], "export")  # never over the plan or film
                render_scene_png(self._scene, Path(path))
            except AlignmentPlannerError as exc:
                self._messages.problem(str(exc))

    def export_pdf(self, path: Path | None = None) -> bool:
        """The plan report (issue 6); anonymous unless identifiers are asked for."""
        from ui.export.report_cmd import export_pdf
        from ui.export.report_pdf import default_paper

        c = self._controller
        if path is None:
            start = str((c.path or c.image_path or Path("plan")).with_suffix(".pdf"))
            chosen, _filter = QFileDialog.getSaveFileName(
                self._parent, "Export plan PDF", start, "PDF (*.pdf)"
            )
            if not chosen:
                return False
            path = Path(chosen)
        name = case_name(c.path or c.image_path or Path("plan"))
        try:
            checked_output(str(path), [c.path, c.image_path], "export")  # never over the plan or film
            export_pdf(
                c.plan,
                path,
                case_name=name,
                radiograph=c.radiograph,
                preset_id=self._targets.preset_id,
                paper=default_paper(),
                include_patient=self.identifiers_action.isChecked(),
                point_sd_mm=self._targets.sd_spin.value(),
                sign_off=self._settings.sign_off(),  # Edit → Report settings…
                plan_folder=c.path.parent if c.path else None,
            )
        except AlignmentPlannerError as exc:
            self._messages.problem(f"The PDF was not written: {exc}")
            return False
        self._messages.status(f"Exported {path}", 5000)
        return True

    def export_anonymised(self, folder: Path | None = None) -> bool:
        """The plan without patient identifiers and a de-identified image copy named by its hash
        (issue 8 §5), for teaching files and research."""
        from alignment_planner.files.anonymise import export_anonymised

        c = self._controller
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self._parent, "Export anonymised plan into", self._settings.last_folder()
            )
            if not chosen:
                return False
            folder = Path(chosen)
        name = "anonymised"
        try:
            plan_file, image_file = export_anonymised(c.plan, c.image_path, folder, name)
        except AlignmentPlannerError as exc:
            self._messages.problem(f"The anonymised plan was not written: {exc}")
            return False
        what = f"{plan_file.name}" + (f" and {image_file.name}" if image_file else "")
        self._messages.status(f"Exported {what}: no name, ID or notes; age, sex and geometry kept", 10000)
        return True
