"""What the core's command line needs from the desktop package, stated as a protocol.

The launcher (``alignment_planner_launcher``) passes an implementation to ``cli.main.main``; the core
itself never imports Qt or ``ui``. Without one (the core called directly), the commands that draw
say so instead of failing on an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from alignment_planner.hospital.node import PacsNode


@dataclass(frozen=True)
class ReportRequest:
    plan: str
    output: str
    preset: str
    paper: str | None
    with_patient: bool
    point_sd_mm: float | None
    sign_off: dict[str, str] = field(default_factory=dict)
    """The sign-off fields given on the command line (``surgeon``, ``department``,
    ``institution``), each already checked; a field not given comes from the saved report
    settings, as the desktop planner's PDF export takes it."""


@dataclass(frozen=True)
class PacsSendRequest:
    plan: str
    node: PacsNode | None
    """``None`` with ``to_folder``: write the objects instead of sending them."""
    preset: str
    paper: str | None
    to_folder: str | None


class DesktopCommands(Protocol):
    def gui(self, files: list[str]) -> int: ...

    def render(self, plan: str, output: str, stage: str) -> int: ...

    def report(self, request: ReportRequest) -> int: ...

    def pacs_send(self, request: PacsSendRequest) -> int: ...
