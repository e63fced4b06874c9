"""Free measurements a surgeon draws on the film (ruler, angle, Cobb, reference lines, notes):
their values in millimetres."""
