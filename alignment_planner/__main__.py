"""``python -m alignment_planner`` is the same as the ``alignment-planner`` command."""

from __future__ import annotations

import sys

from alignment_planner.cli.main import main

sys.exit(main())
