"""``alignment-planner pacs echo|find|get|send`` (contract.md §4.6).

The node comes from the settings file's ``[pacs]`` section, each option given on the command line
overriding it; nothing is sent to a host the user did not name there or here. Every network
failure, refusal or timeout is one ``error:`` line and exit 2 (raised as ``PacsError``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path

from alignment_planner.cli.desktop import DesktopCommands, PacsSendRequest
from alignment_planner.hospital.errors import PacsSettingsError
from alignment_planner.hospital.node import DEFAULT_TIMEOUT_S, PacsNode, TlsSettings
from alignment_planner.hospital.node_settings import load_pacs_node, settings_path


def add_pacs_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pacs = commands.add_parser(
        "pacs",
        help="DICOM networking: echo, find studies, get images, send a plan back into its study",
        description="Talk to the PACS configured in the settings file ([pacs] section) or given here.",
    )
    actions = pacs.add_subparsers(dest="pacs_command", metavar="ACTION", required=True)
    node = argparse.ArgumentParser(add_help=False)
    group = node.add_argument_group("PACS node (overrides the settings file)")
    group.add_argument("--host", help="PACS host name or address")
    group.add_argument("--port", type=int, help="PACS DICOM port")
    group.add_argument("--aet", help="our AE title (calling; default ALIGNPLAN)")
    group.add_argument("--called-aet", help="the PACS's AE title")
    group.add_argument("--timeout", type=float, metavar="S", help=f"seconds (default {DEFAULT_TIMEOUT_S:g})")
    group.add_argument("--move-port", type=int, metavar="P", help="our storage port for C-MOVE")
    group.add_argument("--tls-ca", metavar="PEM", help="use TLS, trusting this CA")
    group.add_argument("--tls-cert", metavar="PEM", help="our TLS certificate (with --tls-key)")
    group.add_argument("--tls-key", metavar="PEM", help="our TLS private key")

    actions.add_parser("echo", parents=[node], help="check the PACS answers and accepts us (C-ECHO)")
    find = actions.add_parser(
        "find", parents=[node], help="list studies and their series (C-FIND, Study Root)"
    )
    find.add_argument("--patient-id", default="", metavar="ID")
    find.add_argument("--name", default="", help="patient name, DICOM style with wildcards: DOE^J*")
    find.add_argument("--accession", default="", metavar="A")
    find.add_argument("--date-from", type=_date, metavar="YYYY-MM-DD")
    find.add_argument("--date-to", type=_date, metavar="YYYY-MM-DD")
    find.add_argument("--study", default="", metavar="UID", help="a Study Instance UID")
    find.add_argument("--json", action="store_true", help="print JSON")
    get = actions.add_parser(
        "get", parents=[node], help="retrieve a study's (or series') images into a folder (C-GET or C-MOVE)"
    )
    get.add_argument("--study", required=True, metavar="UID")
    get.add_argument("--series", default="", metavar="UID", help="only this series")
    get.add_argument("-o", "--output", required=True, metavar="DIR")
    get.add_argument(
        "--method", choices=("auto", "get", "move"), default="auto",
        help="auto (default): C-GET, falling back to C-MOVE to our storage port when the PACS refuses C-GET",
    )
    send = actions.add_parser(
        "send",
        parents=[node],
        help="file the plan into its film's study: PDF, annotated films (SC), measurements (SR)",
        description="Store into the study of the plan's DICOM film, as new series: the plan report as "
        "Encapsulated PDF, the annotated pre-op and planned films as Secondary Capture, and the "
        "measurements as a DICOM SR (TID 1500). The PDF names the patient, as a chart document does.",
    )
    send.add_argument("plan", metavar="PLAN")
    send.add_argument("--preset", default="srs-schwab", help="target preset for the report")
    send.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: by locale)")
    send.add_argument(
        "--to-folder", metavar="DIR", help="write the DICOM objects into DIR instead of sending them"
    )


def _date(text: str) -> dt.date:
    for form in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)")


def resolve_node(args: argparse.Namespace) -> PacsNode:
    """The settings file's node with the command line's options applied."""
    stored = load_pacs_node()
    host = args.host or (stored.host if stored else None)
    port = args.port if args.port is not None else (stored.port if stored else None)
    if not host or port is None:
        raise PacsSettingsError(
            "no PACS given: use --host and --port, or set host and port in the [pacs] section of "
            f"{settings_path()} (File → PACS settings in the desktop planner)"
        )
    node = stored if stored and stored.host == host and stored.port == port else None
    node = node or PacsNode(host=host, port=port, tls=stored.tls if stored else None)
    if stored and node is not stored:
        node = replace(node, called_aet=stored.called_aet, calling_aet=stored.calling_aet,
                       timeout_s=stored.timeout_s, move_port=stored.move_port)
    tls = node.tls
    if args.tls_ca:
        tls = TlsSettings(args.tls_ca, args.tls_cert, args.tls_key)
    elif args.tls_cert or args.tls_key:
        raise PacsSettingsError(
            "--tls-cert/--tls-key need --tls-ca (the CA that signs the PACS's certificate)"
        )
    return replace(
        node,
        called_aet=args.called_aet or node.called_aet,
        calling_aet=args.aet or node.calling_aet,
        timeout_s=args.timeout if args.timeout is not None else node.timeout_s,
        move_port=args.move_port if args.move_port is not None else node.move_port,
        tls=tls,
    )


def run_pacs(args: argparse.Namespace, desktop: DesktopCommands | None) -> int:
    if args.pacs_command == "send":
        node = None if args.to_folder else resolve_node(args)
        request = PacsSendRequest(args.plan, node, args.preset, args.paper, args.to_folder)
        from alignment_planner.targets.presets import preset_by_id

        preset_by_id(args.preset)  # an unknown preset is an input error, before Qt starts
        if desktop is None:
            raise PacsSettingsError(
                "pacs send draws the report with Qt: run it through the alignment-planner command"
            )
        return desktop.pacs_send(request)
    node = resolve_node(args)
    if args.pacs_command == "echo":
        from alignment_planner.hospital.echo import echo

        seconds = echo(node)
        print(f"{node.describe()} answered the echo in {seconds * 1000:.0f} ms")
        return 0
    if args.pacs_command == "find":
        return _find(node, args)
    return _get(node, args)


def _find(node: PacsNode, args: argparse.Namespace) -> int:
    from alignment_planner.hospital.query import StudyQuery, find_studies

    query = StudyQuery(
        patient_id=args.patient_id, patient_name=args.name, accession=args.accession,
        date_from=args.date_from, date_to=args.date_to, study_uid=args.study,
    )
    studies = find_studies(node, query)
    if args.json:
        sys.stdout.write(json.dumps([s.to_json() for s in studies], indent=2, ensure_ascii=False) + "\n")
        return 0
    if not studies:
        print("no study matches")
    for study in studies:
        print(
            f"{_day(study.study_date)}  {study.patient_name or '—'} ({study.patient_id or 'no ID'})  "
            f"accession {study.accession or '—'}  {study.description}".rstrip()
        )
        print(f"  study {study.study_uid}")
        for series in study.series:
            count = "?" if series.instances is None else series.instances
            print(
                f"    series {series.number if series.number is not None else '—':>4}  {series.modality:<3} "
                f"{count} image(s)  {series.description}  {series.series_uid}"
            )
    return 0


def _day(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else (value or "no date   ")


def _get(node: PacsNode, args: argparse.Namespace) -> int:
    from alignment_planner.hospital.retrieve import RetrieveRequest, retrieve

    target = Path(args.output)

    def progress(received: int, expected: int | None) -> None:
        of = f"/{expected}" if expected else ""
        print(f"retrieved {received}{of} object(s)", file=sys.stderr, flush=True)

    result = retrieve(
        node, RetrieveRequest(args.study, args.series), target, method=args.method, progress=progress
    )
    print(f"{len(result.files)} object(s) retrieved into {target} ({result.method})")
    if result.failed:
        print(f"note: the PACS did not send {result.failed} object(s) (kinds we do not take, or failures)",
              file=sys.stderr)
    return 0
