"""Asking which film of a series to open, for the PACS and the disc browsers alike."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QWidget


def ask_which_image(parent: QWidget, files: list[Path]) -> Path | None:
    """The image the user picks from a series of several (``None``: cancelled)."""
    names = [f"Image {index}: {path.name}" for index, path in enumerate(files, start=1)]
    name, ok = QInputDialog.getItem(
        parent, "Several images", "This series has several images; open which one?", names, 0, False
    )
    return files[names.index(name)] if ok else None
