"""The plan report as an Encapsulated PDF object (PS3.3 A.45.1), in the film's study."""

from __future__ import annotations

import datetime as dt

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import UID, EncapsulatedPDFStorage, ExplicitVRLittleEndian

from alignment_planner import __version__
from alignment_planner.hospital.film_header import copy_patient_and_study, film_reference
from alignment_planner.hospital.local_codes import PLAN_REPORT_TITLE


def encapsulated_pdf(
    pdf: bytes,
    film: Dataset,
    *,
    title: str,
    series_uid: str,
    series_number: int,
    sop_uid: str,
    when: dt.datetime,
) -> Dataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = EncapsulatedPDFStorage
    meta.MediaStorageSOPInstanceUID = UID(sop_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = EncapsulatedPDFStorage
    ds.SOPInstanceUID = sop_uid
    ds.InstanceCreationDate = when.strftime("%Y%m%d")
    ds.InstanceCreationTime = when.strftime("%H%M%S")
    copy_patient_and_study(film, ds)
    # Encapsulated Document Series (C.24.1): DOC is the modality of an encapsulated document.
    ds.Modality = "DOC"
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = series_number
    ds.SeriesDescription = "Alignment plan report (PDF)"
    ds.SeriesDate = ds.InstanceCreationDate
    ds.SeriesTime = ds.InstanceCreationTime
    # General Equipment and SC Equipment (C.7.5.1, C.8.6.1): a workstation made the document.
    ds.Manufacturer = "alignment-planner"
    ds.SoftwareVersions = __version__
    ds.ConversionType = "WSD"
    # Encapsulated Document (C.24.2).
    ds.InstanceNumber = 1
    ds.ContentDate = ds.InstanceCreationDate
    ds.ContentTime = ds.InstanceCreationTime
    ds.AcquisitionDateTime = when.strftime("%Y%m%d%H%M%S")
    ds.BurnedInAnnotation = "YES"  # the report prints the patient's identity when asked to
    ds.DocumentTitle = title[:64]
    ds.ConceptNameCodeSequence = Sequence([PLAN_REPORT_TITLE.to_item()])
    ds.SourceInstanceSequence = Sequence([film_reference(film)])
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.EncapsulatedDocument = pdf + (b"\0" if len(pdf) % 2 else b"")  # OB is padded to even length
    ds.EncapsulatedDocumentLength = len(pdf)
    return ds
