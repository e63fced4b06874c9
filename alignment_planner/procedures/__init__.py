"""Osteotomy types (registry), their simulation, wedge geometry, checks, pelvic compensation and site
picking.
"""
