"""Write a grey radiograph as DICOM (samples, phantoms, tests): explicit VR little endian, or
JPEG 2000 lossless through pydicom's encoder (pylibjpeg-openjpeg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    SecondaryCaptureImageStorage,
    generate_uid,
)


def write_dicom(
    path: Path,
    pixels: npt.NDArray[Any],
    *,
    photometric: str = "MONOCHROME2",
    compress: bool = False,
    **tags: Any,
) -> Path:
    """``pixels`` is (rows, columns) or (frames, rows, columns); extra keyword arguments are DICOM
    keywords set on the dataset (``PixelSpacing=[0.2, 0.2]``)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = tags.pop("SOPInstanceUID", None) or generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = tags.pop("Modality", "DX")
    ds.PatientName = tags.pop("PatientName", "Test^Patient")
    frames = pixels.shape[0] if pixels.ndim == 3 else 1
    rows, columns = pixels.shape[-2:]
    ds.Rows, ds.Columns = rows, columns
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    bits = pixels.dtype.itemsize * 8
    ds.BitsAllocated = bits
    ds.BitsStored = tags.pop("BitsStored", bits)
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 1 if np.issubdtype(pixels.dtype, np.signedinteger) else 0
    for keyword, value in tags.items():
        setattr(ds, keyword, value)
    ds.PixelData = np.ascontiguousarray(pixels).tobytes()
    if compress:
        ds.compress(JPEG2000Lossless, generate_instance_uid=False)  # keep the UID given: reproducible files
    ds.save_as(path, enforce_file_format=True)
    return path
