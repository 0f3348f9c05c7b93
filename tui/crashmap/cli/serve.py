"""``crashmap serve [SOURCE]``: the interactive map in web browsers, through textual-serve.

textual-serve (Textualize's package, the ``web`` extra) starts one app process per browser tab
and draws its screen with xterm.js. Each tab runs the plain app command (``python -m crashmap
tui SOURCE ...``), never ``serve`` again. The page has no login, so the server listens on
loopback unless told otherwise (and warns when it is), and the live machine is served only with
``--live``: a browser user is not root on the server. textual-serve is imported only here.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from crashmap.cli.common import Exit, add_kernel_argument, fail, warn
from crashmap.errors import CrashmapError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
INSTALL_HINT = "crashmap serve needs textual-serve: pip install 'crashmap[web]'"

EPILOG = """\
SOURCE is demo (the default), a snapshot .yaml, a raw /proc/iomem text file, an extracted
sosreport or supportconfig directory, or a bundled map name; `live` (this machine) needs --live.
Each browser tab runs its own `crashmap tui SOURCE` on this machine. The page has no login:
keep the default loopback host and share it through an SSH tunnel or an authenticating reverse
proxy (--public-url gives the address browsers use).
"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "serve", help="serve the interactive map to web browsers (pip install 'crashmap[web]')",
        description="Serve the interactive map (every screen, drags included) to web browsers "
                    "with textual-serve: one crashmap process per browser tab.",
        epilog=EPILOG)
    parser.add_argument("source", nargs="?", default=None, metavar="SOURCE",
                        help="demo (default), snapshot .yaml, iomem text, report directory, "
                             "bundled map name; live needs --live")
    parser.add_argument("--arch", default=None,
                        help="override the architecture (a raw dump cannot tell it)")
    parser.add_argument("--cmdline", default=None, help="start from this kernel command line")
    add_kernel_argument(parser)
    parser.add_argument("--lesson", metavar="NAME",
                        help="open on a lesson: its map and plan beside its Learn chapter "
                             "(`--lesson list` lists them)")
    parser.add_argument("--live", action="store_true",
                        help="serve this machine's live map (whoever opens the page sees it)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"TCP port (default {DEFAULT_PORT})")
    parser.add_argument("--public-url", default=None, metavar="URL",
                        help="the URL browsers reach the server at, behind a reverse proxy")
    parser.set_defaults(func=run)


@dataclass
class Served:
    """What ``serve`` runs: the command each tab starts, where, and what to warn about."""

    command: str
    """The plain app invocation, shell-quoted (textual-serve runs it through the shell)."""
    host: str
    port: int
    url: str
    """The page to open."""
    title: str
    public_url: str | None = None
    warnings: list[str] = field(default_factory=list)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (no name lookup: ``localhost``
    and loopback addresses; any other name might resolve to a public address)."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def prepare(args: argparse.Namespace) -> Served:
    """Check the arguments and SOURCE, and build the command; :class:`CrashmapError` when
    they are wrong. Imports nothing of the server."""
    lesson = None
    if args.lesson is not None:
        from crashmap.app.learn.lessons import get_lesson

        lesson = get_lesson(args.lesson)
    source = args.source or ("live" if args.live else None) or \
        (lesson.map if lesson is not None else "demo")
    if source == "live" and not args.live:
        raise CrashmapError("serving the live machine needs --live: whoever opens the page sees "
                            "this machine's memory map and drives the app, without a login")
    if args.live and source != "live":
        raise CrashmapError(f"--live serves this machine, not {source}: give one or the other")
    if args.kernel is not None:
        from crashmap.cli.common import target_kernel

        target_kernel(args.kernel)  # a bad --kernel is refused here, not in every tab
    if not 0 < args.port < 65536:
        raise CrashmapError(f"--port {args.port}: a TCP port is 1-65535")
    if source != "live":
        from crashmap.cli.loading import load_for_cli

        load_for_cli(source, args.arch)  # a bad SOURCE fails here, not in every browser tab
        if Path(source).exists():
            source = str(Path(source).resolve())
    words = [sys.executable, "-m", "crashmap", "tui", source]
    for option, value in (("--arch", args.arch), ("--cmdline", args.cmdline),
                          ("--kernel", args.kernel), ("--lesson", args.lesson)):
        if value is not None:
            words += [option, value]
    host = args.host
    shown_host = f"[{host}]" if ":" in host else host
    url = args.public_url or f"http://{shown_host}:{args.port}/"
    served = Served(shlex.join(words), host, args.port, url,
                    title=f"crashmap · {lesson.title if lesson else source}",
                    public_url=args.public_url.rstrip("/") if args.public_url else None)
    if not is_loopback(host):
        served.warnings.append(
            f"listening on {host}: anyone who can reach port {args.port} sees this map and can "
            "drive the app (textual-serve has no login); prefer 127.0.0.1 with an SSH tunnel")
    if source == "live":
        served.warnings.append("serving the live map of this machine to every browser tab")
    return served


def run(args: argparse.Namespace) -> int:
    if args.lesson == "list":
        from crashmap.app.learn.lessons import lesson_table

        print("\n".join(lesson_table()))
        return Exit.OK
    served = prepare(args)
    try:
        from crashmap.cli.web_server import CrashmapServer
    except ImportError:
        return fail(INSTALL_HINT)
    for message in served.warnings:
        warn(message)
    server = CrashmapServer(served)
    try:
        server.serve()
    except OSError as error:
        return fail(f"cannot listen on {served.host}:{served.port}: "
                    f"{error.strerror or error}")
    return Exit.OK
