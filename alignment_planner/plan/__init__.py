"""The immutable plan (landmarks, procedures, calibration, patient) and its undo history."""
