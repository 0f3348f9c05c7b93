"""The Textual front end: the only part of crashmap that imports Textual.

It reads the domain core (sources, memory map, kernel grammar, placement, checks) and never
re-implements a kernel rule. Entry point: :func:`crashmap.app.main.run_app`.
"""
