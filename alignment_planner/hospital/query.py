"""C-FIND, Study Root (PS3.4 C.6.2): studies by patient ID, name, accession number and date range,
then each study's series and a series' instances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pynetdicom import build_context
from pynetdicom.association import Association
from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind  # type: ignore[attr-defined]

from alignment_planner.hospital.association import associate, lost
from alignment_planner.hospital.errors import PacsError, PacsSettingsError
from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.status import describe, is_pending, status_code


@dataclass(frozen=True)
class StudyQuery:
    patient_id: str = ""
    patient_name: str = ""
    """DICOM person-name matching: ``DOE^J*`` (wildcards allowed)."""
    accession: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    study_uid: str = ""

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise PacsSettingsError(f"study dates: {self.date_from} is after {self.date_to}")
        for name, value in (("patient ID", self.patient_id), ("accession", self.accession)):
            if "\\" in value:
                raise PacsSettingsError(f"{name}: {value!r} may not contain a backslash")

    def date_range(self) -> str:
        """DICOM range matching (PS3.4 C.2.2.2.5): ``from-to``, ``from-`` or ``-to``."""
        if not self.date_from and not self.date_to:
            return ""
        start = self.date_from.strftime("%Y%m%d") if self.date_from else ""
        end = self.date_to.strftime("%Y%m%d") if self.date_to else ""
        return start if start == end else f"{start}-{end}"

    def is_empty(self) -> bool:
        keys = (self.patient_id, self.patient_name, self.accession, self.date_range(), self.study_uid)
        return not any(keys)


@dataclass(frozen=True)
class SeriesRecord:
    series_uid: str
    modality: str
    number: int | None
    description: str
    body_part: str
    view_position: str
    instances: int | None


@dataclass(frozen=True)
class StudyRecord:
    study_uid: str
    patient_id: str
    patient_name: str
    birth_date: str
    sex: str
    study_date: str
    study_time: str
    accession: str
    description: str
    modalities: tuple[str, ...]
    series: tuple[SeriesRecord, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "study_uid": self.study_uid, "patient_id": self.patient_id, "patient_name": self.patient_name,
            "birth_date": self.birth_date, "sex": self.sex, "study_date": self.study_date,
            "study_time": self.study_time, "accession": self.accession, "description": self.description,
            "modalities": list(self.modalities),
            "series": [
                {"series_uid": s.series_uid, "modality": s.modality, "number": s.number,
                 "description": s.description, "body_part": s.body_part,
                 "view_position": s.view_position, "instances": s.instances}
                for s in self.series
            ],
        }


@dataclass(frozen=True)
class InstanceRecord:
    sop_uid: str
    sop_class_uid: str
    number: int | None
    rows: int | None
    columns: int | None


FIND_MODEL = StudyRootQueryRetrieveInformationModelFind
STUDY_KEYS = (
    "StudyInstanceUID", "PatientID", "PatientName", "PatientBirthDate", "PatientSex", "StudyDate",
    "StudyTime", "AccessionNumber", "StudyDescription", "ModalitiesInStudy",
)
SERIES_KEYS = (
    "SeriesInstanceUID", "Modality", "SeriesNumber", "SeriesDescription", "BodyPartExamined",
    "ViewPosition", "NumberOfSeriesRelatedInstances",
)
INSTANCE_KEYS = ("SOPInstanceUID", "SOPClassUID", "InstanceNumber", "Rows", "Columns")


def _identifier(level: str, keys: tuple[str, ...], **values: str) -> Dataset:
    ds = Dataset()
    ds.QueryRetrieveLevel = level
    for key in keys:
        setattr(ds, key, values.get(key))  # None: an empty return key
    for key, value in values.items():
        setattr(ds, key, value)
    return ds


def _find(node: PacsNode, identifier: Dataset, what: str, assoc: Association | None = None) -> list[Dataset]:
    """The matches, on ``assoc`` when given (one association serves a whole search), else on a
    new one."""
    if assoc is None:
        with associate(node, [build_context(FIND_MODEL)]) as opened:
            return _find(node, identifier, what, opened)
    matches = []
    for status, match in assoc.send_c_find(identifier, FIND_MODEL):
        code = status_code(status)
        if code is None:
            raise lost(node, assoc, what)
        if is_pending(code):
            if match is not None:
                matches.append(match)
            continue
        if code != 0x0000:
            raise PacsError(f"PACS {node.describe()}: {what} failed: {describe(code, status)}")
    return matches


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword)
    if value is None:
        return ""
    if isinstance(value, MultiValue):
        return "\\".join(str(v) for v in value)
    return str(value).strip()


def _int(ds: Dataset, keyword: str) -> int | None:
    value = ds.get(keyword)
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def find_studies(node: PacsNode, query: StudyQuery, *, with_series: bool = True) -> list[StudyRecord]:
    """Matching studies, newest first, each with its series (``with_series``)."""
    if query.is_empty():
        raise PacsSettingsError(
            "search: give at least a patient ID, a name, an accession number, a date or a study UID "
            "(a PACS answers an open query with every study it holds)"
        )
    values = {
        "PatientID": query.patient_id, "PatientName": query.patient_name,
        "AccessionNumber": query.accession, "StudyDate": query.date_range(),
        "StudyInstanceUID": query.study_uid,
    }
    identifier = _identifier("STUDY", STUDY_KEYS, **{k: v for k, v in values.items() if v})
    with associate(node, [build_context(FIND_MODEL)]) as assoc:
        return _studies(node, identifier, assoc, with_series)


def _studies(node: PacsNode, identifier: Dataset, assoc: Association, with_series: bool) -> list[StudyRecord]:
    studies = [
        StudyRecord(
            study_uid=_text(match, "StudyInstanceUID"), patient_id=_text(match, "PatientID"),
            patient_name=_text(match, "PatientName"), birth_date=_text(match, "PatientBirthDate"),
            sex=_text(match, "PatientSex"), study_date=_text(match, "StudyDate"),
            study_time=_text(match, "StudyTime"), accession=_text(match, "AccessionNumber"),
            description=_text(match, "StudyDescription"),
            modalities=tuple(m for m in _text(match, "ModalitiesInStudy").split("\\") if m),
        )
        for match in _find(node, identifier, "the study search (C-FIND)", assoc)
    ]
    studies.sort(key=lambda s: (s.study_date, s.study_time), reverse=True)
    if with_series:
        studies = [
            StudyRecord(**{**s.__dict__, "series": tuple(find_series(node, s.study_uid, assoc))})
            for s in studies
        ]
    return studies


def find_series(node: PacsNode, study_uid: str, assoc: Association | None = None) -> list[SeriesRecord]:
    identifier = _identifier("SERIES", SERIES_KEYS, StudyInstanceUID=study_uid)
    series = [
        SeriesRecord(
            series_uid=_text(match, "SeriesInstanceUID"), modality=_text(match, "Modality"),
            number=_int(match, "SeriesNumber"), description=_text(match, "SeriesDescription"),
            body_part=_text(match, "BodyPartExamined"), view_position=_text(match, "ViewPosition"),
            instances=_int(match, "NumberOfSeriesRelatedInstances"),
        )
        for match in _find(node, identifier, "the series search (C-FIND)", assoc)
    ]
    series.sort(key=lambda s: (s.number is None, s.number or 0, s.series_uid))
    return series


def find_instances(node: PacsNode, study_uid: str, series_uid: str) -> list[InstanceRecord]:
    identifier = _identifier(
        "IMAGE", INSTANCE_KEYS, StudyInstanceUID=study_uid, SeriesInstanceUID=series_uid
    )
    instances = [
        InstanceRecord(
            sop_uid=_text(match, "SOPInstanceUID"), sop_class_uid=_text(match, "SOPClassUID"),
            number=_int(match, "InstanceNumber"), rows=_int(match, "Rows"), columns=_int(match, "Columns"),
        )
        for match in _find(node, identifier, "the image search (C-FIND)")
    ]
    instances.sort(key=lambda i: (i.number is None, i.number or 0, i.sop_uid))
    return instances
