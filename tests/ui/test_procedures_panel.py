"""The Procedures box of the Plan tab (issue 21 §4), driven like a user: every catalogue entry is
added, edited in its form, drawn at its level, saved, reopened and printed; clicks on the film pick
the level; refused combinations leave the plan unchanged; everything is listed cranial to caudal."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget

from alignment_planner.files.plan_reader import read_plan
from alignment_planner.plan.model import Osteotomy, Procedure
from alignment_planner.procedures.catalogue import CATALOGUE
from tests.ui.conftest import SAMPLE_PLAN, click, open_and_wait, viewport_point

pytestmark = pytest.mark.gui

# Type, where, to (None: one level), options set in the form, the words the list and PDF show.
EVERY_ENTRY = [
    ("fusion", "L2", "S1", {"status": "planned", "instrumented": "L2, L3, L4, L5, S1",
                            "interbody": "L4-L5, L5-S1"},
     "fusion L2–S1 (planned, instrumented levels L2, L3, L4, L5, S1, interbody discs L4-L5, L5-S1)"),
    ("decompression", "L3-L4", "L4-L5", {"approach": "open", "side": "bilateral"},
     "decompression L3-L4–L4-L5 (open, bilateral)"),
    ("laminectomy", "L2", None, {"approach": "microscopic"}, "laminectomy L2 (microscopic)"),
    ("microdiscectomy", "L4-L5", None, {"approach": "endoscopic", "side": "left"},
     "microdiscectomy L4-L5 (endoscopic, left)"),
    ("discectomy", "L5-S1", None, {"side": "right"}, "discectomy L5-S1 (right)"),
    ("foraminotomy", "L3-L4", None, {"approach": "percutaneous", "side": "bilateral"},
     "foraminotomy L3-L4 (percutaneous, bilateral)"),
    ("vertebroplasty", "T12", None, {}, "vertebroplasty T12"),
    ("spinoplasty", "L4", None, {"action": "partial_resection", "height_mm": 7.5},
     "spinoplasty L4 (partial resection, height removed ≈ 7.5 mm, no alignment effect)"),
]


def _fresh(qtbot, make_window):  # type: ignore[no-untyped-def]
    """The flatback sample with neither cuts nor procedures: a case to plan."""
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    c = window.controller
    c._show(replace(c.plan, osteotomies=(), procedures=(), compensation=None))
    c.history.reset(c.plan)
    return window


def _set_form(panel, options: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    for key, value in options.items():
        widget = panel.findChild(QWidget, f"option-{key}")
        assert widget is not None, key
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(value))  # type: ignore[arg-type]
            widget.editingFinished.emit()
        else:
            widget.setText(str(value))
            widget.editingFinished.emit()


def test_every_entry_added_edited_drawn_saved_reopened_printed(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert {row[0] for row in EVERY_ENTRY} == set(CATALOGUE)
    window = _fresh(qtbot, make_window)
    panel, c = window.procedures, window.controller
    for key, where, to, options, _words in EVERY_ENTRY:
        panel.type_box.setCurrentIndex(panel.type_box.findData(key))
        panel.where_box.setCurrentText(where)
        if to is not None:
            panel.to_box.setCurrentText(to)
        panel.add_button.click()
        assert c.plan.procedures[-1].type == key, window.problems
        _set_form(panel, options)
    plan = c.plan
    assert len(plan.procedures) == len(EVERY_ENTRY)
    spinoplasty = plan.procedures[-1]
    assert spinoplasty.level == "L4" and spinoplasty.extra["height_mm"] == 7.5
    assert plan.procedures[0].extra["instrumented"] == ["L2", "L3", "L4", "L5", "S1"]

    # Drawn: a glyph and a label at each level (a fusion by its bracket).
    labels = {p.key: getattr(p, "text", "") for p in c.overlay.primitives}
    for index, (key, *_rest) in enumerate(EVERY_ENTRY):
        wanted = f"fusion:{index}:label" if key == "fusion" else f"procedure:{index}:label"
        assert wanted in labels, key
    assert labels["procedure:3:label"] == "µD L4-L5 endo L"
    assert labels["procedure:7:label"] == "SP L4 resection 7.5 mm"
    assert "procedure:6:ring" in labels and "procedure:7:cut" in labels

    # Listed cranial to caudal in the panel and in the measurement table's footer.
    shown = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert shown == [
        EVERY_ENTRY[6][4], EVERY_ENTRY[0][4], EVERY_ENTRY[2][4], EVERY_ENTRY[1][4], EVERY_ENTRY[5][4],
        EVERY_ENTRY[7][4], EVERY_ENTRY[3][4], EVERY_ENTRY[4][4],
    ]
    footer = window.measurements.footer.text()
    assert footer.startswith("Procedures: vertebroplasty T12; fusion L2–S1") and "spinoplasty L4 (partial resection" in footer

    # Saved and reopened: the same procedures, options included.
    saved = tmp_path / "plan.json"
    c.save(saved)
    assert read_plan(saved).procedures == plan.procedures
    again = make_window()
    open_and_wait(qtbot, again, saved)
    assert again.controller.plan.procedures == plan.procedures
    assert again.procedures.list.count() == len(EVERY_ENTRY)

    # Printed: every procedure in the PDF's procedure section.
    out = tmp_path / "plan.pdf"
    assert window.exports.export_pdf(out)
    pages = (unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(out).pages)
    text = " ".join(" ".join(page.split()) for page in pages)  # NFKC: the "ff" ligature of "effect"
    for *_rest, words in EVERY_ENTRY:
        assert words in text, words
    section = text[text.index("Procedures vertebroplasty T12"):]  # the film labels come first
    assert section.index("fusion L2–S1") < section.index("laminectomy L2") < section.index("discectomy L5-S1")


def test_editing_the_level_and_options_is_undoable(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.procedures, window.controller
    panel.type_box.setCurrentIndex(panel.type_box.findData("microdiscectomy"))
    panel.where_box.setCurrentText("L4-L5")
    panel.add_button.click()
    _set_form(panel, {"approach": "microscopic"})
    level = panel.findChild(QComboBox, "procedure-level")
    level.setCurrentText("L3-L4")
    assert c.plan.procedures == (Procedure("microdiscectomy", "L3-L4", extra={"approach": "microscopic"}),)
    window.edit.undo_action.trigger()
    assert c.plan.procedures == (Procedure("microdiscectomy", "L4-L5", extra={"approach": "microscopic"}),)
    window.edit.undo_action.trigger()
    assert c.plan.procedures[0].extra == {}
    window.edit.undo_action.trigger()
    assert c.plan.procedures == ()
    panel.list.setCurrentRow(-1)
    assert not panel.remove_button.isEnabled()


def test_click_the_level_on_the_film(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    panel, c = window.procedures, window.controller
    window.wizard.active.setChecked(False)
    lm = c.plan.landmarks
    for key, expected, (a, b) in (
        ("spinoplasty", "L2", (lm.point("L2", "ant_sup"), lm.point("L2", "post_inf"))),
        ("microdiscectomy", "L4-L5", (lm.point("L4", "post_inf"), lm.point("L5", "ant_sup"))),
        ("decompression", "L4-L5", (lm.point("L4", "post_inf"), lm.point("L5", "ant_sup"))),
        ("decompression", "L3", (lm.point("L3", "ant_sup"), lm.point("L3", "post_inf"))),
    ):
        assert a is not None and b is not None
        panel.type_box.setCurrentIndex(panel.type_box.findData(key))
        panel.pick_button.click()
        middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        click(window, viewport_point(window, c.geometry.to_display(middle)))
        assert (c.plan.procedures[-1].type, c.plan.procedures[-1].level) == (key, expected)
        assert not panel.pick_button.isChecked()


def test_refused_combinations_leave_the_plan_unchanged(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    c = window.controller
    assert c.add_procedure(Procedure("fusion", from_level="L3", to_level="S1"))
    assert c.add_procedure(Procedure("decompression", level="L4-L5"))  # inside a fusion: fine
    before = c.plan
    assert not c.add_osteotomy(Osteotomy("TDR", "L4-L5", 5.0))
    assert c.plan is before and "inside the planned fusion L3–S1" in window.problems[-1]
    assert c.add_osteotomy(Osteotomy("TDR", "L2-L3", 5.0))  # above the fusion: fine
    assert not c.add_procedure(Procedure("fusion", from_level="L1", to_level="L4"))
    assert "TDR at L2-L3 is inside the planned fusion L1–L4" in window.problems[-1]
    assert c.add_osteotomy(Osteotomy("PSO", "L1", 25.0))
    before = c.plan
    assert not c.add_osteotomy(Osteotomy("KYPHOPLASTY", "L1", 5.0))
    assert "a PSO is planned at L1, which resects that body" in window.problems[-1]
    assert not c.add_procedure(Procedure("vertebroplasty", level="L1"))
    assert c.plan is before
    assert not c.add_osteotomy(Osteotomy("TDR", "L1-L2", 5.0))
    assert "PSO at L1 cuts through the endplate" in window.problems[-1]


def test_a_free_text_procedure_is_listed_and_kept(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _fresh(qtbot, make_window)
    c = window.controller
    c.add_procedure(Procedure("Posterolateral fusion + TLIF", from_level="L4", to_level="L5"))
    window.procedures.list.setCurrentRow(0)
    assert "not in the catalogue" in window.procedures.list.item(0).text()
    saved = tmp_path / "p.json"
    c.save(saved)
    assert read_plan(saved).procedures[0].type == "Posterolateral fusion + TLIF"
