"""The one error type the tool raises for bad input.

Every message is a single line: ``FILE:LINE: what is wrong`` when a place is known.
The CLI prints ``str(error)`` to stderr and exits 2; nothing else should escape as a traceback.
"""

from __future__ import annotations


class CrashmapError(Exception):
    """Bad or unreadable input, with the place it was found when known."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message
