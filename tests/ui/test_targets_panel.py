"""Targets in the GUI (issue 5 §3–4): colours by the chosen preset, ± bands, every preset listed."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SAMPLE_PLAN, open_and_wait

pytestmark = pytest.mark.gui


def test_table_is_coloured_by_the_chosen_preset_and_bands_follow(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    m = window.measurements
    assert m.status_of("PT") == "outside" and m.status_of("PT", "postop") == "borderline"  # PT 31 → 20
    assert m.status_of("PI_LL", "postop") == "within"
    assert m.status_of("PI") is None  # not a target of SRS-Schwab
    qtbot.waitUntil(lambda: window.target_actions.uncertainty is not None, timeout=5000)
    band = m.text("LL", 4)  # pre-op → planned, as the plan is simulated
    pre, post = (float(part.strip("± ?")) for part in band.split("→"))
    assert pre > 0 and post > 0
    assert m.text("PI_LL", 4).endswith("?")  # 7 ± ~10 straddles 10
    assert "planned PI−LL 7.0 ± " in m.tooltip("PI_LL", 4)
    assert "could be either side of 10°" in m.tooltip("PI_LL", 4)

    # the default is the fitted error model (clinical.md §5.4); a value puts an isotropic SD instead
    assert window.targets.sd_spin.text() == "fitted model"
    assert window.target_actions.uncertainty.point_sd_mm is None  # type: ignore[union-attr]
    model_band = m.text("PI_LL", 4)
    window.targets.sd_spin.setValue(2.5)
    qtbot.waitUntil(lambda: window.target_actions.uncertainty is not None and window.target_actions.uncertainty.point_sd_mm == 2.5, timeout=5000)
    assert window.settings.point_sd_mm() == 2.5 and m.text("PI_LL", 4) != model_band
    window.targets.sd_spin.setValue(0.0)  # back to the fitted model
    qtbot.waitUntil(lambda: window.target_actions.uncertainty is not None and window.target_actions.uncertainty.point_sd_mm is None, timeout=5000)
    assert m.text("PI_LL", 4) == model_band and window.settings.point_sd_mm() == 0.0

    window.targets.preset_box.setCurrentIndex(window.targets.preset_box.findData("cervical"))
    assert m.status_of("PT") is None and m.status_of("cSVA") == "borderline"
    assert window.settings.preset_id() == "cervical"


def test_targets_panel_lists_every_preset_and_the_ideal_ll_spread(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    qtbot.waitUntil(lambda: window.targets.tree.topLevelItemCount() == 7, timeout=5000)  # six presets, then the grades
    names = [window.targets.tree.topLevelItem(i).text(0) for i in range(6)]
    assert names[0] == "SRS-Schwab" and "success" in names[1] and "Lafage 2016" in names[2]
    schwab = window.targets.tree.topLevelItem(0)
    assert schwab.child(0).text(0) == "PI−LL" and "outside" in schwab.child(0).text(1)
    assert "within" in schwab.child(0).text(2)
    assert "Ideal LL for this PI: 54.7–68.0°" in window.targets.ideal_ll.text()


def test_suggest_goals_come_from_the_chosen_preset(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    panel = window.osteotomies
    panel.preset_goals_button.click()
    # clinical.md §4.7: two-sided, and the SVA modifier's 0 band is < 40 mm
    assert panel.goals.text() == "PI_LL=-10..10, PT=0..20, SVA=-30..40, TPA=-5..20"
    window.targets.preset_box.setCurrentIndex(window.targets.preset_box.findData("lafage-2016-age"))
    panel.preset_goals_button.click()
    # the flatback patient is 67: age band 65–74; over-correction more than 10° below is outside
    assert panel.goals.text().startswith("PT=15.1..25.1, PI_LL=0.9..10.9")
    panel.suggest_button.click()
    assert panel.suggestions.topLevelItemCount() >= 1


def test_ldi_band_is_asymmetric_and_undefined_in_words_as_the_cli_prints_it(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """clinical.md §5.4: LDI (a ratio) has an asymmetric band, "+a/−b" (the row builder's text);
    when LL's band includes 0 it is undefined within noise, said in words with the reason."""
    from alignment_planner.calibration.spacing import PixelSpacing
    from alignment_planner.files.plan_writer import write_plan
    from alignment_planner.output.rows import band_of
    from alignment_planner.plan.model import ImageRef, Plan
    from alignment_planner.synthetic.spine_model import SpineSpec, build_landmarks

    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    m = window.measurements
    qtbot.waitUntil(lambda: window.target_actions.uncertainty is not None, timeout=10000)
    u = window.target_actions.uncertainty
    analysis = window.controller.analysis
    pre = band_of(u, "LDI", "preop", analysis.preop.value("LDI")).text  # type: ignore[arg-type]
    post = band_of(u, "LDI", "postop", analysis.postop.value("LDI")).text  # type: ignore[arg-type]
    assert pre.startswith("+") and "/−" in pre
    assert m.text("LDI", 4).replace("?", "") == f"{pre} → {post}"
    assert "asymmetric 95 % band" in m.tooltip("LDI", 4)

    segments = dict(SpineSpec().segment_lordosis)
    segments.update({"L1-L2": -8.0, "L2-L3": -6.0, "L3-L4": 0.0, "L4-L5": 6.0, "L5-S1": 9.0})  # LL 1°
    spacing = PixelSpacing.isotropic(0.2)
    flat = tmp_path / "flat.plan.json"
    write_plan(
        Plan(
            landmarks=build_landmarks(SpineSpec(segment_lordosis=segments), spacing=spacing),
            image=ImageRef(pixel_spacing=spacing),
        ),
        flat,
    )
    window.controller.history.mark_saved()
    open_and_wait(qtbot, window, flat)
    qtbot.waitUntil(
        lambda: window.target_actions.uncertainty is not None and m.text("LDI", 4) != "", timeout=10000
    )
    assert m.text("LDI", 4) == "undefined"
    assert "undefined within noise" in m.tooltip("LDI", 4) and "includes 0" in m.tooltip("LDI", 4)
