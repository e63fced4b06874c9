"""``alignment-planner anonymise PLAN -o DIR`` (contract.md §4.7): the anonymised plan and the
de-identified image, as the GUI's "Export anonymised plan" writes them, into DIR.

Neither output name says anything about the input: the image is named by its sha256 and the plan
``anonymised-<first 12 hex digits of that digest>.plan.json`` (of the plan's own content when it
has no image), so that several cases can be exported into one folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from alignment_planner.errors import OutputWriteError
from alignment_planner.files.anonymise import anonymised_plan, export_anonymised
from alignment_planner.files.plan_reader import read_plan
from alignment_planner.files.plan_writer import plan_to_dict
from alignment_planner.plan.model import Plan
from alignment_planner.safety.quoting import PATH_LIMIT, printable_path, quoted


def run_anonymise(args: argparse.Namespace) -> int:
    plan_path = Path(args.plan)
    plan = read_plan(plan_path)
    folder = _folder(args.output)
    image = plan.image.resolve(plan_path.resolve().parent) if plan.image is not None else None
    if image is not None and not image.exists():
        raise OutputWriteError(
            f"the plan's image {quoted(str(image), PATH_LIMIT)} is missing: nothing was written "
            "(an anonymised plan must come with its image)",
            path=quoted(str(plan_path), PATH_LIMIT),
        )
    name = "anonymised-" + _content_digest(plan)[:12]
    plan_file, image_file = export_anonymised(plan, image, folder, name)
    if image_file is not None:
        final = plan_file.with_name(f"anonymised-{image_file.stem[:12]}.plan.json")
        if final != plan_file:
            plan_file.replace(final)
            plan_file = final
    for written in (plan_file, image_file):
        if written is not None:
            print(printable_path(written))
    sys.stdout.flush()
    return 0


def _folder(name: str) -> Path:
    if not name:
        raise OutputWriteError("an empty folder name: name the folder to write into", path="-o ''")
    folder = Path(name)
    if folder.exists() and not folder.is_dir():
        raise OutputWriteError("is not a folder: -o names the folder to write into", path=quoted(name))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        detail = f"cannot create the folder: {exc.strerror or exc}"
        raise OutputWriteError(detail, path=quoted(name)) from None
    return folder


def _content_digest(plan: Plan) -> str:
    document = plan_to_dict(anonymised_plan(plan, None, None))
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
