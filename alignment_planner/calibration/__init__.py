"""Pixel spacing and where it came from, and calibration by a known distance or a ball."""
