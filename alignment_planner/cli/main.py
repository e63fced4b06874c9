"""``alignment-planner``: argument parsing and the error contract (contract.md §3).

Input problems exit 2 with one line on stderr starting with ``error:`` and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_OK
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
