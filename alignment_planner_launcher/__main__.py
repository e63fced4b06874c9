"""``python -m alignment_planner_launcher`` is the ``alignment-planner`` command."""

from __future__ import annotations

import sys

from alignment_planner_launcher import main

sys.exit(main())
