"""What the lazily mounted panels share."""

from __future__ import annotations

from textual.message import Message


class PanelReady(Message):
    """A panel mounted after the first frame: the screen pushes the current state into it."""
