"""The Targets tab shows the published grades (SRS-Schwab, GAP, Roussouly, Ames), pre-op and planned,
from the row builder that ``measure`` and the PDF print: a cervical over-correction is marked beside
the one-sided Ames grade there too (clinical.md §2.10, §4.7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_planner.plan.model import Osteotomy
from tests.core.issue15_plans import NORMAL_FILE, normal
from tests.core.test_reader_outputs import _standalone
from tests.ui.conftest import open_and_wait
from ui.panels.measurements import status_colour
from ui.panels.targets import CLASSIFICATION_GROUP
from ui.panels.wrapped_tree import WrappedTree

pytestmark = pytest.mark.gui


def _group(tree, name: str):  # type: ignore[no-untyped-def]
    return next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.whole(tree.topLevelItem(i), 0) == name
    )


class _Row:
    """A row read as a person reads it: each cell's whole text (the tree may break it on lines)."""

    def __init__(self, item) -> None:  # type: ignore[no-untyped-def]
        self.item = item

    def text(self, column: int) -> str:
        return WrappedTree.whole(self.item, column)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.item, name)


def _child(group, label: str):  # type: ignore[no-untyped-def]
    return _Row(next(group.child(i) for i in range(group.childCount()) if WrappedTree.whole(group.child(i), 0) == label))


def test_an_overcorrected_neck_is_marked_beside_the_ames_grade(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Normal adult, C7 PSO 20°: TS−CL −2.1 → −22.1° (ΔTS−CL = −θ), graded 0 by Ames (< 15°).
    path = _standalone(normal(Osteotomy("PSO", "C7", 20.0)), NORMAL_FILE, tmp_path / "neck.plan.json")
    window = make_window()
    open_and_wait(qtbot, window, path)
    tree = window.targets.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 7, timeout=5000)
    grades = _group(tree, CLASSIFICATION_GROUP)
    ts_cl = _child(grades, "Ames TS−CL")
    assert ts_cl.text(1) == "0"  # pre-op −2.1°: within the band
    assert ts_cl.text(2) == "0, over-corrected (-22.1°)"
    assert ts_cl.background(2).color() == status_colour(tree, "outside")
    assert "over-corrected" in ts_cl.toolTip(2) and "-22.1°" in ts_cl.toolTip(2)
    assert _child(grades, "Ames cSVA").text(2).startswith("0, over-corrected (-")
    schwab = _child(grades, "SRS-Schwab PI−LL")
    assert schwab.text(1) == "0" and schwab.text(2) == "0"  # the lumbar spine is untouched
    # The cervical preset's own verdict says it too.
    cervical = _group(tree, "Cervical (Ames-ISSG)")
    verdict = _child(cervical, "TS−CL")
    assert verdict.text(2) == "-22.1  ✗ outside (over)"
    assert verdict.toolTip(2).startswith("outside target, over-corrected")


def test_the_grades_follow_the_sample_plan(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import SAMPLE_PLAN

    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    tree = window.targets.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 7, timeout=5000)
    grades = _group(tree, CLASSIFICATION_GROUP)
    # measure prints: SRS-Schwab PI−LL ++ → 0; PT ++ → +; SVA ++ → 0; Ames cSVA 1 → 0; TS−CL 2 → 0
    assert [(_child(grades, f"SRS-Schwab {k}").text(1), _child(grades, f"SRS-Schwab {k}").text(2))
            for k in ("PI−LL", "PT", "SVA")] == [("++", "0"), ("++", "+"), ("++", "0")]
    assert (_child(grades, "Ames TS−CL").text(1), _child(grades, "Ames TS−CL").text(2)) == ("2", "0")
    assert _child(grades, "GAP score").text(1) == "12 (severely disproportioned)"
    assert "over-corrected" not in " ".join(WrappedTree.whole(grades.child(i), 2) for i in range(grades.childCount()))
