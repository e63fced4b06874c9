"""Trying extra cuts on a plan, solving one angle for a target, searching corrections for several goals."""
