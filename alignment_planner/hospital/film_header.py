"""The film a plan was drawn on, as the study to file into: its header, checked to be a DICOM
object with the identity a PACS needs."""

from __future__ import annotations

from pathlib import Path

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from alignment_planner.hospital.errors import PacsError

# Patient and General Study module attributes copied into every object filed back (PS3.3 C.7.1.1,
# C.7.2.1), so the PACS files them with the film.
PATIENT_STUDY_KEYWORDS = (
    "PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex",
    "StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID",
    "AccessionNumber", "StudyDescription",
)
TYPE2_STUDY = ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime",
               "ReferringPhysicianName", "StudyID", "AccessionNumber")


def read_film_header(path: Path, what: str = "image.path") -> Dataset:
    """The film's header without pixels; a film without a study cannot have a plan filed into it."""
    try:
        header = dcmread(path, stop_before_pixels=True)
    except (InvalidDicomError, OSError, ValueError, EOFError) as exc:
        raise PacsError(
            f"{what}: {path.name} is not a DICOM film ({exc}); the plan can be filed only into the study "
            "of a DICOM film (open the film from the PACS or a disc, plan, then send)"
        ) from None
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID"):
        if not str(header.get(keyword, "") or "").strip():
            raise PacsError(
                f"{what}: {path.name} has no {keyword}: there is no study to file the plan into"
            )
    return header


def copy_patient_and_study(film: Dataset, target: Dataset) -> None:
    for keyword in PATIENT_STUDY_KEYWORDS:
        if keyword in film:
            target[keyword] = film[keyword]
    for keyword in TYPE2_STUDY:
        if keyword not in target:
            setattr(target, keyword, "")
    # Names and parameter labels may hold any character (°, −, accents): UTF-8 for what we write;
    # pydicom decoded the film's values with the film's own character set.
    target.SpecificCharacterSet = "ISO_IR 192"


def film_reference(film: Dataset) -> Dataset:
    item = Dataset()
    item.ReferencedSOPClassUID = film.SOPClassUID
    item.ReferencedSOPInstanceUID = film.SOPInstanceUID
    return item
