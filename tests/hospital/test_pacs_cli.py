"""``alignment-planner pacs …`` failures (contract.md §4.6): each is exit 2 with one ``error:`` line;
the node comes from the settings file, the command line overriding it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from alignment_planner.hospital.errors import PacsSettingsError
from alignment_planner.hospital.node import PacsNode, TlsSettings
from alignment_planner.hospital.node_settings import load_pacs_node, save_pacs_node
from tests.conftest import SAMPLE_CASES
from tests.hospital.helpers import FLATBACK, cli, one_error_line
from tests.hospital.orthanc import OUR_AET, PACS_AET, Orthanc, start_full_orthanc
from tests.hospital.test_pacs_network import silent_server  # noqa: F401  (fixture)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_without_a_configured_pacs_the_command_says_how_to_set_one(tmp_path: Path) -> None:
    line = one_error_line(cli("pacs", "echo", settings=tmp_path / "empty.ini"))
    assert "no PACS given: use --host and --port, or set host and port in the [pacs] section of" in line
    assert "empty.ini" in line


def test_the_settings_file_supplies_the_node_and_options_override_it(orthanc: Orthanc, tmp_path: Path) -> None:
    settings = tmp_path / "settings.ini"
    settings.write_text("[General]\nrecent=/a/b.json\n\n[window]\ngeometry=@ByteArray(xyz)\n")
    save_pacs_node(PacsNode("127.0.0.1", orthanc.dicom_port, called_aet=PACS_AET, calling_aet=OUR_AET), settings)
    assert "recent=/a/b.json" in settings.read_text() and "geometry=@ByteArray(xyz)" in settings.read_text()
    answered = cli("pacs", "echo", settings=settings)
    assert answered.returncode == 0, answered.stderr
    assert f"{PACS_AET}@127.0.0.1:{orthanc.dicom_port} answered the echo" in answered.stdout
    line = one_error_line(cli("pacs", "echo", "--called-aet", "SOMEONEELSE", settings=settings))
    assert "association rejected: Called AE title not recognised" in line


def test_settings_round_trip_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    node = PacsNode("pacs.example", 11112, called_aet="PACS", calling_aet="ME", timeout_s=12.5,
                    move_port=11113, tls=TlsSettings("/ca.pem", "/me.pem", "/me.key"))
    save_pacs_node(node, path)
    assert load_pacs_node(path) == node
    assert load_pacs_node(tmp_path / "missing.ini") is None
    path.write_text("[pacs]\nhost=pacs\nport=eleven\n")
    with pytest.raises(PacsSettingsError, match=r"s.ini: \[pacs\] port: 'eleven' is not a number"):
        load_pacs_node(path)
    with pytest.raises(PacsSettingsError, match="must be 1 to 16 characters"):
        PacsNode("pacs", 104, called_aet="A-TITLE-LONGER-THAN-16")
    with pytest.raises(PacsSettingsError, match="is not a TCP port"):
        PacsNode("pacs", 70000)


@pytest.mark.parametrize("command", ["echo", "find", "get"])
def test_no_server_is_one_line(command: str) -> None:
    extra = {"echo": [], "find": ["--patient-id", "X"], "get": ["--study", "1.2.3", "-o", "/nonexistent"]}[command]
    line = one_error_line(cli("pacs", command, "--host", "127.0.0.1", "--port", str(_closed_port()), *extra))
    assert "cannot connect" in line and "Connection refused" in line


def test_a_silent_pacs_times_out_in_one_line(silent_server: int) -> None:  # noqa: F811
    line = one_error_line(cli("pacs", "find", "--host", "127.0.0.1", "--port", str(silent_server),
                              "--timeout", "1", "--patient-id", "X"))
    assert "timed out after 1 s" in line


def test_send_refused_by_a_full_pacs_is_one_line(tmp_path: Path) -> None:
    full = start_full_orthanc(tmp_path / "full", SAMPLE_CASES / "normal_adult" / "image.dcm")
    try:
        line = one_error_line(cli(
            "pacs", "send", str(FLATBACK / "flatback_pso.plan.json"), "--host", "127.0.0.1",
            "--port", str(full.dicom_port), "--called-aet", PACS_AET, "--timeout", "20",
        ))
    finally:
        full.stop()
    assert "store refused for Alignment plan report (PDF): 0xA700 refused: out of resources" in line


def test_send_of_a_plan_without_a_dicom_film_is_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "bare.plan.json"
    plan.write_text('{"format": "alignment-planner-plan", "version": 1, "landmarks": {}}')
    line = one_error_line(cli("pacs", "send", str(plan), "--host", "127.0.0.1", "--port", "104"))
    assert "the plan has no film, so there is no study to file it into" in line


def test_bad_dates_and_ports_are_usage_errors() -> None:
    assert "is not a date" in one_error_line(cli("pacs", "find", "--host", "h", "--port", "104", "--date-from", "yesterday"))
    assert "is not a TCP port" in one_error_line(cli("pacs", "echo", "--host", "h", "--port", "0"))
