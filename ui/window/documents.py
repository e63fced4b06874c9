"""The main window's document actions that do not edit the plan: exports (PNG, PDF, anonymised
plan) and the recovery store (keep each edit safe, offer a crashed session's plan back). A mixin
of ``MainWindow``, which provides ``controller``, ``settings``, ``recovery``, ``targets`` …"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.output.report import case_name

Answer = QMessageBox.StandardButton


class DocumentActions:
    def _write_recovery(self) -> None:
        c = self.controller
        if not c.dirty:
            return
        try:
            self.recovery.write(c.plan, c.path, c.image_path)
        except AlignmentPlannerError as exc:
            if not self._recovery_failed:  # say it once, not on every edit
                self._recovery_failed = True
                self.statusBar().showMessage(f"No recovery copy: {exc}", 15000)

    def offer_recovery(self) -> bool:
        """At start: plans left by a crashed or killed session are offered back (newest first).
        Returns True when one was restored."""
        for found in self.recovery.orphans():
            if not self.ask_restore(found.describe()):
                found.discard()
                continue
            try:
                plan = found.load()
            except AlignmentPlannerError as exc:
                self.show_problem(
                    f"The recovered plan could not be read ({exc}); it is kept in {found.plan_file}"
                )
                continue
            self.controller.restore(plan, found.document, found.plan_file.parent)
            found.discard()
            self._write_recovery()  # now kept by this session
            self.statusBar().showMessage(f"Restored {found.describe()} — save it to keep it", 15000)
            return True
        return False

    def _ask_restore(self, description: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Restore unsaved work?",
            f"The planner was closed without saving {description}. Restore it?",
            Answer.Yes | Answer.No,
            Answer.Yes,
        )
        return answer == Answer.Yes

    def export_png(self) -> None:
        from ui.export.render import render_scene_png

        start = str((self.controller.path or Path("plan")).with_suffix(".png"))
        path, _filter = QFileDialog.getSaveFileName(self, "Export annotated image", start, "PNG (*.png)")
        if path:
            try:
                render_scene_png(self.scene, Path(path))
            except AlignmentPlannerError as exc:
                self.show_problem(str(exc))

    def export_pdf(self, path: Path | None = None) -> bool:
        """The plan report (issue 6); anonymous unless identifiers are asked for."""
        from ui.export.report_cmd import export_pdf
        from ui.export.report_pdf import default_paper

        c = self.controller
        if path is None:
            start = str((c.path or c.image_path or Path("plan")).with_suffix(".pdf"))
            chosen, _filter = QFileDialog.getSaveFileName(self, "Export plan PDF", start, "PDF (*.pdf)")
            if not chosen:
                return False
            path = Path(chosen)
        name = case_name(c.path or c.image_path or Path("plan"))
        try:
            export_pdf(
                c.plan,
                path,
                case_name=name,
                radiograph=c.radiograph,
                preset_id=self.targets.preset_id,
                paper=default_paper(),
                include_patient=self.identifiers_action.isChecked(),
                point_sd_mm=self.targets.sd_spin.value(),
            )
        except AlignmentPlannerError as exc:
            self.show_problem(f"The PDF was not written: {exc}")
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def export_anonymised(self, folder: Path | None = None) -> bool:
        """The plan without patient identifiers and a de-identified image copy named by its hash
        (issue 8 §5), for teaching files and research."""
        from alignment_planner.files.anonymise import export_anonymised

        c = self.controller
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self, "Export anonymised plan into", self.settings.last_folder()
            )
            if not chosen:
                return False
            folder = Path(chosen)
        name = "anonymised"
        try:
            plan_file, image_file = export_anonymised(c.plan, c.image_path, folder, name)
        except AlignmentPlannerError as exc:
            self.show_problem(f"The anonymised plan was not written: {exc}")
            return False
        what = f"{plan_file.name}" + (f" and {image_file.name}" if image_file else "")
        self.statusBar().showMessage(
            f"Exported {what}: no name, ID or notes; age, sex and geometry kept", 10000
        )
        return True
