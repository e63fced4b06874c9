"""De-identify a DICOM file: the PS3.15 Basic Application Level Confidentiality Profile (Annex E),
carried out by ``dicognito``, with the options this tool documents (contract.md §4.7).

Why dicognito (issue 16, compared with ``deid``): dicognito walks *every* element at any depth of
nested sequences and replaces by value representation: all person names (PN), all UIDs (UI: one
new UID per original, so references between files and the file meta header stay consistent and the
output remains a valid instance), every date and time (shifted by one offset: the PS3.15 "Retain
Longitudinal Temporal Information with Modified Dates" option) and the identifying IDs, addresses
and equipment attributes of Table E.1-1. It depends on pydicom alone, is typed and maintained.
``deid`` is driven by recipes whose default removes *every* UID attribute (the instance is no
longer valid DICOM: SOP Instance UID is type 1) and it pulls in matplotlib.

What dicognito leaves, done here after it (still Table E.1-1, not a hand-made list of names):
- free-text descriptors and comments (action X, "Clean Descriptors" option *not* applied: they are
  removed rather than cleaned, since no program can tell a name in free text reliably);
- private attributes at any depth (the "Retain Safe Private" option with an empty safe list:
  no private attribute is known safe for every vendor), and overlays and curves (may carry text);
- Patient's Name ``ANONYMOUS`` and Birth Date empty (action Z), Birth Time removed;
- age kept, capped at 90 years as in the anonymised plan ("Retain Patient Characteristics"
  option, with the HIPAA cap: an age over 89 identifies);
- the 128-byte preamble zeroed (it may hold anything, e.g. a TIFF header with text);
- Patient Identity Removed YES, and De-identification Method (Code Sequence) naming the options.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pydicom
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from alignment_planner.errors import ImageLoadError
from alignment_planner.safety.quoting import PATH_LIMIT, quoted
from alignment_planner.safety.safe_open import MAX_IMAGE_BYTES, UnsafeInputError, open_regular

MAX_AGE_YEARS = 90

# PS3.15 Table E.1-1 attributes with action X (or X/Z, X/D) that are free text or descriptors,
# which dicognito does not touch. Removed at any depth.
FREE_TEXT = frozenset(
    {
        "AcquisitionComments", "AcquisitionDeviceProcessingDescription", "AcquisitionProtocolDescription",
        "AdditionalPatientHistory", "AdmittingDiagnosesCodeSequence", "AdmittingDiagnosesDescription",
        "Allergies", "Arbitrary", "AuthorObserverSequence", "CommentsOnThePerformedProcedureStep",
        "ConsentForDistributionFlag", "ContentSequence", "ContrastBolusAgent", "DerivationDescription",
        "DischargeDiagnosisDescription", "FrameComments", "IdentifyingComments", "ImageComments",
        "ImagePresentationComments", "ImagingServiceRequestComments", "InstitutionCodeSequence",
        "InstitutionalDepartmentName", "InstitutionalDepartmentTypeCodeSequence", "InterpretationText",
        "MedicalAlerts", "ModifiedAttributesSequence", "Occupation", "OriginalAttributesSequence",
        "PatientBirthName", "PatientBirthTime", "PatientComments", "PatientInstitutionResidence",
        "PatientMotherBirthName", "PatientReligiousPreference", "PatientState",
        "PatientTransportArrangements", "PerformedProcedureStepDescription", "ProtocolName",
        "ReasonForStudy", "ReasonForTheRequestedProcedure",
        "ReferencedPatientPhotoSequence", "RequestAttributesSequence", "RequestedContrastAgent",
        "RequestedProcedureComments", "RequestedProcedureDescription", "ResultsComments",
        "ScheduledProcedureStepDescription", "SeriesDescription", "ServiceEpisodeDescription",
        "SpecialNeeds", "StudyComments", "StudyDescription", "TextComments", "TextString",
        "TopicAuthor", "TopicKeywords", "TopicSubject", "TopicTitle", "VisitComments",
        "CurrentPatientLocation", "BranchOfService", "MilitaryRank", "EthnicGroup", "RegionOfResidence",
        "CountryOfResidence", "PatientTelephoneNumbers", "PatientAddress", "OtherPatientNames",
        "OtherPatientIDsSequence", "ReferencedPatientSequence", "PatientInsurancePlanCodeSequence",
        "InstitutionAddress", "InstitutionName", "DeviceSerialNumber", "StationName",
    }
)
# (0010,1010) Patient's Age: nnnD, nnnW, nnnM or nnnY.
_AGE = re.compile(r"^(\d{3})([DWMY])$")
_DAYS_PER_UNIT = {"D": 1.0, "W": 7.0, "M": 30.4375, "Y": 365.25}

DEIDENTIFICATION_METHOD = "PS3.15 E.1 Basic Profile; dicognito; no private; ages cap 90"
# PS3.16 CID 7050 codes of the profile and the options applied.
_METHOD_CODES = (
    ("113100", "Basic Application Confidentiality Profile"),
    ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    ("113108", "Retain Patient Characteristics Option"),
)


def deidentify_dicom(source: Path, target: Path) -> None:
    """Read ``source`` (a regular file within the image size limit), write its de-identified copy
    to ``target``. Raises ``ImageLoadError`` when ``source`` cannot be read as DICOM."""
    shown = quoted(str(source), PATH_LIMIT)
    try:
        with open_regular(source, MAX_IMAGE_BYTES, "DICOM file") as stream:
            ds = pydicom.dcmread(stream, force=True)
            ds.PixelData  # noqa: B018 (deferred values are read before the stream closes)
    except UnsafeInputError as exc:
        raise ImageLoadError(f"{shown}: {exc}") from None
    except Exception as exc:
        detail = quoted(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise ImageLoadError(f"{shown}: cannot read the DICOM file to anonymise it ({detail})") from None
    try:
        deidentify_dataset(ds)
        ds.save_as(target, enforce_file_format=True)
    except OSError:
        raise
    except Exception as exc:  # malformed values met while rewriting them
        raise ImageLoadError(f"{shown}: cannot write its de-identified copy ({quoted(str(exc))})") from None


def deidentify_dataset(ds: Dataset) -> None:
    """De-identify ``ds`` in place (see the module's documentation)."""
    from dicognito.anonymizer import Anonymizer

    _ensure_file_meta(ds)
    ds.remove_private_tags()  # recursive: nested sequences too
    _remove_everywhere(ds)
    age = _capped_age(ds.get("PatientAge"))
    Anonymizer().anonymize(ds)
    ds.PatientName = "ANONYMOUS"  # type 2: present; Z in Table E.1-1
    if "PatientBirthDate" in ds:
        ds.PatientBirthDate = ""
    if age is not None:
        ds.PatientAge = age
    elif "PatientAge" in ds:
        del ds.PatientAge  # unreadable: removed (X in Table E.1-1)
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = DEIDENTIFICATION_METHOD
    ds.DeidentificationMethodCodeSequence = Sequence([_code(*code) for code in _METHOD_CODES])
    ds.LongitudinalTemporalInformationModified = "MODIFIED"
    ds.preamble = b"\0" * 128
    if "SOPInstanceUID" in ds:
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID


def _remove_everywhere(ds: Dataset) -> None:
    def visit(dataset: Dataset, element: DataElement) -> None:
        group = element.tag.group
        if element.keyword in FREE_TEXT or 0x5000 <= group <= 0x50FF or (
            0x6000 <= group <= 0x60FF and group % 2 == 0
        ):
            del dataset[element.tag]

    ds.walk(visit)


def _capped_age(value: Any) -> str | None:
    if value is None:
        return None
    match = _AGE.match(str(value).strip())
    if match is None:
        return None  # unreadable: Table E.1-1 removes it (dicognito leaves it; removed below)
    years = int(match.group(1)) * _DAYS_PER_UNIT[match.group(2)] / 365.25
    return f"{MAX_AGE_YEARS:03d}Y" if years > MAX_AGE_YEARS else str(value).strip()


def _code(value: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = "DCM"
    item.CodeMeaning = meaning
    return item


def _ensure_file_meta(ds: Dataset) -> None:
    """A preamble-less file has no meta header: give it one so that the copy is a Part 10 file."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        meta = FileMetaDataset()
        ds.file_meta = meta
    if "TransferSyntaxUID" not in meta:
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
    if "MediaStorageSOPClassUID" not in meta and "SOPClassUID" in ds:
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
    if "MediaStorageSOPInstanceUID" not in meta and "SOPInstanceUID" in ds:
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
