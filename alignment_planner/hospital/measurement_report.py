"""The plan's measurements as a DICOM Structured Report, TID 1500 "Measurement Report" (highdicom),
so that a PACS viewer shows the numbers: one measurement group for the pre-op film and one for the
planned alignment, each value with its unit (UCUM), finding site (SNOMED CT) and the film it was
read on. Not-measurable values are left out (TID 1500 has no place for a reason); the PDF says why.
"""

from __future__ import annotations

import datetime as dt

import highdicom as hd
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.sr.codedict import codes

from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.hospital.local_codes import (
    FINDING_SITE,
    PLANNED_GROUP,
    PREOP_GROUP,
    PROCEDURE,
    REPORT_TITLE,
    SPINE,
    UNITS,
    LocalCode,
    coding_scheme_identification,
    parameter_code,
)
from alignment_planner.measurements import PARAMETERS, Measurements


def _group(
    measurements: Measurements, film: Dataset, label: LocalCode, uid: str
) -> hd.sr.MeasurementsAndQualitativeEvaluations:
    source = hd.sr.SourceImageForMeasurementGroup(str(film.SOPClassUID), str(film.SOPInstanceUID))
    items = []
    for parameter in PARAMETERS:
        value = measurements.values[parameter.key].value
        if value is None:
            continue
        site = FINDING_SITE.get(parameter.key, SPINE)
        items.append(
            hd.sr.Measurement(
                name=parameter_code(parameter.key, parameter.name),
                value=round(value, 4),
                unit=UNITS[parameter.unit],
                finding_sites=[hd.sr.FindingSite(site)],
            )
        )
    return hd.sr.MeasurementsAndQualitativeEvaluations(
        tracking_identifier=hd.sr.TrackingIdentifier(uid=uid, identifier=label.meaning),
        finding_type=label.code(),
        finding_sites=[hd.sr.FindingSite(SPINE)],
        measurements=items or None,
        source_images=[source],
    )


def measurement_report(
    analysis: Analysis,
    film: Dataset,
    *,
    series_uid: str,
    series_number: int,
    sop_uid: str,
    group_uids: tuple[str, str],
    when: dt.datetime,
) -> Dataset:
    groups = [_group(analysis.preop, film, PREOP_GROUP, group_uids[0])]
    if analysis.simulated:
        groups.append(_group(analysis.postop, film, PLANNED_GROUP, group_uids[1]))
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Device,
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(
            uid=series_uid, name="alignment-planner", manufacturer_name="alignment-planner"
        ),
    )
    report = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_device_context=observer),
        procedure_reported=PROCEDURE,
        imaging_measurements=groups,
        title=REPORT_TITLE,
    )
    sr = hd.sr.ComprehensiveSR(
        evidence=[film],
        content=report[0],
        series_instance_uid=series_uid,
        series_number=series_number,
        sop_instance_uid=sop_uid,
        instance_number=1,
        manufacturer="alignment-planner",
        is_complete=True,
        is_final=False,  # a plan, not a signed report: a surgeon verifies it
        is_verified=False,
        content_date=when.date(),
        content_time=when.time().replace(microsecond=0),
        series_description="Alignment plan: measurements (TID 1500)",
    )
    sr.SpecificCharacterSet = "ISO_IR 192"  # parameter names hold "−" and "°"
    sr.CodingSchemeIdentificationSequence = Sequence([coding_scheme_identification()])  # type: ignore[assignment]
    return sr
