"""Phantom films, synthetic spines and DICOM writers for tests, tools and benches; nothing at run time
imports it.
"""
