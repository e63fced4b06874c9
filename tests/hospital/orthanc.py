"""A real PACS for the tests: Debian's Orthanc on loopback ports, configured in a temporary folder.

The configuration makes it behave as a hospital PACS would: it checks the called AE title (a wrong
one is rejected), knows our AE title and storage port for C-MOVE, and refuses to store objects whose
PatientID is ``REFUSED-BY-PACS`` (a Lua filter; Orthanc 1.10 still answers such a store with
success). :func:`start_full_orthanc` makes one that refuses stores with a failure status: its storage
holds one protected patient and no room for another.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INSTALL_HINT = "Orthanc is missing: bash tools/bootstrap.sh test installs it (Debian package orthanc)"
PACS_AET = "TESTPACS"
OUR_AET = "ALIGNPLAN"
NO_GET_AET = "NOGETPLAN"  # registered with C-GET forbidden: retrieval must fall back to C-MOVE
REFUSED_PATIENT = "REFUSED-BY-PACS"

FILTER = f"""
function ReceivedInstanceFilter(dicom, origin, info)
  return dicom.PatientID ~= "{REFUSED_PATIENT}"
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Orthanc:
    folder: Path
    dicom_port: int
    http_port: int
    move_port: int
    extra: dict[str, Any] | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout_s: float = 60.0) -> None:
        program = shutil.which("Orthanc") or shutil.which("Orthanc", path="/usr/sbin:/usr/local/sbin")
        assert program is not None, INSTALL_HINT
        (self.folder / "filter.lua").write_text(FILTER)
        config = {
            "Name": "alignment-planner-test",
            "StorageDirectory": str(self.folder / "db"),
            "IndexDirectory": str(self.folder / "db"),
            "Plugins": [],
            "HttpServerEnabled": True,
            "HttpPort": self.http_port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False,
            "DicomServerEnabled": True,
            "DicomAet": PACS_AET,
            "DicomPort": self.dicom_port,
            "DicomCheckCalledAet": True,
            "DicomModalities": {
                "planner": [OUR_AET, "127.0.0.1", self.move_port],
                "planner-no-get": {
                    "AET": NO_GET_AET, "Host": "127.0.0.1", "Port": self.move_port, "AllowGet": False,
                },
            },
            "DicomScpTimeout": 30,
            "LuaScripts": [str(self.folder / "filter.lua")],
            "StableAge": 1,
            "OverwriteInstances": True,
            "HttpCompressionEnabled": False,
            "StorageCompression": False,
            "ConcurrentJobs": 1,
            **(self.extra or {}),
        }
        path = self.folder / "orthanc.json"
        path.write_text(json.dumps(config, indent=2))
        log = (self.folder / "orthanc.log").open("wb")
        self.process = subprocess.Popen([program, str(path)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Orthanc exited: {(self.folder / 'orthanc.log').read_text()[-2000:]}")
            try:
                self.rest("/system")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Orthanc did not answer on {self.url} within {timeout_s:g} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def rest(self, path: str, *, method: str = "GET", data: bytes | None = None) -> Any:
        request = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read()
        return json.loads(body) if body[:1] in (b"{", b"[") else body

    def upload(self, path: Path) -> dict[str, Any]:
        answer: dict[str, Any] = self.rest("/instances", method="POST", data=path.read_bytes())
        return answer

    def clear(self) -> None:
        for patient in self.rest("/patients"):
            self.rest(f"/patients/{patient}", method="DELETE")

    def study_id(self, study_uid: str) -> str:
        found = self.rest("/tools/lookup", method="POST", data=study_uid.encode())
        return str(next(item["ID"] for item in found if item["Type"] == "Study"))


def start_orthanc(folder: Path, **extra: Any) -> Orthanc:
    folder.mkdir(parents=True, exist_ok=True)
    server = Orthanc(folder, free_port(), free_port(), free_port(), extra)
    server.start()
    return server


def start_full_orthanc(folder: Path, occupant: Path) -> Orthanc:
    """An Orthanc whose storage is full: one protected patient (``occupant``'s) and room for one."""
    server = start_orthanc(folder, MaximumPatientCount=1)
    patient = server.upload(occupant)["ParentPatient"]
    server.rest(f"/patients/{patient}/protected", method="PUT", data=b"1")
    return server
