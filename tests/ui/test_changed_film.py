"""The GUI's side of the changed-film policy (files/plan_image.py): it shows the film with a
warning, and saving after checking the landmarks records the film so that outputs accept it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from alignment_planner.files.plan_image import load_image_for_output
from alignment_planner.files.plan_reader import read_plan
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui


def test_a_changed_film_is_shown_with_a_warning_and_saving_records_it(  # type: ignore[no-untyped-def]
    qtbot, make_window, tmp_path: Path
) -> None:
    film = (SAMPLE_PLAN.parent / "image.dcm").resolve()
    changed = json.loads(SAMPLE_PLAN.read_text())
    changed["image"]["path"] = str(film)
    changed["image"]["sha256"] = "0" * 64
    path = tmp_path / "changed.plan.json"
    path.write_text(json.dumps(changed))
    with pytest.raises(Exception, match=r"image\.sha256"):
        load_image_for_output(read_plan(path), path, action="rendering")

    window = make_window()
    notices: list[str] = []
    window.controller.notice.connect(notices.append)
    open_and_wait(qtbot, window, path)
    assert window.controller.radiograph is not None  # the film is shown, not refused
    qtbot.waitUntil(lambda: any("sha256 differs" in n for n in notices), timeout=20000)
    assert "image.dcm has changed since this plan was saved" in window.statusBar().currentMessage()

    saved = tmp_path / "checked.plan.json"
    assert window.files.save_to(saved)
    digest = hashlib.sha256(film.read_bytes()).hexdigest()
    assert json.loads(saved.read_text())["image"]["sha256"] == digest
    assert load_image_for_output(read_plan(saved), saved, action="rendering") is not None
