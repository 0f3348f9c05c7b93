"""Widgets of the main screen, one job per module."""
