"""The docked panels: landmarking wizard, measurements, osteotomy plan, targets, practice."""
