"""`tools/bootstrap.sh run` on a minimal system: the xcb plugin's missing libraries are found with
ldd (and libxcb-cursor, which Qt loads at run time, by name) and named as Debian packages."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "qt_xcb_packages.sh"


def _fake(folder: Path, name: str, output: str) -> Path:
    path = folder / name
    path.write_text(f"#!/usr/bin/env bash\ncat <<'OUT'\n{output}\nOUT\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def _packages(tmp_path: Path, ldd_output: str, ldconfig_output: str) -> list[str]:
    env = dict(
        os.environ,
        LDD=str(_fake(tmp_path, "ldd", ldd_output)),
        LDCONFIG=str(_fake(tmp_path, "ldconfig", ldconfig_output)),
    )
    result = subprocess.run(
        ["bash", str(SCRIPT), sys.executable], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.split()


def test_missing_plugin_libraries_become_the_apt_packages_to_install(tmp_path: Path) -> None:
    ldd = "\n".join(
        [
            "\tlibxcb-icccm.so.4 => not found",
            "\tlibxcb-keysyms.so.1 => not found",
            "\tlibxkbcommon-x11.so.0 => not found",
            "\tlibxcb-render-util.so.0 => not found",
            "\tlibxcb-image.so.0 => not found",
            "\tlibX11-xcb.so.1 => not found",
            "\tlibglib-2.0.so.0 => not found",
            "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0000)",
        ]
    )
    packages = _packages(tmp_path, ldd, "")  # ldconfig knows no libxcb-cursor either
    assert packages == sorted(
        [
            "libglib2.0-0",
            "libx11-xcb1",
            "libxcb-cursor0",
            "libxcb-icccm4",
            "libxcb-image0",
            "libxcb-keysyms1",
            "libxcb-render-util0",
            "libxkbcommon-x11-0",
        ]
    )


def test_nothing_to_install_when_every_library_is_found(tmp_path: Path) -> None:
    ldd = "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x0000)"
    cursor = "\tlibxcb-cursor.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libxcb-cursor.so.0"
    assert _packages(tmp_path, ldd, cursor) == []


def test_run_checks_the_plugin_before_opening_the_window() -> None:
    text = (ROOT / "tools" / "bootstrap.sh").read_text()
    run_block = text[text.index('if [[ "$mode" == "run" ]]; then') :]
    assert run_block.index("qt_xcb_packages.sh") < run_block.index('exec "$VENV/bin/alignment-planner"')
