"""The film and everything drawn on it: image, overlay, fragments, the graphics view."""
