"""alignment-planner: sagittal alignment measurement and osteotomy planning (Qt-free core).

Nothing in this package imports Qt; the desktop interface lives in the separate ``ui`` package.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
