"""Measurements: tests that kill survivors of ``bash tools/mutation.sh measurements`` (issue 15 §7)
in the reader's words for a parameter (its label and its full name, definitions.py), the reason LDI
is not measurable on a flat lumbar spine, the points planning still needs (guide.py) and the
cohort summary's measuring without the segmental table (measure.py).

The expected texts are the registry's names and labels as contract.md's table and clinical.md
print them; the skeletons are hand-built in clinical.md §0's frame (mm, x anterior, y cranial)."""

from __future__ import annotations

import pytest

from alignment_planner.anatomy.landmarks import FemoralHead, Landmarks
from alignment_planner.anatomy.skeleton import NotMeasurable, Skeleton
from alignment_planner.measurements import PARAMETERS, measure_skeleton, reader_name
from alignment_planner.measurements.definitions import lordosis_distribution_index, reader_label
from alignment_planner.measurements.guide import missing_required


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("PI_LL", "PI−LL"),  # the mismatch with a minus sign, as every table prints it
        ("TS_CL", "TS−CL"),
        ("L4S1", "LL L4–S1"),
        ("TK_T2T12", "TK T2–T12"),
        ("C2S1_SVA", "C2–S1 SVA"),
        ("PI", "PI"),
    ],
)
def test_a_parameter_key_reads_as_its_table_label(key: str, label: str) -> None:
    assert reader_label(key) == label


def test_a_preset_input_outside_the_registry_reads_as_it_is() -> None:
    assert reader_label("age") == "age"
    assert reader_name("age") == "age"


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("LL", "Lumbar lordosis L1–S1 (LL)"),
        ("L4S1", "Lower lumbar lordosis L4–S1 (LL L4–S1)"),  # "LL" alone is not the L4–S1 label
        ("TK", "Thoracic kyphosis T4–T12 (TK)"),
        ("TK_T5T12", "Thoracic kyphosis T5–T12 (TK T5–T12)"),
        ("TLJ", "Thoracolumbar junction T10–L2 (TLJ)"),
        ("CL", "Cervical lordosis C2–C7 (CL)"),
        ("T1S", "T1 slope (T1S)"),
        ("TS_CL", "T1 slope − cervical lordosis (TS−CL)"),  # "−" is a word of its own, TS and CL are not in the name
        ("PI_LL", "PI − LL mismatch"),  # PI, − and LL are all words of the name: the name alone
        ("C2S1_SVA", "C2–S1 SVA"),
        ("SVA", "Sagittal vertical axis (SVA, C7)"),  # one pair of brackets, label first
        ("cSVA", "Cervical SVA (cSVA, C2–C7)"),  # "cSVA" is not the word "SVA": still labelled
        ("LDI", "Lordosis distribution index (LDI)"),
        ("GT", "Global tilt (GT)"),
        ("T9SPI", "T9 spinopelvic inclination (T9SPI)"),
    ],
)
def test_a_parameter_reads_as_its_full_name_with_its_label(key: str, name: str) -> None:
    assert reader_name(key) == name


def _flat_lumbar_spine() -> Skeleton:
    """L1's and S1's superior endplates both level (incl 0°, clinical.md §0.2): LL L1–S1 = 0°."""
    return Skeleton(
        {
            "L1": {"post_sup": (0.0, 200.0), "ant_sup": (40.0, 200.0)},
            "S1": {"post_sup": (0.0, 0.0), "ant_sup": (40.0, 0.0)},
        },
        (),
    )


def test_ldi_on_a_flat_lumbar_spine_says_why_it_is_undefined() -> None:
    # clinical.md: LDI = 100 · LL L4–S1 / LL; with LL = 0° (below the 1° floor) the ratio is undefined.
    with pytest.raises(NotMeasurable) as raised:
        lordosis_distribution_index(_flat_lumbar_spine())
    assert raised.value.reason == "LL is 0.0° (less than 1°): LDI = 100 · LL L4–S1 / LL is undefined"


def test_a_cohort_summary_measures_without_the_segmental_table() -> None:
    skeleton = _flat_lumbar_spine()
    assert measure_skeleton(skeleton, calibrated=True, segmental=False).segmental == {}
    assert measure_skeleton(skeleton, calibrated=True).segmental  # asked for, the table is there


MINIMAL_STEPS = [
    # PI, PT, SS: both femoral heads and S1's superior endplate (clinical.md §1.1, §1.2); LL: L1's superior
    # endplate; TPA: the T1 body centre; SVA and GT: the C7 body centre.
    "femoral_heads.0", "femoral_heads.1", "S1.post_sup", "S1.ant_sup", "L1.post_sup", "L1.ant_sup",
    "T1.center", "C7.center",
]


def test_an_empty_film_needs_every_point_of_the_minimal_scope() -> None:
    assert [step.key for step in missing_required(Landmarks())] == MINIMAL_STEPS


def _pelvis_and_lumbar() -> Landmarks:
    landmarks = Landmarks(femoral_heads=(FemoralHead((100.0, 900.0)), FemoralHead((110.0, 905.0))))
    for level, name, point in [
        ("S1", "post_sup", (200.0, 800.0)), ("S1", "ant_sup", (240.0, 790.0)),
        ("L1", "post_sup", (210.0, 400.0)), ("L1", "ant_sup", (250.0, 405.0)),
    ]:
        landmarks = landmarks.with_point(level, name, point)
    return landmarks


def test_planning_still_needs_only_what_is_not_placed() -> None:
    assert [step.key for step in missing_required(_pelvis_and_lumbar())] == ["T1.center", "C7.center"]


def test_a_film_with_every_minimal_point_is_complete() -> None:
    landmarks = _pelvis_and_lumbar().with_point("T1", "center", (215.0, 100.0))
    landmarks = landmarks.with_point("C7", "center", (220.0, 60.0))
    assert missing_required(landmarks) == ()


def test_a_registry_name_has_at_most_one_pair_of_brackets_at_its_end() -> None:
    # reader_name puts the label inside a name's one trailing pair of brackets ("Sagittal vertical
    # axis (C7)" → "(SVA, C7)"); tools/mutation-equivalents.md relies on no name having another.
    for parameter in PARAMETERS:
        name = parameter.name
        assert name.count("(") == name.count(")") <= 1, name
        assert "(" not in name or (name.endswith(")") and " (" in name), name
