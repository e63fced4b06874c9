"""File a plan back into its film's study (issue 20 §3): the plan PDF as Encapsulated PDF, the
annotated pre-op and planned films as Secondary Capture, the measurements as a TID 1500 SR, each in
a new series of the film's own study (same Study Instance UID) and each referencing the film.

The drawing (PDF, film renderings) is done by the desktop package and handed in as bytes and
arrays; everything DICOM is built here, without Qt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.files.atomic import write_bytes_atomically
from alignment_planner.hospital.encapsulated_pdf import encapsulated_pdf
from alignment_planner.hospital.errors import PacsError
from alignment_planner.hospital.film_header import read_film_header
from alignment_planner.hospital.local_codes import coding_scheme_identification
from alignment_planner.hospital.measurement_report import measurement_report
from alignment_planner.hospital.secondary_capture import annotated_film
from alignment_planner.plan.model import Plan

# Series numbers of what we file: high, so they sort after the modality's own series.
PDF_SERIES, FILMS_SERIES, SR_SERIES = 9001, 9002, 9003


@dataclass(frozen=True)
class DrawnPlan:
    """What the desktop package drew: the report PDF and the films at the film's resolution (RGB)."""

    title: str
    pdf: bytes
    preop: npt.NDArray[np.uint8] | None
    planned: npt.NDArray[np.uint8] | None


def plan_film(plan: Plan, plan_path: Path) -> tuple[Path, Dataset]:
    """The plan's DICOM film and its header, checked unchanged since the plan was saved."""
    if plan.image is None:
        raise PacsError(f"{plan_path}: image: the plan has no film, so there is no study to file it into")
    path = plan.image.resolve(plan_path.resolve().parent)
    if path is None:
        raise PacsError(f"{plan_path}: image.path: empty, so there is no film and no study to file into")
    if plan.image.sha256:
        try:
            with path.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as exc:
            raise PacsError(f"{plan_path}: image.path: {path}: {exc.strerror or exc}") from None
        if digest.lower() != plan.image.sha256.lower():
            raise PacsError(
                f"{plan_path}: image.sha256: {path.name} has changed since the plan was saved; "
                "open the plan, check the landmarks and save it before sending"
            )
    return path, read_film_header(path, f"{plan_path}: image.path")


def filing_objects(
    analysis: Analysis,
    film: Dataset,
    drawn: DrawnPlan,
    *,
    when: dt.datetime | None = None,
    new_uid: Callable[[], str] = generate_uid,
) -> list[Dataset]:
    """The objects to store, in order: PDF, annotated films, SR."""
    when = (when or dt.datetime.now()).replace(microsecond=0)
    objects = [
        encapsulated_pdf(
            drawn.pdf, film, title=drawn.title, series_uid=new_uid(), series_number=PDF_SERIES,
            sop_uid=new_uid(), when=when,
        )
    ]
    films_series = new_uid()
    stages = [("Pre-operative film", drawn.preop), ("Planned alignment (simulated)", drawn.planned)]
    for number, (description, rgb) in enumerate(((d, r) for d, r in stages if r is not None), start=1):
        objects.append(
            annotated_film(
                rgb, film, description=description, series_uid=films_series, series_number=FILMS_SERIES,
                sop_uid=new_uid(), instance_number=number, when=when,
            )
        )
    objects.append(
        measurement_report(
            analysis, film, series_uid=new_uid(), series_number=SR_SERIES, sop_uid=new_uid(),
            group_uids=(new_uid(), new_uid()), when=when,
        )
    )
    objects[0].CodingSchemeIdentificationSequence = Sequence([coding_scheme_identification()])
    return objects


def save_objects(objects: list[Dataset], folder: Path) -> list[Path]:
    """Write the objects as DICOM files (``--to-folder``, and for inspection)."""
    from io import BytesIO

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, ds in enumerate(objects, start=1):
        buffer = BytesIO()
        ds.save_as(buffer, enforce_file_format=True)
        path = folder / f"{index:02d}-{ds.Modality}-{ds.SOPInstanceUID}.dcm"
        write_bytes_atomically(path, buffer.getvalue())
        paths.append(path)
    return paths
