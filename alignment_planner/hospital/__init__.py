"""Hospital integration (issue 20, contract.md §4.6): DICOM networking with a PACS (C-ECHO, C-FIND,
C-GET/C-MOVE, C-STORE through pynetdicom), patient discs (DICOMDIR), and the DICOM objects that
file a plan back into its film's study (Encapsulated PDF, Secondary Capture, TID 1500 SR).

Qt-free: the launcher hands the drawn PDF and films to :mod:`alignment_planner.hospital.filing`.
"""
