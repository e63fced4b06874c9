"""``outcomes`` reads the plan files and nothing else: a follow-up's film is never opened (its
values come from the landmarks in the plan; issue 19's 10,000-plan budget has no room for films)."""

from __future__ import annotations

import builtins
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from alignment_planner.files.plan_writer import write_plan
from alignment_planner.plan.model import ImageRef
from alignment_planner.synthetic.cohort import cohort_plan
from alignment_planner_launcher import main


def test_outcomes_opens_the_plans_and_never_their_films(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for i in range(3):
        plan = cohort_plan(i)
        (tmp_path / f"film_{i}.dcm").write_bytes(b"not read")  # a film each follow-up names
        [followup] = plan.followups
        image = replace(followup.image or ImageRef(), path=f"film_{i}.dcm")
        plan = replace(plan, followups=(replace(followup, image=image),))
        path = tmp_path / f"plan_{i}.json"
        write_plan(plan, path)
        paths.append(str(path))
    opened: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(os.fspath(path))
        return real_os_open(path, *args, **kwargs)

    def open_(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)):
            opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)
    assert main(["outcomes", *paths, "--jobs", "1", "--json"]) == 0
    assert '"plans"' in capsys.readouterr().out
    assert not [p for p in opened if "film_" in p]
    assert {str(Path(p).resolve()) for p in opened if p.endswith(".json")} == {
        str(Path(p).resolve()) for p in paths
    }
