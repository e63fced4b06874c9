"""An annotated film (pre-op or planned, drawn by the screen's code) as a Secondary Capture image
(PS3.3 A.8.1) in the film's study, derived from the film and saying so."""

from __future__ import annotations

import datetime as dt

import highdicom as hd
import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from alignment_planner import __version__
from alignment_planner.hospital.film_header import copy_patient_and_study, film_reference


def _orientation(film: Dataset) -> tuple[str, str] | None:
    value = film.get("PatientOrientation")
    if value is None or len(value) != 2 or not all(str(v) for v in value):
        return None
    return str(value[0]), str(value[1])


def annotated_film(
    rgb: npt.NDArray[np.uint8],
    film: Dataset,
    *,
    description: str,
    series_uid: str,
    series_number: int,
    sop_uid: str,
    instance_number: int,
    when: dt.datetime,
) -> Dataset:
    """``rgb`` is (rows, columns, 3) at the film's own resolution, so the film's spacing holds."""
    spacing = film.get("PixelSpacing") or film.get("ImagerPixelSpacing")
    orientation = _orientation(film)
    sc = hd.sc.SCImage(
        pixel_array=np.ascontiguousarray(rgb),
        photometric_interpretation="RGB",
        bits_allocated=8,
        coordinate_system="PATIENT",
        study_instance_uid=str(film.StudyInstanceUID),
        series_instance_uid=series_uid,
        series_number=series_number,
        sop_instance_uid=sop_uid,
        instance_number=instance_number,
        manufacturer="alignment-planner",
        patient_orientation=orientation or ("A", "F"),  # replaced by "unknown" below when the film has none
        pixel_spacing=(float(spacing[0]), float(spacing[1])) if spacing else None,
    )
    if orientation is None:
        del sc.PatientOrientation
        sc.add_new("PatientOrientation", "CS", None)  # Type 2C empty: the film does not say, nor do we
    copy_patient_and_study(film, sc)
    sc.SoftwareVersions = __version__
    sc.SeriesDescription = "Alignment plan: annotated films"
    sc.SeriesDate = sc.ContentDate = when.strftime("%Y%m%d")  # type: ignore[assignment]  # str is a DA value
    sc.SeriesTime = sc.ContentTime = when.strftime("%H%M%S")  # type: ignore[assignment]
    sc.ImageType = ["DERIVED", "SECONDARY"]
    sc.ImageComments = description[:10240]
    sc.DerivationDescription = f"{description}: the film with the plan's landmarks and constructions"
    sc.BurnedInAnnotation = "YES"
    sc.BodyPartExamined = film.get("BodyPartExamined") or "SPINE"
    sc.SourceImageSequence = Sequence([film_reference(film)])
    sc.ReferencedImageSequence = Sequence([film_reference(film)])
    if "PixelSpacing" in sc and film.get("PixelSpacingCalibrationType"):
        # The drawing is the film's pixel grid: its spacing is the film's, calibrated the same way.
        sc.PixelSpacingCalibrationType = film.PixelSpacingCalibrationType
        sc.PixelSpacingCalibrationDescription = str(
            film.get("PixelSpacingCalibrationDescription") or "as the source film"
        )
    return sc
