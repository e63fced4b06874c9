"""A patient disc (CD/DVD/USB with a DICOMDIR, PS3.10): its patients, studies, series and images,
read with pydicom's FileSet; the films are the files it lists (nothing is copied)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydicom import dcmread
from pydicom.errors import InvalidDicomError
from pydicom.fileset import FileInstance, FileSet

from alignment_planner.errors import ImageLoadError


@dataclass(frozen=True)
class DiscImage:
    path: Path
    sop_uid: str
    number: int | None


@dataclass(frozen=True)
class DiscSeries:
    series_uid: str
    modality: str
    number: int | None
    description: str
    images: tuple[DiscImage, ...]


@dataclass(frozen=True)
class DiscStudy:
    study_uid: str
    date: str
    description: str
    accession: str
    series: tuple[DiscSeries, ...]


@dataclass(frozen=True)
class DiscPatient:
    patient_id: str
    name: str
    studies: tuple[DiscStudy, ...]


def _text(instance: FileInstance, keyword: str) -> str:
    try:
        value = getattr(instance, keyword)
    except AttributeError:
        return ""
    return "" if value is None else str(value).strip()


def _int(instance: FileInstance, keyword: str) -> int | None:
    try:
        return int(_text(instance, keyword))
    except ValueError:
        return None


def _description_in_file(path: Path) -> str:
    """A DICOMDIR's series record rarely holds the description: the image's header does."""
    try:
        header = dcmread(path, stop_before_pixels=True, specific_tags=["SeriesDescription"])
    except (InvalidDicomError, OSError, ValueError, EOFError):
        return ""
    return str(header.get("SeriesDescription", "") or "").strip()


def read_disc(dicomdir: Path) -> list[DiscPatient]:
    """Every image the DICOMDIR lists, grouped; a path to the disc's folder finds its DICOMDIR."""
    if dicomdir.is_dir():
        dicomdir = dicomdir / "DICOMDIR"
    try:
        fileset = FileSet(dicomdir)
    except (InvalidDicomError, OSError, ValueError, AttributeError, KeyError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise ImageLoadError(f"{dicomdir}: not a readable DICOMDIR ({detail})") from None
    patients: dict[str, dict[str, dict[str, list[FileInstance]]]] = {}
    for instance in fileset:
        if instance.node.record_type != "IMAGE":
            continue  # reports, presentation states … are listed but are not films
        patient = patients.setdefault(_text(instance, "PatientID"), {})
        study = patient.setdefault(_text(instance, "StudyInstanceUID"), {})
        study.setdefault(_text(instance, "SeriesInstanceUID"), []).append(instance)

    def series_of(uid: str, instances: list[FileInstance]) -> DiscSeries:
        first = instances[0]
        images = sorted(
            (DiscImage(Path(instance.path), _text(instance, "ReferencedSOPInstanceUIDInFile"),
                       _int(instance, "InstanceNumber")) for instance in instances),
            key=lambda image: (image.number is None, image.number or 0, str(image.path)),
        )
        description = _text(first, "SeriesDescription") or _description_in_file(images[0].path)
        number = _int(first, "SeriesNumber")
        return DiscSeries(uid, _text(first, "Modality"), number, description, tuple(images))

    def study_of(uid: str, series: dict[str, list[FileInstance]]) -> DiscStudy:
        first = next(iter(series.values()))[0]
        ordered = sorted((series_of(s, i) for s, i in series.items()),
                         key=lambda s: (s.number is None, s.number or 0, s.series_uid))
        return DiscStudy(uid, _text(first, "StudyDate"), _text(first, "StudyDescription"),
                         _text(first, "AccessionNumber"), tuple(ordered))

    result = []
    for patient_id, studies in patients.items():
        first = next(iter(next(iter(studies.values())).values()))[0]
        ordered_studies = sorted(
            (study_of(u, s) for u, s in studies.items()), key=lambda s: s.date, reverse=True
        )
        result.append(DiscPatient(patient_id, _text(first, "PatientName"), tuple(ordered_studies)))
    if not result:
        raise ImageLoadError(f"{dicomdir}: the DICOMDIR lists no image")
    return sorted(result, key=lambda p: (p.name, p.patient_id))
