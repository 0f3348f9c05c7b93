"""``crashmap snapshot [SOURCE] [-o FILE] [--force]``: save a map and its facts as YAML."""

from __future__ import annotations

import argparse
import sys
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

from crashmap.cli.common import Exit, add_source_arguments
from crashmap.cli.loading import load_for_cli
from crashmap.snapshot import to_yaml, write_atomic


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "snapshot", help="save the live machine (or any SOURCE) as a snapshot YAML"
    )
    add_source_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument("--cmdline", help="record this kernel command line")
    parser.add_argument("--provenance", help="record where the data came from")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    snapshot = load_for_cli(args.source, args.arch)
    if args.cmdline is not None:
        snapshot.cmdline = args.cmdline
    if args.provenance is not None:
        snapshot.provenance = args.provenance
    text = to_yaml(snapshot)
    if args.output and args.output != "-":
        write_atomic(args.output, text, force=args.force)
        print(f"crashmap: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return Exit.OK
