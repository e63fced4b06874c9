"""Phantom radiographs: realistic lateral full-spine films drawn from landmarks, with exact
ground truth (issue 7). Qt-free; used by ``tools/make_sample_cases.py`` and the tests."""

from __future__ import annotations

from alignment_planner.synthetic.phantom.render import CLEAN, Degradation, PhantomFilm, render_phantom

__all__ = ["CLEAN", "Degradation", "PhantomFilm", "render_phantom"]
