"""Every command's --help is read by a user: no internal document references in it (issue 14:
"no internal document references in anything a user reads"; second review C3 found
`measure --help` citing clinical.md §5.4 and contract.md §4.4)."""

from __future__ import annotations

import contextlib
import io

import pytest

from alignment_planner.cli.main import main as cli_main
from alignment_planner.output.reader_text import has_internal_reference

COMMANDS = ("measure", "outcomes", "inspect", "solve", "suggest", "gui", "render", "report", "anonymise", "pacs")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_has_no_internal_reference(command: str | None) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        cli_main(["--help"] if command is None else [command, "--help"])
    assert exit_.value.code == 0
    text = out.getvalue()
    assert text.strip()
    assert [line for line in text.splitlines() if has_internal_reference(line)] == []
