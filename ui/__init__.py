"""The PySide6 desktop interface. Thin: it turns gestures into new plans and draws what the core
(``alignment_planner``) computed. The core never imports this package (import-linter contract)."""
