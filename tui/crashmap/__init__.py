"""crashmap: a map of physical memory for planning kdump ``crashkernel=`` reservations.

The domain core (every module outside ``crashmap.app``) never imports Textual.
"""

__version__ = "0.1.0"
