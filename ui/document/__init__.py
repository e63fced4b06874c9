"""The open document: plan controller with undo, recovery files, settings, background workers, thumbnails."""
