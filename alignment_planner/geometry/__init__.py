"""Plane geometry in the anatomical frame (clinical.md §0): x anterior, y cranial, millimetres."""
