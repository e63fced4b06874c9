"""``python -m ui [FILE]`` opens the desktop planner."""

from __future__ import annotations

import sys

from ui.app import main

sys.exit(main(sys.argv[1:]))
