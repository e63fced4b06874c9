"""What is drawn on the film, Qt-free: overlay primitives and the film fragments that move with each cut."""
