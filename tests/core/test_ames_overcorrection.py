"""Cervical over-correction beside the Ames-ISSG modifiers (clinical.md §2.10, §4.7): the modifiers
are one-sided (TS−CL 0 < 15°, cSVA 0 < 40 mm), so a neck corrected into hyperlordosis grades 0 and
reads as aligned. The cervical preset's two-sided bands (TS−CL within −5…15°, cSVA within −10…40 mm)
say it is over-corrected; the classification line says so beside the grade, in ``measure`` and the
PDF (one row builder), as the SRS-Schwab line does.

Hand values: the normal adult sample has TS−CL = T1S − CL = 11.5 − 13.6 = −2.1° (expected.json).
A C7 PSO of θ turns C7's upper half and everything above it: CL (C2 inferior → C7 inferior) gains θ,
T1S does not change (T1 is below the cut), so TS−CL falls by exactly θ (clinical.md §3.3 step 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_planner.analysis.pipeline import analyze
from alignment_planner.output.report import build_report_content
from alignment_planner.output.rows import (
    classification_stages,
    report_classification_lines,
    table_classification_lines,
)
from alignment_planner.plan.model import Osteotomy
from alignment_planner.targets.overcorrection import cervical_overcorrection_limits, is_overcorrection
from alignment_planner.targets.presets import evaluate, preset_by_id
from alignment_planner.targets.verdict_text import verdict_words
from tests.core.issue15_plans import normal

PRE_TS_CL = 13.6 - 11.5  # CL − T1S of the normal adult: TS−CL = −2.1°


def _ames_line(theta: float) -> str:
    plan = normal(Osteotomy("PSO", "C7", theta))
    return report_classification_lines(classification_stages(plan, analyze(plan)))[3]


def test_the_limits_are_the_cervical_presets_lower_edges() -> None:
    assert cervical_overcorrection_limits() == {"cSVA": -10.0, "TS_CL": -5.0}


def test_a_cervical_overcorrection_is_marked_beside_its_grade() -> None:
    plan = normal(Osteotomy("PSO", "C7", 20.0))
    analysis = analyze(plan)
    # −2.1 − 20 = −22.1°: grade 0 (< 15°), 17.1° below the band's −5° edge.
    assert analysis.postop.value("TS_CL") == pytest.approx(-PRE_TS_CL - 20.0, abs=0.05)
    stages = classification_stages(plan, analysis)
    ames = report_classification_lines(stages)[3]
    assert ames.startswith("Ames cervical (pre-op → planned): ")
    assert "TS−CL 0 → 0, over-corrected (planned -22.1°)" in ames
    # The head behind C7 (cSVA below −10 mm) is over-corrected too; the pre-op value (16.5 mm) is not.
    assert "cSVA 0 → 0, over-corrected (planned -" in ames and " mm)" in ames
    assert "pre-op" not in ames.split(": ", 1)[1]
    # ``measure``'s table prints the same words from the same rows.
    table = table_classification_lines(stages)
    assert table[4] == f"  Ames        {stages.ames_text()} (CBVA not measured)"
    assert "TS−CL 0 → 0, over-corrected (planned -22.1°)" in table[4]


@pytest.mark.parametrize(
    ("theta", "marked"),
    [
        (2.9, False),  # −4.998 is printed −5.0: on the band's edge, within (judged as printed)
        (2.95, False),  # −5.048 → −5.0
        (3.0, True),  # −5.098 → −5.1: past the edge
        (10.0, True),  # −12.1
    ],
)
def test_judged_as_printed_at_the_edge(theta: float, marked: bool) -> None:
    line = _ames_line(theta)
    assert ("TS−CL 0 → 0, over-corrected" in line) is marked, line


def test_an_aligned_neck_carries_no_mark() -> None:
    plan = normal()
    line = report_classification_lines(classification_stages(plan, analyze(plan)))[3]
    assert line == "Ames cervical: cSVA 0; TS−CL 0"


def test_a_neck_overcorrected_before_surgery_names_both_stages() -> None:
    """An over-correction present on the pre-op film is named per stage ("pre-op …, planned …")."""
    plan = normal(Osteotomy("PSO", "C7", 20.0), Osteotomy("PSO", "L3", 1.0))
    stages = classification_stages(plan, analyze(plan))
    rows = {row.key: row for row in stages.ames_rows()}
    assert rows["TS_CL"].overcorrected[0] is None and rows["TS_CL"].overcorrected[1] is not None
    assert rows["TS_CL"].cell(0) == "0" and rows["TS_CL"].cell(1).startswith("0, over-corrected (-")
    assert rows["TS_CL"].text(("pre-op", "planned")).endswith("°)")


def test_the_report_content_carries_the_mark() -> None:
    plan = normal(Osteotomy("PSO", "C7", 20.0))
    analysis = analyze(plan)
    content = build_report_content(plan, analysis, case_name="c", preset=preset_by_id("cervical"))
    ames = next(line for line in content.classifications if line.startswith("Ames cervical"))
    assert "TS−CL 0 → 0, over-corrected (planned -22.1°)" in ames


def test_the_cervical_presets_verdict_says_over_corrected() -> None:
    """The GUI's words for a verdict (table tooltip, Suggest, Targets tab) name it too."""
    plan = normal(Osteotomy("PSO", "C7", 20.0))
    verdicts = {v.target.key: v for v in evaluate(preset_by_id("cervical"), analyze(plan).postop, None)}
    assert verdicts["TS_CL"].status == "outside" and is_overcorrection(verdicts["TS_CL"])
    assert verdict_words(verdicts["TS_CL"]) == "outside target, over-corrected"
    # Above the band (TS−CL 24°, a kyphotic neck) is outside but not over-corrected.
    flatback = analyze(normal(Osteotomy("PSO", "C7", -26.0))).postop
    kyphotic = {v.target.key: v for v in evaluate(preset_by_id("cervical"), flatback, None)}
    assert kyphotic["TS_CL"].status == "outside" and not is_overcorrection(kyphotic["TS_CL"])


def test_measure_prints_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from alignment_planner_launcher import main
    from tests.core.issue15_plans import NORMAL_FILE
    from tests.core.test_reader_outputs import _standalone

    path = _standalone(normal(Osteotomy("PSO", "C7", 20.0)), NORMAL_FILE, tmp_path / "neck.plan.json")
    assert main(["measure", str(path)]) == 0
    out = capsys.readouterr().out
    ames = next(line for line in out.splitlines() if line.strip().startswith("Ames"))
    assert "TS−CL 0 → 0, over-corrected (planned -22.1°)" in ames
