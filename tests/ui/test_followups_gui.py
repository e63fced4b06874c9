"""Follow-up films in the GUI (issue 19 §1–2), driven like a user: File → Add follow-up film opens
the film in a window beside the plan; the same wizard landmarks it with real clicks; the plan's
vertebrae are offered only once the hips and S1 are placed; the side-by-side table and the planned
spine registered on the sacrum show the miss."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from alignment_planner.calibration.spacing import PixelSpacing
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import write_plan
from alignment_planner.plan.model import ImageRef
from alignment_planner.synthetic.cohort import cohort_plan
from alignment_planner.synthetic.dicom_write import write_dicom
from alignment_planner.synthetic.phantom import render_phantom
from tests.ui.conftest import open_and_wait
from tests.ui.test_landmarking_wizard import HEAD_PX, MM, _click_at, _rim_clicks, _target

pytestmark = pytest.mark.gui

SIZE = (900, 2100)


def _case(tmp_path: Path):  # type: ignore[no-untyped-def]
    planned = cohort_plan(5, pt_miss_deg=-6.0, pt_miss_sd=0.0, spacing_mm=MM, hip_pixel=(470.0, 1800.0))
    [truth] = planned.followups
    spacing = PixelSpacing.isotropic(MM)
    write_dicom(tmp_path / "preop.dcm", render_phantom(planned.landmarks, SIZE, spacing, seed=1).pixels,
                PixelSpacing=[MM, MM], BitsStored=12)
    write_dicom(tmp_path / "post.dcm", render_phantom(truth.landmarks, SIZE, spacing, seed=2).pixels,
                PixelSpacing=[MM, MM], BitsStored=12)
    plan = replace(planned, followups=(), image=ImageRef("preop.dcm", pixel_spacing=spacing))
    write_plan(plan, tmp_path / "case.json")
    return tmp_path / "case.json", tmp_path / "post.dcm", truth


def add_followup_and_wait(qtbot, window, film: Path):  # type: ignore[no-untyped-def]
    """File → Add follow-up film ("1 year", 2027-06-01), returned once its window shows the film."""
    follow = window.followups.add(film, "1 year", "2027-06-01")
    assert follow is not None
    fw = follow.window
    qtbot.addWidget(fw)
    qtbot.waitUntil(lambda: fw.controller.radiograph is not None, timeout=20000)
    qtbot.waitUntil(lambda: not fw.status.busy.isVisible(), timeout=20000)
    QApplication.processEvents()
    return follow


def test_add_a_followup_landmark_it_and_see_the_table_and_overlay(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan_path, film, truth = _case(tmp_path)
    original = read_plan(plan_path).landmarks
    window = make_window()
    open_and_wait(qtbot, window, plan_path)
    assert window.followups.add_action.text().startswith("Add &follow-up")
    follow = add_followup_and_wait(qtbot, window, film)
    fw = follow.window
    assert fw.controller.analysis.calibration.calibrated  # the film's own DICOM spacing
    # Nothing offered before the hips and S1 are placed (no anchoring on the prediction).
    assert not follow.layout_action.isEnabled()
    clicks = 0
    while (step := fw.wizard.current) is not None and (step.is_head or step.level == "S1"):
        if step.is_head and step.clicks == 3:
            clicks += _rim_clicks(fw, _target(truth.landmarks, step), HEAD_PX)
        else:
            _click_at(fw, _target(truth.landmarks, step))
            clicks += 1
        assert clicks < 20
    assert follow.layout_action.isEnabled()
    placed = window.controller.plan.followups[0].landmarks
    assert len(placed.femoral_heads) == 2 and placed.point("S1", "ant_sup") is not None
    assert placed.point("L1", "ant_sup") is None
    follow.layout_action.trigger()
    laid = window.controller.plan.followups[0].landmarks
    # The follow-up is the planned spine with the pelvis turned: laid on the clicked S1, the
    # plan's L1 lands within a few pixels of the truth (the S1 clicks' own error, levered).
    got, want = laid.point("L1", "ant_sup"), truth.landmarks.point("L1", "ant_sup")
    assert got is not None and want is not None
    assert abs(got[0] - want[0]) < 25 and abs(got[1] - want[1]) < 25
    # The side-by-side table: pre-op | planned | 1 year | planned − 1 year (refreshed once the
    # edits settle).
    panel = window.followups_panel
    qtbot.waitUntil(lambda: panel.table.columnCount() == 4 and bool(panel.results), timeout=5000)
    window.followups.refresh_table()
    headers = [panel.table.horizontalHeaderItem(i).text() for i in range(panel.table.columnCount())]
    assert headers == ["Pre-op", "Planned", "1 year", "Planned − 1 year"]
    [result] = panel.results
    assert result.error["PT"] == pytest.approx(-6.0, abs=1.5)  # PT released 6° less than planned
    assert result.error["PI"] == pytest.approx(0.0, abs=1.5)
    pt_row = [panel.table.verticalHeaderItem(r).text() for r in range(panel.table.rowCount())].index("PT (°)")
    assert panel.table.item(pt_row, 3).text().startswith("-")
    # The planned spine, registered on the sacrum, is drawn on the follow-up film.
    assert follow.planned_item.path().elementCount() > 40
    follow.planned_action.trigger()
    assert follow.planned_item.path().elementCount() == 0
    # Saved with the plan, the film path relative to the plan's folder; the plan's own landmarks
    # untouched.
    assert window.files.save()
    again = read_plan(plan_path)
    assert again.followups[0].image is not None and again.followups[0].image.path == "post.dcm"
    assert again.followups[0].label == "1 year" and again.followups[0].date == "2027-06-01"
    assert again.landmarks == original
    assert window.followups.menu.actions()[0].text() == "1 year (2027-06-01)"


def test_a_personal_model_is_fitted_offered_and_refused_below_its_minimum(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alignment_planner.procedures.personal_compensation import MIN_PLANS

    paths = []
    for i in range(12):
        path = tmp_path / f"p{i}.json"
        write_plan(cohort_plan(i, response=-0.3, pt_miss_sd=1.0), path)
        paths.append(path)
    window = make_window()
    assert not window.followups.fit(paths[: MIN_PLANS - 1])
    assert f"at least {MIN_PLANS} plans" in window.problems[-1]
    assert window.followups.fit(paths)
    box = window.osteotomies.model_box
    label = box.itemText(box.findData("personal"))
    assert label.startswith("Personal, n = 12 plans") and "SE" in label
    open_and_wait_plan = paths[0]
    assert window.files.open_path(open_and_wait_plan)
    qtbot.waitUntil(lambda: window.controller.plan.osteotomies != (), timeout=20000)
    box.setCurrentIndex(box.findData("personal"))
    compensation = window.controller.plan.compensation_or_default
    assert compensation.model == "personal" and compensation.extra["n"] == 12
    assert "personal, n = 12 plans" in window.controller.analysis.compensation_label
    assert window.settings.personal_model() == dict(compensation.extra)


def test_a_bad_date_adds_nothing(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.followups.add(tmp_path / "post.dcm", "6 weeks", "2026-13-01") is None
    assert "YYYY-MM-DD" in window.problems[-1]
    assert window.controller.plan.followups == () and not window.followups.windows


def test_followup_rows_carry_their_unit_and_never_print_minus_zero() -> None:
    """Second review N9: "-0.0" in the Follow-ups tab and no unit anywhere in it."""
    from ui.panels.followups import _row_name, _text

    assert _row_name("SVA", "mm") == "SVA (mm)" and _row_name("PI", "°") == "PI (°)"
    assert _text(-0.04) == "0.0" and _text(-0.06) == "-0.1" and _text(None) == "—"
