"""Internal document references are stripped from what a reader sees."""

from __future__ import annotations

import pytest

from alignment_planner.output.reader_text import for_reader, has_internal_reference


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Typical 25–40° (clinical.md §3.1 [48][50], §3.2).", "Typical 25–40°."),
        ("51.9 ± 10° (range 35–85) [29]", "51.9 ± 10° (range 35–85)"),
        ("Return the hinge to the type's default (contract.md §2)", "Return the hinge to the type's default"),
        ("mean of 9° of LL (clinical.md §5.3).", "mean of 9° of LL."),
        ("clinical.md §3.1 ACR [47c][57][57b]", "ACR"),
        ("T3–T12 20–50° (Bernhardt & Bridwell) [41]", "T3–T12 20–50° (Bernhardt & Bridwell)"),
    ],
)
def test_references_are_removed_and_the_words_kept(raw: str, shown: str) -> None:
    assert for_reader(raw) == shown
    assert has_internal_reference(raw) and not has_internal_reference(shown)
