"""Sample cases and the scoring of a resident's landmarks and plan against the expert's."""
