"""The desktop side of hospital integration (issue 20): open from the PACS, open a patient disc,
PACS settings, and the drawing half of sending a plan back (the DICOM half is in the core)."""
