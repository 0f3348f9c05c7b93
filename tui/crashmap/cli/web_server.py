"""The textual-serve server as ``crashmap serve`` runs it (imported only by that command).

Two changes to textual-serve's own :class:`~textual_serve.server.Server`: its log goes to
stderr (stdout carries the page's URL only), and the URL is printed once the port is listening,
not before (a port already taken fails with one line, and nothing was announced).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import TYPE_CHECKING

from aiohttp import web
from rich.console import Console
from textual_serve.server import Server

if TYPE_CHECKING:
    from crashmap.cli.serve import Served


class CrashmapServer(Server):
    """textual-serve's server, quiet on stdout but for the URL to open."""

    def __init__(self, served: Served) -> None:
        super().__init__(served.command, host=served.host, port=served.port,
                         title=served.title, public_url=served.public_url)
        self.served = served
        self.console = Console(stderr=True)

    async def on_startup(self, app: web.Application) -> None:
        """No banner: :meth:`_listening` says where to go once the port is open."""

    def _listening(self, *_: object) -> None:
        print(self.served.url, flush=True)
        print(f"crashmap: serving {self.served.command} on {self.served.url} "
              "(one process per browser tab); Ctrl+C stops", file=sys.stderr, flush=True)

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM (as textual-serve does, plus the URL once listening)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        try:
            web.run_app(self._make_app(), host=self.host, port=self.port,
                        handle_signals=False, loop=loop, print=self._listening, access_log=None)
        finally:
            if not loop.is_closed():
                loop.close()
