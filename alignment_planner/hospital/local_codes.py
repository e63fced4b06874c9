"""Coded concepts for what we file into the PACS, standard where a code exists.

Standard codes, taken from the DICOM content mapping resource that pydicom ships (PS3.16):
units are UCUM (``deg``, ``mm``, ``%``), finding sites and the procedure are SNOMED CT (Spine
421060004, Cervical/Thoracic/Lumbar spine 122494005/122495006/122496007, Pelvic structure
12921003, Plain radiography 168537006), the report title is DCM 126000 "Imaging Measurement
Report" (TID 1500). The alignment parameters themselves (PI, PT, SS, LL, SVA, TPA …) have no code in
LOINC, SNOMED CT or DCM as of PS3.16 2024, so they carry **local codes** of this project's private
coding scheme ``99ALNPLN`` (PS3.16 8.2: designators beginning with "99" are private); the code
value is the parameter's key in contract.md §3 and the meaning is its name in clinical.md §1.2.
Each object using the scheme declares it in its Coding Scheme Identification Sequence.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

LOCAL_SCHEME = "99ALNPLN"
LOCAL_SCHEME_NAME = "alignment-planner local codes (sagittal alignment parameters)"


@dataclass(frozen=True)
class LocalCode:
    value: str
    meaning: str

    def code(self) -> Code:
        return Code(self.value, LOCAL_SCHEME, self.meaning)

    def to_item(self) -> Dataset:
        item = Dataset()
        item.CodeValue = self.value
        item.CodingSchemeDesignator = LOCAL_SCHEME
        item.CodeMeaning = self.meaning[:64]
        return item


PLAN_REPORT_TITLE = LocalCode("PLANRPT", "Sagittal alignment and osteotomy plan report")
PREOP_GROUP = LocalCode("PREOP", "Pre-operative film, as measured")
PLANNED_GROUP = LocalCode("PLANNED", "Planned alignment, simulated")

UNITS: dict[str, Code] = {
    "deg": Code("deg", "UCUM", "degree"),
    "mm": Code("mm", "UCUM", "millimeter"),
    "%": Code("%", "UCUM", "percent"),
}
SPINE = codes.SCT.Spine
PROCEDURE = codes.SCT.PlainRadiography
REPORT_TITLE = codes.DCM.ImagingMeasurementReport

# Where each parameter is read (clinical.md §1.2), as a SNOMED CT finding site.
_LUMBAR, _THORACIC, _CERVICAL, _PELVIS = (
    codes.SCT.LumbarSpine, codes.SCT.ThoracicSpine, codes.SCT.CervicalSpine, codes.SCT.PelvicStructure,
)
FINDING_SITE: dict[str, Code] = {
    "PI": _PELVIS, "PT": _PELVIS, "SS": _PELVIS, "LL": _LUMBAR, "L4S1": _LUMBAR, "LDI": _LUMBAR,
    "PI_LL": _LUMBAR, "TK": _THORACIC, "TLJ": _THORACIC, "CL": _CERVICAL, "T1S": _THORACIC,
    "TS_CL": _CERVICAL, "cSVA": _CERVICAL,
}


def parameter_code(key: str, name: str) -> Code:
    return LocalCode(key, name).code()


def coding_scheme_identification() -> Dataset:
    item = Dataset()
    item.CodingSchemeDesignator = LOCAL_SCHEME
    item.CodingSchemeName = LOCAL_SCHEME_NAME
    item.CodingSchemeResponsibleOrganization = "alignment-planner project"
    return item
