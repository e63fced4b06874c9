"""Fuzzing in the suite (issue 8 §3): mutated plans through the whole pipeline and mutated images
through the loaders raise only the documented error types. The long run is
``tools/fuzz_inputs.py`` (10,000 plans, 2,000 images)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import fuzz_inputs

BASE = json.loads(fuzz_inputs.SAMPLE_PLAN.read_text())
SEEDS = fuzz_inputs.image_seeds()


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_plans_raise_only_documented_errors(seed: int) -> None:
    raw = fuzz_inputs.mutate_plan(random.Random(seed), BASE)
    assert fuzz_inputs.check_plan(raw) in ("rejected", "measured", "solved")


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, len(SEEDS) - 1))
def test_mutated_images_raise_only_image_load_errors(
    tmp_path_factory: pytest.TempPathFactory, seed: int, which: int
) -> None:
    data, suffix = SEEDS[which]
    mutated = fuzz_inputs.mutate_image(random.Random(seed), data)
    folder = tmp_path_factory.mktemp("fuzz")
    assert fuzz_inputs.check_image(mutated, folder, suffix) in ("rejected", "opened")


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_is_read_or_refused(document: object) -> None:
    raw = json.dumps(document, allow_nan=True).encode()
    assert fuzz_inputs.check_plan(raw) in ("rejected", "measured", "solved")


def _patched(offset_marker: bytes, replacement: bytes) -> bytes:
    data = fuzz_inputs.SAMPLE_IMAGE.read_bytes()
    at = data.index(offset_marker)
    return data[:at] + replacement + data[at + len(replacement) :]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("truncated-ihdr.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00"),
        # Findings of the long run (tools/fuzz_inputs.py, 2,000 images): pydicom raised its own
        # exceptions from deep inside instead of a readable refusal.
        ("odd-group-length.dcm", _patched(b"\x02\x00\x00\x00UL\x04\x00", b"\x02\x00\x00\x00UL\x05\x00")),
        ("unknown-vr.dcm", _patched(b"\x08\x00\x16\x00UI", b"\x08\x00\x16\x00U.")),
        ("short-length.dcm", _patched(b"\x02\x00\x00\x00UL\x04\x00", b"\x02\x00\x00\x00UL\x02\x00")),
    ],
)
def test_fuzz_findings_are_refused_cleanly(tmp_path: Path, name: str, data: bytes) -> None:
    assert fuzz_inputs.check_image(data, tmp_path, Path(name).suffix) in ("rejected", "opened")


def test_special_files_are_refused_within_seconds(tmp_path: Path) -> None:
    tried, findings = fuzz_inputs.check_special_files(tmp_path)
    assert tried >= 2 and findings == []


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_hostile_plan_text_is_refused_or_repaired(seed: int) -> None:
    from alignment_planner.synthetic.hostile import hostile_plan_text

    rng = random.Random(seed)
    raw = hostile_plan_text(rng, json.dumps(BASE)).encode()
    assert fuzz_inputs.check_plan(raw) in ("rejected", "measured", "solved")
