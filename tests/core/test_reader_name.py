"""Reader names for a list to pick a parameter from (review finding 1: the Suggest goals listed
ST, SSA, T1SPI, T9SPI bare): the registry's full name with the label every table prints."""

from __future__ import annotations

import pytest

from alignment_planner.measurements import PARAMETERS, reader_name


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("ST", "Spinal tilt (ST)"),
        ("SSA", "Spinosacral angle (SSA)"),
        ("T1SPI", "T1 spinopelvic inclination (T1SPI)"),
        ("T9SPI", "T9 spinopelvic inclination (T9SPI)"),
        ("PI", "Pelvic incidence (PI)"),
        ("TS_CL", "T1 slope − cervical lordosis (TS−CL)"),
        ("SVA", "Sagittal vertical axis (SVA, C7)"),  # one pair of brackets
        ("cSVA", "Cervical SVA (cSVA, C2–C7)"),
        ("TK_T2T12", "Thoracic kyphosis T2–T12 (TK T2–T12)"),  # the table's label, whole
        ("PI_LL", "PI − LL mismatch"),  # the name already reads as the label
        ("C2S1_SVA", "C2–S1 SVA"),
        ("age", "age"),  # not a parameter: as it is
    ],
)
def test_reader_names(key: str, shown: str) -> None:
    assert reader_name(key) == shown


def test_every_parameter_is_named_and_keeps_its_label() -> None:
    names = [reader_name(p.key) for p in PARAMETERS]
    assert len(set(names)) == len(names)  # no two alike in a list
    for parameter, name in zip(PARAMETERS, names, strict=True):
        assert name.startswith(parameter.name.split(" (")[0]), name
        squeezed = name.replace(" ", "")
        assert parameter.label.replace(" ", "") in squeezed, (parameter.label, name)
        assert name != parameter.label or parameter.label == parameter.name  # never a bare abbreviation
