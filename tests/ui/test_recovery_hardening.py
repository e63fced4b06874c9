"""Recovery that cannot fail silently (issue 16): an OS lock instead of a PID, damaged files set
aside and said, half pairs cleaned, private permissions, failed writes told, the throttle, broken
characters, and two windows on one plan."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alignment_planner.files.plan_reader import read_plan
from tests.ui.conftest import SAMPLE_PLAN, open_and_wait
from ui.document.recovery import DAMAGED, RecoveryStore

pytestmark = pytest.mark.gui
PLAN_TEXT = '{"format": "alignment-planner-plan", "version": 1, "landmarks": {}}'


def test_a_crashed_session_is_offered_even_when_its_pid_is_alive(tmp_path: Path) -> None:
    # After a reboot the crashed session's PID belongs to another process (here: this one's).
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "100-abc.plan.json").write_text(PLAN_TEXT)
    (folder / "100-abc.meta.json").write_text(json.dumps({"pid": os.getpid(), "document": None}))
    orphans = RecoveryStore(folder).orphans()
    assert len(orphans) == 1
    orphans[0].release()


def test_a_live_session_is_not_offered_to_another_window(tmp_path: Path) -> None:
    live = RecoveryStore(tmp_path / "r")
    live.write(read_plan(SAMPLE_PLAN), SAMPLE_PLAN, None)
    assert RecoveryStore(tmp_path / "r").orphans() == []  # locked by ``live``
    root, folder = str(Path(__file__).parents[2]), str(tmp_path / "r")
    script = (
        f"import sys; sys.path.insert(0, {root!r})\n"
        "from pathlib import Path\nfrom ui.document.recovery import RecoveryStore\n"
        f"print(len(RecoveryStore(Path({folder!r})).orphans()))"
    )
    other_process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert other_process.stdout.strip() == "0"
    live.close()  # the lock goes with the session: now it is an orphan
    orphans = RecoveryStore(tmp_path / "r").orphans()
    assert len(orphans) == 1 and orphans[0].document == SAMPLE_PLAN
    orphans[0].release()


def test_recovery_files_are_private(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "r")
    store.write(read_plan(SAMPLE_PLAN), SAMPLE_PLAN, None)
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    for path in (store.plan_file, store.meta_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    meta = json.loads(store.meta_file.read_text())
    assert set(meta) == {"document"}  # no image path, no PID: only what a restore needs
    store.clear()
    store.close()


@pytest.mark.parametrize("damage", ["truncated", "garbage-meta", "invalid-plan"])
def test_damaged_recovery_files_are_set_aside_and_said_once(
    qtbot, make_window, tmp_path: Path, damage: str  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    plan_text = SAMPLE_PLAN.read_text()
    meta_text = json.dumps({"document": None})
    if damage == "truncated":
        plan_text = plan_text[: len(plan_text) // 2]
    elif damage == "garbage-meta":
        meta_text = "\x00\x01 not json"
    else:
        plan_text = '{"format": "alignment-planner-plan", "version": 1, "landmarks": []}'
    (folder / "1-x.plan.json").write_text(plan_text)
    (folder / "1-x.meta.json").write_text(meta_text)
    window = make_window()
    window.recovery.store = RecoveryStore(folder)
    window.messages.ask_restore = lambda _d: pytest.fail("a damaged file was offered")
    assert not window.recovery.offer()
    assert len(window.problems) == 1 and "set aside" in window.problems[0]
    assert sorted(p.name for p in (folder / DAMAGED).iterdir()) == ["1-x.meta.json", "1-x.plan.json"]
    window.problems.clear()
    again = RecoveryStore(folder)
    assert again.orphans() == [] and again.damaged == []  # never again


def test_half_pairs_of_dead_sessions_are_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    old = time.time() - 3600
    for name in ("1-a.plan.json", "2-b.meta.json"):
        (folder / name).write_text(PLAN_TEXT if name.endswith("plan.json") else '{"document": null}')
        os.utime(folder / name, (old, old))
    (folder / "3-c.plan.json").write_text(PLAN_TEXT)  # fresh: a session between two writes
    assert RecoveryStore(folder).orphans() == []
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".json") == ["3-c.plan.json"]


def test_a_failed_recovery_write_is_told_once(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the recovery folder should be")
    window.recovery.store = RecoveryStore(blocker / "recovery")
    for _ in range(5):
        window.controller.nudge("T1.ant_sup", 1, 0)
        qtbot.wait(200)
    assert len(window.problems) == 1 and "not being kept safe" in window.problems[0]


def test_the_first_edit_is_kept_at_once_and_a_held_key_keeps_writing(
    qtbot, make_window  # type: ignore[no-untyped-def]
) -> None:
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    store = window.recovery.store
    window.controller.nudge("T1.ant_sup", 1, 0)
    assert store.plan_file.exists()  # synchronously, with the edit
    x0 = read_plan(SAMPLE_PLAN).landmarks.point("T1", "ant_sup")
    assert x0 is not None
    kept = []
    end = time.monotonic() + 1.5
    made = 1
    while time.monotonic() < end:  # an edit every 20 ms: a debounce would never write
        window.controller.nudge("T1.ant_sup", 1, 0)
        made += 1
        qtbot.wait(20)
        point = read_plan(store.plan_file).landmarks.point("T1", "ant_sup")
        assert point is not None
        kept.append(round(point[0] - x0[0]))
    assert len(set(kept)) >= 5  # written several times during the run of edits
    assert made - kept[-1] <= 20  # at most ~0.3 s of edits behind


def test_a_plan_with_a_broken_character_opens_says_so_and_saves(
    qtbot, make_window, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    doc = json.loads(SAMPLE_PLAN.read_text())
    doc["image"]["path"] = str(SAMPLE_PLAN.parent / doc["image"]["path"])
    raw = json.dumps(doc).replace('"notes": "', '"notes": "\\ud83d ')
    path = tmp_path / "cut.plan.json"
    path.write_text(raw)
    window = make_window()
    notices: list[str] = []
    window.controller.notice.connect(notices.append)
    open_and_wait(qtbot, window, path)
    assert any("broken character" in n for n in notices)
    window.controller.nudge("T1.ant_sup", 1, 0)
    assert window.recovery.store.plan_file.exists() and window.problems == []
    assert window.files.save_to(None) and window.problems == []
    assert read_plan(path).notes is not None and "\ufffd" in (read_plan(path).notes or "")


def test_two_windows_on_one_plan_ask_before_overwriting(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(SAMPLE_PLAN.read_text())
    doc["image"]["path"] = str(SAMPLE_PLAN.parent / doc["image"]["path"])
    path = tmp_path / "shared.plan.json"
    path.write_text(json.dumps(doc))
    first, second = make_window(), make_window()
    open_and_wait(qtbot, first, path)
    open_and_wait(qtbot, second, path)
    first.controller.nudge("T1.ant_sup", 5, 0)
    assert first.files.save_to(None)
    second.controller.nudge("L3.ant_sup", 5, 0)
    asked: list[str] = []
    second.messages.ask_overwrite = lambda why: asked.append(why) or False  # type: ignore[func-returns-value]
    assert not second.files.save_to(None)
    assert asked and "changed on disk" in asked[0]
    t1 = read_plan(path).landmarks.point("T1", "ant_sup")
    assert t1 is not None and t1[0] == pytest.approx(read_plan(SAMPLE_PLAN).landmarks.point("T1", "ant_sup")[0] + 5)
    second.messages.ask_overwrite = lambda why: True
    assert second.files.save_to(None)  # the user chose to overwrite
    assert first.controller.path == second.controller.path
    first.controller.nudge("T1.ant_sup", 1, 0)
    first.messages.ask_overwrite = lambda why: asked.append(why) or False  # type: ignore[func-returns-value]
    assert not first.files.save_to(None)  # and now the first window is the stale one


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_the_gui_refuses_a_fifo(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for name in ("pipe.plan.json", "pipe.dcm"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        started = time.monotonic()
        window.files.open_path(fifo)
        qtbot.waitUntil(lambda: any("FIFO" in p for p in window.problems), timeout=5000)
        assert time.monotonic() - started < 5
        window.problems.clear()


def test_save_never_replaces_the_film(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_and_wait(qtbot, window, SAMPLE_PLAN)
    image = SAMPLE_PLAN.parent / "image.dcm"
    before = image.read_bytes()
    assert not window.files.save_to(image)
    assert "is the input" in window.problems[-1] and image.read_bytes() == before


def test_gui_messages_quote_hostile_text_short_and_on_one_line(
    qtbot, make_window, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    doc = json.loads(SAMPLE_PLAN.read_text())
    doc["osteotomies"] = [{"type": "PSO", "level": "L3\n" + "L" * 2_000_000, "angle_deg": 30}]
    path = tmp_path / "hostile.plan.json"
    path.write_text(json.dumps(doc))
    window = make_window()
    assert not window.files.open_path(path)
    assert len(window.problems) == 1
    assert "\n" not in window.problems[0] and len(window.problems[0]) < 1300


def test_gui_exports_never_replace_the_plan_or_film(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(SAMPLE_PLAN.read_text())
    doc["image"]["path"] = str(SAMPLE_PLAN.parent / doc["image"]["path"])
    path = tmp_path / "case.plan.json"
    path.write_text(json.dumps(doc))
    window = make_window()
    open_and_wait(qtbot, window, path)
    before = path.read_bytes()
    assert not window.exports.export_pdf(path)
    assert "is the input" in window.problems[-1] and path.read_bytes() == before
