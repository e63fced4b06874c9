"""What each line style on the film means: the legend drawn beside the film on screen, in
``render`` and in the PDF (one list, so the three agree)."""

from __future__ import annotations

from alignment_planner.scene.primitives import Overlay, Style

MEANINGS: dict[Style, str] = {
    "body": "vertebral body",
    "endplate": "endplate",
    "cobb": "Cobb angle lines",
    "construction": "construction (dashed)",
    "angle": "angle and arc",
    "pelvis": "sacral plate, hip axis to S1",
    "hip": "femoral heads",
    "plumb": "C7 plumb line, SVA",
    "osteotomy": "osteotomy cut",
    "wedge": "bone removed or gap opened",
    "fusion": "fusion, rod",
}


def legend(overlay: Overlay) -> tuple[tuple[Style, str], ...]:
    """The styles this overlay draws, in a fixed order, with what they mean."""
    present = {primitive.style for primitive in overlay.primitives}
    return tuple((style, text) for style, text in MEANINGS.items() if style in present)
