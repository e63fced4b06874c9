"""F1: the shortcut and workflow sheet, built from the window's own actions (so it never lists a
key that does not work, nor misses one)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

WORKFLOW = (
    ("Open", "Open a radiograph (DICOM, PNG, JPEG, TIFF) or a saved plan, or pick a sample case."),
    ("Calibrate", "DICOM pixel spacing is used when present; otherwise Tools → calibrate by a "
     "known distance or on a ball of known diameter. Without a scale, lengths are not given."),
    ("Landmarks", "The Landmarks tab asks for one point at a time; click it on the film. "
     "Drag a point to adjust it, arrow keys nudge the selected one (Shift: 10 px). "
     "Undo takes the wizard back to the point undone."),
    ("Plan", "In the Plan tab add a cut by type and level (or click it on the film), set its "
     "angle with the slider, drag its hinge on the pre-op film. Solve sets one cut's angle for a "
     "target value; Suggest searches cuts that meet every goal."),
    ("Compare", "P switches between the pre-op film and the planned (simulated) one; the planned "
     "film is marked PLANNED. The table shows pre-op, planned and their difference."),
    ("Export", "Save the plan, export the annotated film (PNG) or the plan PDF for the chart."),
)

EXTRA_KEYS = (
    ("Mouse wheel", "zoom about the cursor"),
    ("Middle drag, Space + drag", "pan"),
    ("Right drag", "window / level (horizontal: width, vertical: centre)"),
    ("Arrow keys (Shift)", "nudge the selected point by 1 px (10 px)"),
)


def sheet_html(actions: Iterable[QAction]) -> str:
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            text = action.text().replace("&", "").rstrip("…")
            rows.append((", ".join(keys), text))
    rows += EXTRA_KEYS
    table = "".join(
        f"<tr><td style='padding:2px 14px 2px 0'><b>{html.escape(k)}</b></td><td>{html.escape(t)}</td></tr>"
        for k, t in rows
    )
    steps = "".join(f"<li><b>{html.escape(t)}</b>: {html.escape(d)}</li>" for t, d in WORKFLOW)
    return f"<h3>Workflow</h3><ol>{steps}</ol><h3>Keys</h3><table>{table}</table>"


class HelpSheet(QDialog):
    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("alignment-planner — keys and workflow")
        self.browser = QTextBrowser()
        self.browser.setHtml(sheet_html(actions))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 640)
