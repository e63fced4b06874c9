"""Spinal levels, landmarks, which way the patient faces, the skeleton built from the landmarks, and
the landmarking guide.
"""
