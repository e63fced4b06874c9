"""The SOP classes and transfer syntaxes we ask a PACS for."""

from __future__ import annotations

from pydicom.uid import (
    JPEG2000,
    UID,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)
from pynetdicom import build_context, build_role
from pynetdicom.pdu_primitives import SCP_SCU_RoleSelectionNegotiation
from pynetdicom.presentation import PresentationContext
from pynetdicom.sop_class import (  # type: ignore[attr-defined]
    ComprehensiveSRStorage,
    ComputedRadiographyImageStorage,
    DigitalXRayImageStorageForPresentation,
    DigitalXRayImageStorageForProcessing,
    EncapsulatedPDFStorage,
    EnhancedSRStorage,
    MultiFrameGrayscaleByteSecondaryCaptureImageStorage,
    MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
    MultiFrameTrueColorSecondaryCaptureImageStorage,
    SecondaryCaptureImageStorage,
    XRayAngiographicImageStorage,
    XRayRadiofluoroscopicImageStorage,
)

# What a lateral full-spine film can be stored as, and what we file back (to read it again).
IMAGE_STORAGE: tuple[str, ...] = (
    ComputedRadiographyImageStorage,
    DigitalXRayImageStorageForPresentation,
    DigitalXRayImageStorageForProcessing,
    SecondaryCaptureImageStorage,
    MultiFrameGrayscaleByteSecondaryCaptureImageStorage,
    MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
    MultiFrameTrueColorSecondaryCaptureImageStorage,
    XRayRadiofluoroscopicImageStorage,
    XRayAngiographicImageStorage,
)
DOCUMENT_STORAGE: tuple[str, ...] = (EncapsulatedPDFStorage, EnhancedSRStorage, ComprehensiveSRStorage)

# Uncompressed first; the compressed syntaxes a PACS keeps radiographs in and pydicom decodes (gdcm).
RECEIVE_SYNTAXES: tuple[UID, ...] = (
    ExplicitVRLittleEndian, ImplicitVRLittleEndian, JPEG2000Lossless, JPEGLosslessSV1, JPEGLSLossless,
    RLELossless, JPEG2000, JPEGBaseline8Bit, JPEGExtended12Bit,
)


def storage_contexts(sop_classes: tuple[str, ...]) -> list[PresentationContext]:
    """One context per (class, syntax): for C-GET the PACS then sends each image in the syntax it
    keeps it in, instead of having to transcode to the one syntax it picked for a shared context
    (Orthanc cannot transcode JPEG 2000 there: "C-GET SCP: Cannot transcode"). Documents (PDF, SR)
    are never image-compressed: the two little-endian syntaxes suffice, and fewer contexts make a
    quicker association."""
    return [
        build_context(sop_class, syntax)
        for sop_class in sop_classes
        for syntax in (RECEIVE_SYNTAXES[:2] if sop_class in DOCUMENT_STORAGE else RECEIVE_SYNTAXES)
    ]


def storage_roles(sop_classes: tuple[str, ...]) -> list[SCP_SCU_RoleSelectionNegotiation]:
    """C-GET sends the images back on the same association: we take the storage SCP role."""
    return [build_role(sop_class, scp_role=True) for sop_class in sop_classes]


def send_contexts(sop_class: str, transfer_syntax: str) -> list[PresentationContext]:
    """The object's own syntax and explicit VR little endian (which every PACS accepts) as separate
    contexts, so the PACS can accept the object as it is."""
    syntaxes = dict.fromkeys([UID(transfer_syntax), ExplicitVRLittleEndian])
    return [build_context(sop_class, syntax) for syntax in syntaxes]
