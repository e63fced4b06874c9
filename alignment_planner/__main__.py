"""``python -m alignment_planner`` is the ``alignment-planner`` command (contract.md §3).

The one module of the core allowed to reach the launcher, which sits above both packages: it is the
entry point, never imported by the rest of the core (stated as an exception in the Qt-ban contract).
"""

from __future__ import annotations

import sys

from alignment_planner_launcher import main

sys.exit(main())
