"""``alignment-planner``: argument parsing and the error contract (contract.md §3).

Input problems exit 2 with one line on stderr starting with ``error:`` and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from alignment_planner import __version__
from alignment_planner.cli.desktop import DesktopCommands, ReportRequest
from alignment_planner.cli.pacs import add_pacs_parser, run_pacs
from alignment_planner.errors import AlignmentPlannerError
from alignment_planner.files.output_target import checked_output
from alignment_planner.output.sign_off import LIMITS as SIGN_OFF_LIMITS
from alignment_planner.safety.quoting import one_line


class _ErrorModelChoice:
    """``measure --uncertainty`` without a number: the calibrated error model (clinical.md §5.4).
    Not a string: argparse would run a string ``const`` through ``type=float``."""


USE_ERROR_MODEL = _ErrorModelChoice()

SIGN_OFF_OPTIONS = {
    "surgeon": "the surgeon's name",
    "department": "the department",
    "institution": "the institution",
}
"""``report``'s sign-off options (contract.md §3 extended compatibly: optional, defaults from the
settings the desktop planner keeps)."""

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
    measure.add_argument("--json", action="store_true", help="print JSON")
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
        "--uncertainty",
        nargs="?",
        type=float,
        const=USE_ERROR_MODEL,
        metavar="SD_MM",
        help="add ± bands: landmark error propagated to every value, by default with the error "
        "model fitted to published SEMs; SD_MM instead puts an isotropic "
        "per-point SD on every landmark; JSON gets an 'uncertainty' block",
    )
    measure.add_argument(
        "--preset",
        metavar="ID",
        help="judge every value by a target preset's two-sided bands: "
        "srs-schwab, success-2012, lafage-2016-age, ideal-ll, ideal-pt, cervical",
    )
    measure.add_argument(
        "--keep-going",
        action="store_true",
        help="with several plans: report each invalid plan on stderr and go on (exit 2 at the end)",
    )
    outcomes = commands.add_parser(
        "outcomes",
        help="planned versus achieved over plans with follow-up films (--json, --csv)",
        description="Compare each plan's prediction with its follow-up films: per plan and "
        "follow-up planned, achieved and planned − achieved for every key; over all plans per key "
        "n, bias, mean absolute error and SD; per osteotomy type and level band; per compensation "
        "model the error it would have had; and a personal pelvic-response model fitted from the "
        "follow-ups. Plans without a follow-up are skipped with a note.",
    )
    outcomes.add_argument("plans", nargs="+", metavar="PLAN", help="plan file(s) (.json, v1)")
    outcomes.add_argument("--json", action="store_true", help="print JSON")
    outcomes.add_argument(
        "--csv", metavar="OUT", help="write one row per plan, follow-up and key ('-' for stdout)"
    )
    outcomes.add_argument(
        "--personal", metavar="OUT",
        help="write the fitted personal compensation model (a plan's compensation object) to OUT",
    )
    outcomes.add_argument("--jobs", type=int, metavar="N", help="worker processes (1 = none)")
    inspect = commands.add_parser(
        "inspect",
        help="what the image loader sees in a radiograph (format, size, calibration)",
        description="Open a DICOM, PNG, JPEG or TIFF radiograph and report what was found.",
    )
    inspect.add_argument("image", metavar="IMAGE")
    inspect.add_argument("--json", action="store_true", help="print JSON")

    solve = commands.add_parser(
        "solve",
        help="angle of one more osteotomy that brings a parameter to a value",
        description="Find the angle of an osteotomy of TYPE at LEVEL, added after the plan's own "
        "osteotomies and with its compensation model, such that the planned KEY equals VALUE. "
        "Exit 3 when no angle in the type's range reaches it.",
    )
    solve.add_argument("plan", metavar="PLAN")
    solve.add_argument(
        "--type", required=True, metavar="T", help="SPO, ACR, INTERBODY, PSO, EPSO, VCR, KYPHOPLASTY"
    )
    solve.add_argument(
        "--level", required=True, metavar="L", help="a vertebra (PSO: L3) or a disc (SPO: L4-L5)"
    )
    solve.add_argument(
        "--target",
        required=True,
        metavar="KEY=VALUE",
        help="for example SVA=40 or TPA=14; KEY@PRESET takes the edge of a preset's range (SVA@srs-schwab)",
    )
    solve.add_argument(
        "--margin",
        type=float,
        metavar="M",
        help="with KEY@PRESET: aim M (the key's unit) inside the range's edge (default: the value's "
        "95 %% landmark band)",
    )
    solve.add_argument("--json", action="store_true", help="print JSON")
    suggest = commands.add_parser(
        "suggest",
        help="ranked corrections (level × type × angle, one or two cuts) for several goals",
        description="Search osteotomies at the given levels for corrections that meet every goal.",
    )
    suggest.add_argument("plan", metavar="PLAN")
    suggest.add_argument(
        "--preset",
        metavar="NAME",
        help="use a target preset's ranges as goals (srs-schwab, lafage-2016-age, cervical, …)",
    )
    suggest.add_argument(
        "--goal",
        action="append",
        metavar="GOAL",
        help="KEY<VALUE, KEY>VALUE or KEY=LOW..HIGH; repeat (for example --goal 'PI_LL<10' --goal 'SVA<40')",
    )
    suggest.add_argument("--types", default="SPO,PSO", help="osteotomy types to try (default SPO,PSO)")
    suggest.add_argument("--levels", default="L1,L2,L3,L4,L5", help="levels to try (default L1…L5)")
    suggest.add_argument("--single", action="store_true", help="single cuts only (no two-level combinations)")
    suggest.add_argument("--limit", type=int, default=5, help="how many options to list (default 5)")
    suggest.add_argument(
        "--margin",
        type=float,
        metavar="M",
        help="aim M inside each goal's edges (default: each value's 95 %% landmark band)",
    )
    suggest.add_argument("--json", action="store_true", help="print JSON")

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
    report = commands.add_parser(
        "report",
        help="the plan as a PDF (pre-op and planned films, values, targets, procedures), headless",
        description="Write the plan report: both films side by side, the parameter table with the "
        "chosen target preset, classifications, procedures and the planning disclaimer. "
        "Anonymous unless --with-patient.",
    )
    report.add_argument("plan", metavar="PLAN")
    report.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    report.add_argument("--preset", default="srs-schwab", help="target preset for the Target column")
    report.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: by locale)")
    report.add_argument("--with-patient", action="store_true", help="print the patient's name, ID, age, sex")
    report.add_argument(
        "--uncertainty",
        nargs="?",
        type=float,
        const=0.0,
        metavar="SD_MM",
        help="add ± bands: without SD_MM (or 0) the landmark error model fitted to published SEMs; "
        "SD_MM an isotropic per-point error in mm",
    )
    for name, what in SIGN_OFF_OPTIONS.items():
        report.add_argument(
            f"--{name}",
            metavar="TEXT",
            help=f"{what} on the sign-off block (one line, at most {SIGN_OFF_LIMITS[name]} characters; "
            "'' leaves it blank). Without it: the desktop planner's Edit → Report settings…",
        )
    anonymise = commands.add_parser(
        "anonymise",
        aliases=["anonymize"],
        help="anonymised copy of a plan and its de-identified image, into a folder",
        description="Write into DIR the plan without patient name, ID, birth date or free text "
        "(notes, unknown keys, calibration detail), and its image de-identified (DICOM: PS3.15 "
        "Basic Profile, preamble zeroed, UIDs replaced; PNG/JPEG/TIFF: pixels alone, orientation "
        "applied). Names say nothing about the patient. Prints the files written.",
    )
    anonymise.add_argument("plan", metavar="PLAN")
    anonymise.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write into")
    add_pacs_parser(commands)
    return parser


def _desktop(desktop: DesktopCommands | None) -> DesktopCommands:
    if desktop is None:
        raise UsageError("this command draws with Qt: run it through the alignment-planner command")
    return desktop


def _desktop_call(run: Callable[[], int]) -> int:
    try:
        return run()
    except ImportError as exc:
        raise UsageError(
            f"the desktop interface cannot start ({exc}); on Debian/Ubuntu install Qt's libraries: "
            "sudo apt-get install libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
        ) from None


SUBCOMMANDS = (
    "measure", "outcomes", "inspect", "gui", "render", "solve", "suggest", "report", "anonymise",
    "anonymize", "pacs",
)


def main(argv: Sequence[str] | None = None, desktop: DesktopCommands | None = None) -> int:
    """The command line of contract.md §3; ``desktop`` runs the commands that need Qt (the launcher
    passes it)."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if not arguments:
            return _desktop_call(lambda: _desktop(desktop).gui([]))
        if arguments[0] not in SUBCOMMANDS and not arguments[0].startswith("-"):
            if not Path(arguments[0]).exists():  # most likely a mistyped command
                raise UsageError(
                    f"{arguments[0]}: no such file, and not a command ({', '.join(SUBCOMMANDS)})"
                )
            return _desktop_call(lambda: _desktop(desktop).gui(arguments[:1]))  # alignment-planner FILE
        args = parser.parse_args(arguments)
        if args.command is None:
            parser.print_help()
            return EXIT_OK
        if args.command == "gui":
            return _desktop_call(lambda: _desktop(desktop).gui([args.file] if args.file else []))
        if args.command == "report":
            from alignment_planner.targets.presets import preset_by_id

            preset_by_id(args.preset)  # an unknown preset is an input error, before Qt starts
            if args.uncertainty is not None and not 0.0 <= args.uncertainty < 100.0:
                raise UsageError("--uncertainty: the per-point SD must be between 0 and 100 mm")
            sign_off = _sign_off_options(args)
            _check_output(args.output, args.plan)
            request = ReportRequest(
                args.plan, args.output, args.preset, args.paper, args.with_patient, args.uncertainty, sign_off
            )
            return _desktop_call(lambda: _desktop(desktop).report(request))
        if args.command == "render":
            _check_output(args.output, args.plan)
            return _desktop_call(lambda: _desktop(desktop).render(args.plan, args.output, args.stage))
        if args.command == "pacs":
            return _desktop_call(lambda: run_pacs(args, desktop))
        if args.command == "measure":
            if args.jobs is not None and args.jobs < 1:
                raise UsageError("--jobs must be 1 or more")
            sd = args.uncertainty
            if isinstance(sd, float) and not 0.0 <= sd < 100.0:
                raise UsageError("--uncertainty: the per-point SD must be between 0 and 100 mm")
            if args.preset is not None:
                from alignment_planner.targets.presets import preset_by_id

                preset_by_id(args.preset)  # an unknown preset is an input error, before any plan
            from alignment_planner.cli.measure import run_measure

            if args.csv is not None and args.csv != "-":
                checked_output(args.csv, args.plans, "--csv")

            return run_measure(args)
        if args.command == "outcomes":
            if args.jobs is not None and args.jobs < 1:
                raise UsageError("--jobs must be 1 or more")
            from alignment_planner.cli.outcomes_cmd import run_outcomes

            for option, value in (("--csv", args.csv), ("--personal", args.personal)):
                if value is not None and value != "-":
                    checked_output(value, args.plans, option)
            return run_outcomes(args)
        if args.command in ("solve", "suggest"):
            from alignment_planner.cli.solve import run_solve, run_suggest

            if args.command == "suggest" and args.limit < 1:
                raise UsageError("--limit must be 1 or more")
            return run_solve(args) if args.command == "solve" else run_suggest(args)
        if args.command in ("anonymise", "anonymize"):
            from alignment_planner.cli.anonymise_cmd import run_anonymise

            return run_anonymise(args)
        if args.command == "inspect":
            from alignment_planner.cli.inspect_image import run_inspect

            return run_inspect(args)
        raise UsageError(f"unknown command {args.command!r}")
    except (UsageError, AlignmentPlannerError) as exc:
        _say_error(str(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _say_error("interrupted")
        return 130
    except BrokenPipeError:
        # ``measure … | head``: the reader left; not an error worth a message.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug, not bad input: still one line, never a traceback
        _say_error(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return EXIT_INTERNAL


def _sign_off_options(args: argparse.Namespace) -> dict[str, str]:
    """The sign-off fields given as options, checked as the Report settings dialog checks them
    (one line, within the field's limit); a bad one is an input error before Qt starts."""
    from alignment_planner.output.sign_off import SignOffError, checked

    given = {}
    for name in SIGN_OFF_OPTIONS:
        value = getattr(args, name)
        if value is None:
            continue
        try:
            given[name] = checked(name, value)
        except SignOffError as exc:
            raise UsageError(f"--{name}: {exc.reason}") from None
    return given


def _check_output(output: str, plan: str) -> None:
    """Refuse an output that is the plan or its image (or no file at all) before Qt starts."""
    from alignment_planner.errors import PlanFileError
    from alignment_planner.files.plan_reader import read_plan

    inputs: list[str | Path | None] = [plan]
    try:
        document = read_plan(plan)
        if document.image is not None:
            inputs.append(document.image.resolve(Path(plan).resolve().parent))
    except PlanFileError:
        pass  # the command itself says what is wrong with the plan
    checked_output(output, inputs)


def _say_error(message: str) -> None:
    """The one ``error:`` line of the contract: whatever the message quotes (a level name with a
    newline, a 2 MB field, a non-UTF-8 file name) is escaped and cut (issue 16)."""
    try:
        print(f"error: {one_line(message)}", file=sys.stderr)
    except (OSError, ValueError):
        pass  # stderr closed: nothing more can be said
