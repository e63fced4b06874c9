"""``alignment-planner``: argument parsing and the error contract (contract.md §3).

Input problems exit 2 with one line on stderr starting with ``error:`` and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from alignment_planner import __version__
from alignment_planner.errors import AlignmentPlannerError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="alignment-planner",
        description="Sagittal alignment measurement and osteotomy planning on lateral spine X-rays.",
    )
    parser.add_argument("--version", action="version", version=f"alignment-planner {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    measure = commands.add_parser(
        "measure",
        help="alignment parameters of one or more plans (table, --json or --csv)",
        description="Measure every alignment parameter of each plan, before and after the planned "
        "osteotomies. Values that cannot be measured say why.",
    )
    measure.add_argument("plans", nargs="+", metavar="PLAN", help="plan file(s) (.json, v1)")
    measure.add_argument("--json", action="store_true", help="print JSON (contract.md §3)")
    measure.add_argument(
        "--csv", metavar="OUT", help="write one CSV row per plan to OUT ('-' for standard output)"
    )
    measure.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for large cohorts (default: one per CPU, up to 8; 1 = no workers)",
    )
    measure.add_argument(
        "--keep-going",
        action="store_true",
        help="with several plans: report each invalid plan on stderr and go on (exit 2 at the end)",
    )
    inspect = commands.add_parser(
        "inspect",
        help="what the image loader sees in a radiograph (format, size, calibration)",
        description="Open a DICOM, PNG, JPEG or TIFF radiograph and report what was found.",
    )
    inspect.add_argument("image", metavar="IMAGE")
    inspect.add_argument("--json", action="store_true", help="print JSON (contract.md §3)")

    gui = commands.add_parser("gui", help="open the desktop planner (on FILE, or on a sample case)")
    gui.add_argument("file", nargs="?", metavar="FILE", help="an image or a plan")
    render = commands.add_parser(
        "render",
        help="annotated radiograph of a plan as PNG, headless",
        description="Draw the radiograph with every landmark and construction, as on screen.",
    )
    render.add_argument("plan", metavar="PLAN")
    render.add_argument("-o", "--output", required=True, metavar="OUT.png")
    render.add_argument("--stage", choices=("preop", "postop"), default="preop")
    return parser


def _qt_command(name: str, *args: object) -> int:
    """Run a command that needs Qt. Resolved by module name at run time: the core never imports
    the ``ui`` package (import-linter contract), and 'measure' never loads Qt."""
    import importlib

    try:
        commands = importlib.import_module("ui.cli_commands")
        return int(getattr(commands, name)(*args))
    except ImportError as exc:
        raise UsageError(
            f"the desktop interface cannot start ({exc}); on Debian/Ubuntu install Qt's libraries: "
            "sudo apt-get install libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
        ) from None


SUBCOMMANDS = ("measure", "inspect", "gui", "render")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if not arguments:
            return _qt_command("run_gui", [])
        if arguments[0] not in SUBCOMMANDS and not arguments[0].startswith("-"):
            if not Path(arguments[0]).exists():  # most likely a mistyped command
                raise UsageError(
                    f"{arguments[0]}: no such file, and not a command ({', '.join(SUBCOMMANDS)})"
                )
            return _qt_command("run_gui", arguments[:1])  # alignment-planner FILE
        args = parser.parse_args(arguments)
        if args.command is None:
            parser.print_help()
            return EXIT_OK
        if args.command == "gui":
            return _qt_command("run_gui", [args.file] if args.file else [])
        if args.command == "render":
            return _qt_command("run_render", args.plan, args.output, args.stage)
        if args.command == "measure":
            if args.jobs is not None and args.jobs < 1:
                raise UsageError("--jobs must be 1 or more")
            from alignment_planner.cli.measure import run_measure

            return run_measure(args)
        if args.command == "inspect":
            from alignment_planner.cli.inspect_image import run_inspect

            return run_inspect(args)
        raise UsageError(f"unknown command {args.command!r}")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except AlignmentPlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # ``measure … | head``: the reader left; not an error worth a message.
        sys.stderr.close()
        return EXIT_OK
