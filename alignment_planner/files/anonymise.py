"""Export an anonymised plan (issue 8 §5): the plan without patient identifiers, and a copy of its
image without them either, named by its own sha256.

What is removed from the plan: the patient's name and ID, unknown patient keys, free-text notes
(they may name people) and unknown keys elsewhere. Kept: age (capped at 90, as ages above 89 are
identifying) and sex, which the classifications use, and everything geometric. The image copy:
DICOM with the identifying attributes of the PS3.15 basic profile blanked or removed and private
tags dropped; PNG/JPEG/TIFF re-encoded as PNG from the pixels alone (no text chunks or EXIF).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from alignment_planner.errors import ImageLoadError, OutputWriteError
from alignment_planner.files.plan_reader import write_plan
from alignment_planner.plan.model import Patient, Plan

MAX_AGE = 90.0

# PS3.15 Annex E basic profile, the attributes a lateral spine film commonly carries.
DICOM_IDENTIFIERS = (
    "PatientName", "PatientID", "PatientBirthDate", "PatientBirthTime", "OtherPatientIDs",
    "OtherPatientNames", "OtherPatientIDsSequence", "PatientAddress", "PatientTelephoneNumbers",
    "PatientMotherBirthName", "MilitaryRank", "EthnicGroup", "PatientComments", "MedicalRecordLocator",
    "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName", "ReferringPhysicianName",
    "ReferringPhysicianAddress", "PerformingPhysicianName", "OperatorsName", "PhysiciansOfRecord",
    "NameOfPhysiciansReadingStudy", "RequestingPhysician", "AccessionNumber", "StudyID",
    "StationName", "DeviceSerialNumber", "AdmissionID", "IssuerOfPatientID", "StudyDescription",
    "SeriesDescription", "RequestAttributesSequence", "ContentCreatorName",
)


def anonymised_plan(plan: Plan, image_name: str | None, image_sha256: str | None) -> Plan:
    patient = None
    if plan.patient is not None and (plan.patient.age is not None or plan.patient.sex):
        age = None if plan.patient.age is None else min(float(plan.patient.age), MAX_AGE)
        patient = Patient(age=age, sex=plan.patient.sex)
    image = plan.image
    if image is not None:
        image = replace(image, path=image_name, sha256=image_sha256, extra={})
    return replace(plan, patient=patient, image=image, notes=None, extra={})


def export_anonymised(
    plan: Plan, image_path: Path | None, folder: Path, name: str
) -> tuple[Path, Path | None]:
    """Write ``<name>.plan.json`` and the de-identified image into ``folder``; returns both paths.
    Raises ``OutputWriteError`` or ``ImageLoadError``; a failure leaves no partial file."""
    image_out: Path | None = None
    digest: str | None = None
    if image_path is not None and plan.image is not None:
        image_out, digest = write_deidentified_image(image_path, folder)
    target = folder / f"{name}.plan.json"
    anonymous = anonymised_plan(plan, image_out.name if image_out else None, digest)
    try:
        write_plan(anonymous, target)
    except Exception:
        if image_out is not None:
            image_out.unlink(missing_ok=True)
        raise
    return target, image_out


def write_deidentified_image(source: Path, folder: Path) -> tuple[Path, str]:
    head = source.read_bytes()[:132] if source.exists() else b""
    if not head:
        raise ImageLoadError(f"{source}: no such image to copy")
    is_dicom = head[128:132] == b"DICM" or source.suffix.lower() in (".dcm", ".dicom")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".anon-", suffix=".tmp")
    except OSError as exc:
        raise OutputWriteError(f"cannot write here: {exc.strerror or exc}", path=str(folder)) from None
    os.close(handle)
    temp = Path(temporary)
    try:
        if is_dicom:
            _dicom_copy(source, temp)
            suffix = ".dcm"
        else:
            _raster_copy(source, temp)
            suffix = ".png"
        with temp.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        final = folder / f"{digest}{suffix}"
        os.replace(temp, final)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        detail = f"cannot write the image copy: {exc.strerror or exc}"
        raise OutputWriteError(detail, path=str(folder)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return final, digest


def _dicom_copy(source: Path, target: Path) -> None:
    import pydicom

    try:
        ds = pydicom.dcmread(source)
    except Exception as exc:
        raise ImageLoadError(f"{source}: cannot read the DICOM file to anonymise it: {exc}") from None
    for keyword in DICOM_IDENTIFIERS:
        if keyword in ds:
            if keyword in ("PatientName", "PatientID"):
                setattr(ds, keyword, "ANONYMOUS")  # type 2 in most IODs: present, not identifying
            else:
                delattr(ds, keyword)
    ds.remove_private_tags()
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "PS3.15 basic profile subset; private tags removed"  # LO: ≤ 64
    ds.save_as(target, enforce_file_format=False)


def _raster_copy(source: Path, target: Path) -> None:
    from PIL import Image

    try:
        with Image.open(source) as image:
            image.load()
            # The pixels alone: a new image has no info dict, text chunks or EXIF to carry over.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            palette = image.getpalette() if image.mode == "P" else None
            if palette:
                clean.putpalette(palette)
    except Exception as exc:
        raise ImageLoadError(f"{source}: cannot read the image to anonymise it: {exc}") from None
    clean.save(target, format="PNG")
