"""Issue 20: retrieving a 3000 × 9000 16-bit film from a local PACS (Orthanc on loopback) takes at
most twice as long as Orthanc's own REST download of the same file (medians, JSON on stdout).

Both paths end with the file on disk: ``C-GET`` (our retrieve: association, C-GET, each PDU
received by pynetdicom, the file written atomically) against ``GET /instances/{id}/file`` (Orthanc's
REST download, read and written by urllib). ``C-MOVE`` (a second association from the PACS to our
storage SCP) is timed too.

    python bench/bench_pacs.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the Orthanc test server lives with the tests

from alignment_planner.files.atomic import write_bytes_atomically  # noqa: E402
from alignment_planner.hospital.node import PacsNode  # noqa: E402
from alignment_planner.hospital.retrieve import Method, RetrieveRequest, retrieve  # noqa: E402
from alignment_planner.synthetic.dicom_write import write_dicom  # noqa: E402
from tests.hospital.orthanc import OUR_AET, PACS_AET, start_orthanc  # noqa: E402

ROWS, COLUMNS = 9000, 3000


def _median(samples: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(samples), 1), "min": round(min(samples), 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        pixels = np.random.default_rng(20).integers(0, 4096, size=(ROWS, COLUMNS), dtype=np.uint16)
        film = write_dicom(work / "film.dcm", pixels, BitsStored=12, PixelSpacing=[0.15, 0.15],
                           PatientID="BENCH-PACS", PatientName="Bench^Film")
        server = start_orthanc(work / "orthanc")
        try:
            instance = server.upload(film)["ID"]
            study_uid = str(server.rest(f"/instances/{instance}/tags?simplify")["StudyInstanceUID"])
            node = PacsNode("127.0.0.1", server.dicom_port, called_aet=PACS_AET, calling_aet=OUR_AET,
                            timeout_s=60, move_port=server.move_port)
            timings: dict[str, list[float]] = {"rest_download_ms": [], "c_get_ms": [], "c_move_ms": []}
            for run in range(args.repeat):
                start = time.perf_counter()
                with urllib.request.urlopen(f"{server.url}/instances/{instance}/file", timeout=60) as answer:
                    write_bytes_atomically(work / f"rest-{run}.dcm", answer.read())
                timings["rest_download_ms"].append(1000 * (time.perf_counter() - start))
                methods: tuple[tuple[Method, str], ...] = (("get", "c_get_ms"), ("move", "c_move_ms"))
                for method, key in methods:
                    start = time.perf_counter()
                    target = work / f"{method}-{run}"
                    result = retrieve(node, RetrieveRequest(study_uid), target, method=method)
                    timings[key].append(1000 * (time.perf_counter() - start))
                    assert len(result.files) == 1
        finally:
            server.stop()
        size = film.stat().st_size
    medians = {key: _median(values) for key, values in timings.items()}
    ratio = medians["c_get_ms"]["median"] / medians["rest_download_ms"]["median"]
    report = {
        "film": f"{COLUMNS}x{ROWS} 16-bit, {size / 1e6:.1f} MB uncompressed",
        "repeat": args.repeat,
        **medians,
        "c_get_over_rest": round(ratio, 2),
        "c_move_over_rest": round(medians["c_move_ms"]["median"] / medians["rest_download_ms"]["median"], 2),
        "targets": {"c_get_over_rest": "<= 2.0"},
        "met": ratio <= 2.0,
    }
    print(json.dumps(report, indent=2))
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
