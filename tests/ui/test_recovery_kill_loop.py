"""The recovery guarantee, measured (issue 16): a GUI session killed (SIGKILL) at a random moment
during continuous editing (a held arrow key: a key event every 15 ms) is offered back on the next
start, with at most the edits of the last 0.3 s lost.

Each session is a real ``MainWindow`` in a subprocess, on the sample plan (its film decoding in
the background meanwhile). Every nudge moves T1's anterior-superior corner one pixel right and
prints its index and ``time.monotonic()`` (one clock for all processes on Linux and macOS). The
test kills it after a random delay, reads the recovered plan as the next start would, and works
out which edit it holds: every edit made more than 0.3 s before the kill must be there.

ALIGNMENT_PLANNER_KILL_SESSIONS=80 runs a longer loop (the README's figures).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from alignment_planner.files.plan_reader import read_plan
from tests.ui.conftest import ROOT, SAMPLE_PLAN
from ui.document.recovery import RecoveryStore

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

GUARANTEE_S = 0.3
KEY_INTERVAL_MS = 15
SESSIONS = int(os.environ.get("ALIGNMENT_PLANNER_KILL_SESSIONS", "10"))

CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    from ui.app import application
    from ui.document.recovery import RecoveryStore
    from ui.document.settings import Settings
    from ui.window.main_window import MainWindow

    app = application()
    window = MainWindow(Settings({settings!r}), RecoveryStore(Path({folder!r})))
    window.show()
    window.controller.open_plan(Path({plan!r}))
    window.edit.select("T1.ant_sup")
    count = 0

    def press() -> None:
        global count
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, event)  # as a held arrow key: the window's own key handling
        count += 1
        print(count, time.monotonic(), flush=True)

    timer = QTimer()
    timer.timeout.connect(press)
    timer.start({interval})
    app.exec()
    """
)


def _session(tmp_path: Path, index: int, rng: random.Random) -> tuple[float, float, int, int]:
    """One killed session: (span in s of the edits lost, from the first lost to the last made;
    the same measured to the kill; edits made; edits recovered). The span is the promise: on a
    loaded machine the session may not run at all in its last moments, and then makes no edit
    to lose either."""
    folder = tmp_path / f"recovery-{index}"
    script = CHILD.format(
        root=str(ROOT),
        settings=str(tmp_path / f"s{index}.ini"),
        folder=str(folder),
        plan=str(SAMPLE_PLAN),
        interval=KEY_INTERVAL_MS,
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    first = child.stdout.readline()  # the first edit is made (and, by the promise, kept)
    assert first, "the GUI session did not start editing"
    time.sleep(rng.uniform(0.02, 1.5))
    killed_at = time.monotonic()
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait(timeout=30)
    edits = [(int(n), float(t)) for n, t in (line.split() for line in (first + rest).splitlines())]
    edits = [(n, t) for n, t in edits if t <= killed_at]

    orphans = RecoveryStore(folder).orphans()
    assert len(orphans) == 1, f"session {index}: nothing offered back after the kill"
    recovered = orphans[0].load()
    orphans[0].release()
    x0 = read_plan(SAMPLE_PLAN).landmarks.point("T1", "ant_sup")
    point = recovered.landmarks.point("T1", "ant_sup")
    assert x0 is not None and point is not None
    kept = round(point[0] - x0[0])
    times = dict(edits)
    assert 1 <= kept <= len(edits) + 1, (kept, len(edits))
    first_lost = times.get(kept + 1)
    if first_lost is None:
        return 0.0, 0.0, len(edits), kept
    return edits[-1][1] - first_lost, max(killed_at - first_lost, 0.0), len(edits), kept


def test_killed_sessions_lose_at_most_the_last_300_ms(tmp_path: Path) -> None:
    rng = random.Random(16)
    results = [_session(tmp_path, i, rng) for i in range(SESSIONS)]
    losses = [span for span, _to_kill, _made, _kept in results]
    to_kill = [wall for _span, wall, _made, _kept in results]
    summary = {
        "sessions": len(results),
        "recovered": len(results),
        "max_loss_s": round(max(losses), 3),
        "median_loss_s": round(sorted(losses)[len(losses) // 2], 3),
        "max_first_lost_to_kill_s": round(max(to_kill), 3),
        "edits": sum(made for _span, _wall, made, _kept in results),
    }
    print(json.dumps(summary))
    assert max(losses) <= GUARANTEE_S, summary
