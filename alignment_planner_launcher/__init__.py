"""The ``alignment-planner`` command: the one place that knows both packages.

The core's command line (``alignment_planner.cli``) parses arguments and runs the Qt-free commands
(``measure``, ``solve``, ``suggest``, ``inspect``) as plain functions. The commands that need Qt
(``gui``, ``render``, ``report``, ``pacs send``) are handed to it by this launcher as
:class:`DesktopCommands`,
whose imports of ``ui`` happen only when such a command runs, so ``measure`` never loads Qt. The
core never imports this package or ``ui`` (import-linter contracts in ``pyproject.toml``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from alignment_planner.cli.desktop import PacsSendRequest, ReportRequest
from alignment_planner.cli.main import main as core_main


def _headless() -> None:
    # ``render`` and ``report`` draw off screen: without a display Qt would refuse to start.
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class DesktopCommands:
    """The commands that need Qt; each imports the ``ui`` package only when it runs."""

    def gui(self, files: list[str]) -> int:
        from ui.app import main as run_app

        return run_app(files)

    def render(self, plan: str, output: str, stage: str) -> int:
        _headless()
        from ui.export.cli_commands import run_render

        return run_render(plan, output, stage)

    def report(self, request: ReportRequest) -> int:
        _headless()
        from ui.export.cli_commands import run_report

        return run_report(request)

    def pacs_send(self, request: PacsSendRequest) -> int:
        _headless()
        from ui.export.cli_commands import run_pacs_send

        return run_pacs_send(request)


def main(argv: Sequence[str] | None = None) -> int:
    return core_main(argv, desktop=DesktopCommands())
