"""The one pipeline from a plan to every value a surgeon reads (pre-op and planned), and its
uncertainty bands.
"""
