"""The hospital actions in the window, as a user drives them (qtbot, offscreen): Open from PACS
(search, lazy thumbnails, open a series; choose among several images), a failure that leaves
everything open, Open CD/DICOMDIR on a disc written by pydicom's FileSet, Send plan to PACS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest
from pydicom.fileset import FileSet
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.node_settings import save_pacs_node
from alignment_planner.hospital.store import store
from tests.conftest import SAMPLE_CASES
from tests.hospital.helpers import FLATBACK, plan_on
from tests.hospital.orthanc import OUR_AET, PACS_AET, Orthanc
from ui.document.recovery import RecoveryStore
from ui.document.settings import Settings
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window_with(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[PacsNode | None], MainWindow]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALIGNMENT_PLANNER_CACHE_DIR", str(tmp_path / "cache"))

    def make(node: PacsNode | None) -> MainWindow:
        settings = tmp_path / "settings.ini"
        if node is not None:
            save_pacs_node(node, settings)
        window = MainWindow(Settings(str(settings)), RecoveryStore(tmp_path / "recovery"))
        window.problems = []  # type: ignore[attr-defined]
        window.messages.show_problem = window.problems.append  # type: ignore[attr-defined]
        window.messages.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(window)
        window.show()
        return window

    return make


def _series_item(browser):  # type: ignore[no-untyped-def]
    study = browser.tree.topLevelItem(0)
    return study.child(0)


def test_open_from_pacs_searches_shows_thumbnails_and_opens_the_film(
    qtbot, pacs: Orthanc, node: PacsNode, window_with, tmp_path: Path
) -> None:
    film = pydicom.dcmread(FLATBACK / "image.dcm")
    store(node, [film])
    window = window_with(node)
    browser = window.hospital.open_from_pacs(modal=False)
    assert browser is not None and window.problems == []
    qtbot.keyClicks(browser.patient_id, "SAMPLE-002")
    qtbot.mouseClick(browser.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 1, timeout=20000)
    study = browser.tree.topLevelItem(0)
    assert "Sample^Flatback (SAMPLE-002)" in study.text(0) and study.text(1) == "2025-03-03"
    series = _series_item(browser)
    assert series.text(2) == "DX" and series.text(3) == "1"
    qtbot.waitUntil(lambda: not series.icon(0).isNull(), timeout=30000)  # fetched when the study opened
    browser.tree.setCurrentItem(series)
    with qtbot.waitSignal(window.controller.image_changed, timeout=30000):
        qtbot.mouseClick(browser.open_button, Qt.MouseButton.LeftButton)
    assert window.controller.image_path is not None
    assert window.controller.image_path.name == f"{film.SOPInstanceUID}.dcm"
    assert str(tmp_path / "cache" / "pacs") in str(window.controller.image_path)
    assert window.controller.radiograph is not None and window.controller.radiograph.height == film.Rows


def test_several_images_in_a_series_are_offered_to_choose(
    qtbot, pacs: Orthanc, node: PacsNode, window_with
) -> None:
    first = pydicom.dcmread(FLATBACK / "image.dcm")
    second = pydicom.dcmread(FLATBACK / "image.dcm")
    second.SOPInstanceUID = second.file_meta.MediaStorageSOPInstanceUID = first.SOPInstanceUID + ".2"
    second.InstanceNumber = 2
    store(node, [first, second])
    window = window_with(node)
    browser = window.hospital.open_from_pacs(modal=False)
    offered: list[list[Path]] = []
    browser.choose_image = lambda files: (offered.append(files), files[1])[1]
    browser.accession.setText("SAMPLEACC002")
    browser.search()
    qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 1, timeout=20000)
    with qtbot.waitSignal(window.controller.image_changed, timeout=30000):
        browser.open_item(browser.tree.topLevelItem(0))  # a study with one series opens that series
    assert len(offered) == 1 and len(offered[0]) == 2
    assert window.controller.image_path == offered[0][1]


def test_an_unreachable_pacs_is_said_and_everything_stays_open(qtbot, window_with) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    window = window_with(PacsNode("127.0.0.1", closed, called_aet=PACS_AET, calling_aet=OUR_AET, timeout_s=3))
    from tests.ui.conftest import open_and_wait

    open_and_wait(qtbot, window, SAMPLE_CASES / "normal_adult" / "normal_adult.plan.json")
    before = window.controller.plan
    browser = window.hospital.open_from_pacs(modal=False)
    browser.patient_id.setText("ANYONE")
    browser.search()
    qtbot.waitUntil(lambda: "cannot connect" in browser.status.text(), timeout=20000)
    assert browser.isVisible() and browser.search_button.isEnabled()
    assert window.controller.plan is before and window.problems == []
    browser.patient_id.clear()
    browser.search()
    assert "give at least a patient ID" in browser.status.text()


def test_without_pacs_settings_the_window_says_where_to_set_them(window_with) -> None:
    window = window_with(None)
    assert window.hospital.open_from_pacs(modal=False) is None
    assert window.problems == ["No PACS is set up yet: File → PACS settings names its host, port and AE title."]


def test_a_dicomdir_written_by_fileset_opens_through_the_disc_browser(qtbot, window_with, tmp_path: Path) -> None:
    disc = FileSet()
    for case in ("normal_adult", "flatback_pso"):
        disc.add(pydicom.dcmread(SAMPLE_CASES / case / "image.dcm"))
    disc.write(tmp_path / "disc")
    window = window_with(None)
    browser = window.hospital.open_disc(tmp_path / "disc" / "DICOMDIR", modal=False)
    assert browser is not None
    patients = [browser.tree.topLevelItem(i).text(0) for i in range(browser.tree.topLevelItemCount())]
    assert patients == ["Sample^Flatback (SAMPLE-002)", "Sample^Normal (SAMPLE-001)"]
    items = browser.series_items()
    assert [item.text(4) for item in items] == ["Iatrogenic flatback after lumbar fusion", "Normal sagittal alignment"]
    qtbot.waitUntil(lambda: all(not item.icon(0).isNull() for item in items), timeout=30000)
    browser.tree.setCurrentItem(items[1])
    with qtbot.waitSignal(window.controller.image_changed, timeout=30000):
        browser.open_item(browser.tree.currentItem())
    assert window.controller.image_path is not None
    assert pydicom.dcmread(window.controller.image_path).PatientID == "SAMPLE-001"


def test_a_broken_dicomdir_is_said_and_nothing_changes(window_with, tmp_path: Path) -> None:
    broken = tmp_path / "DICOMDIR"
    broken.write_bytes(b"not a dicomdir")
    window = window_with(None)
    assert window.hospital.open_disc(broken, modal=False) is None
    assert len(window.problems) == 1 and "not a readable DICOMDIR" in window.problems[0]


def test_send_plan_to_pacs_files_it_into_the_study(
    qtbot, pacs: Orthanc, node: PacsNode, window_with, tmp_path: Path
) -> None:
    film = pydicom.dcmread(FLATBACK / "image.dcm")
    store(node, [film])
    window = window_with(node)
    from tests.ui.conftest import open_and_wait

    open_and_wait(qtbot, window, plan_on(FLATBACK / "image.dcm", tmp_path))
    assert window.hospital.send_to_pacs()
    qtbot.waitUntil(lambda: not window.hospital.sending(), timeout=60000)
    assert window.problems == []
    assert "Plan filed in study" in window.statusBar().currentMessage()
    series = pacs.rest(f"/studies/{pacs.study_id(film.StudyInstanceUID)}/series?expand")
    assert sorted(s["MainDicomTags"]["Modality"] for s in series) == ["DOC", "DX", "OT", "SR"]
    QApplication.processEvents()


def test_a_refused_send_is_said_and_the_plan_stays_open(qtbot, window_with, tmp_path: Path) -> None:
    from tests.hospital.orthanc import start_full_orthanc

    full = start_full_orthanc(tmp_path / "full", SAMPLE_CASES / "normal_adult" / "image.dcm")
    try:
        window = window_with(PacsNode("127.0.0.1", full.dicom_port, called_aet=PACS_AET, timeout_s=20))
        from tests.ui.conftest import open_and_wait

        open_and_wait(qtbot, window, plan_on(FLATBACK / "image.dcm", tmp_path))
        plan = window.controller.plan
        assert window.hospital.send_to_pacs()
        qtbot.waitUntil(lambda: not window.hospital.sending(), timeout=60000)
    finally:
        full.stop()
    assert len(window.problems) == 1
    assert window.problems[0].startswith("The plan was not filed (it is still open): PACS ")
    assert "0xA700 refused: out of resources" in window.problems[0]
    assert window.controller.plan is plan and window.controller.image_path is not None


def test_pacs_settings_dialog_tests_the_node_and_saves_it(qtbot, orthanc: Orthanc, window_with, tmp_path: Path) -> None:
    window = window_with(None)
    dialog = window.hospital.edit_settings()
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(orthanc.dicom_port)
    dialog.called.setText("WRONGPACS")
    qtbot.mouseClick(dialog.echo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "association rejected" in dialog.status.text(), timeout=20000)
    dialog.called.setText(PACS_AET)
    dialog.test()
    qtbot.waitUntil(lambda: "answered in" in dialog.status.text(), timeout=20000)
    dialog.calling.setText("A\\B")
    dialog.save()
    assert "may hold only printable ASCII" in dialog.status.text() and dialog.isVisible()
    dialog.calling.setText(OUR_AET)
    dialog.move_port.setValue(11113)
    dialog.save()
    text = (tmp_path / "settings.ini").read_text()
    assert f"port={orthanc.dicom_port}" in text and f"called_aet={PACS_AET}" in text and "move_port=11113" in text


def test_a_new_search_or_a_closed_dialog_drops_late_thumbnails(
    qtbot, pacs: Orthanc, node: PacsNode, window_with
) -> None:
    store(node, [pydicom.dcmread(FLATBACK / "image.dcm")])
    window = window_with(node)
    browser = window.hospital.open_from_pacs(modal=False)
    browser.patient_id.setText("SAMPLE-002")
    browser.search()
    qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 1, timeout=20000)
    assert browser.busy()  # the thumbnail is on its way …
    browser.search()  # … when the tree is rebuilt: the old item is gone
    qtbot.waitUntil(lambda: not browser.busy(), timeout=30000)
    assert browser.tree.topLevelItemCount() == 1  # no exception in the event loop (pytest-qt fails on one)
    second = window.hospital.open_from_pacs(modal=False)
    second.patient_id.setText("SAMPLE-002")
    second.search()
    qtbot.waitUntil(lambda: second.tree.topLevelItemCount() == 1, timeout=20000)
    second.close()
    second.deleteLater()  # closed and destroyed with its thumbnail still coming
    qtbot.wait(3000)
