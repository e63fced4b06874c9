"""Suggest says when the film already meets every goal (second review N4: an aligned patient was
offered five over-correcting SPOs without a word).

Hand values: the normal adult sample has PI 52° and LL 57° (PI−LL −5°, within ±10°); the flatback
sample PI 62° and LL 25° (PI−LL +37°), both from their construction (issue15_plans).
"""

from __future__ import annotations

import subprocess
import sys

from alignment_planner.planning.search import ALREADY_MET, Goal, preop_meets_every_goal
from tests.core.issue15_plans import flatback, normal

WITHIN_10 = Goal("PI_LL", -10.0, 10.0)


def test_an_aligned_film_meets_the_goal_and_a_flatback_does_not() -> None:
    assert preop_meets_every_goal(normal(), [WITHIN_10])
    assert not preop_meets_every_goal(flatback(), [WITHIN_10])


def test_every_goal_must_be_met_and_an_empty_list_is_not_a_yes() -> None:
    assert not preop_meets_every_goal(normal(), [WITHIN_10, Goal("PI_LL", None, -6.0)])
    assert not preop_meets_every_goal(normal(), [])


def test_the_command_line_says_so_before_the_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alignment_planner.files.plan_writer import write_plan

    path = tmp_path / "normal.plan.json"
    write_plan(normal(), path)
    result = subprocess.run(
        [sys.executable, "-m", "alignment_planner", "suggest", str(path), "--goal", "PI_LL=-10..10",
         "--margin", "0", "--single"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == ALREADY_MET
