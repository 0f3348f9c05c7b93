"""``crashmap snapshot [SOURCE] [-o FILE] [--force] [--jsonl]``: save a map and its facts as YAML,
or append them as one JSON Lines record to a fleet file."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

from crashmap.cli.common import Exit, add_source_arguments
from crashmap.cli.loading import load_for_cli
from crashmap.snapshot import to_json_line, to_yaml, write_atomic


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "snapshot", help="save the live machine (or any SOURCE) as a snapshot YAML"
    )
    add_source_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument("--jsonl", action="store_true",
                        help="one JSON Lines record instead of YAML; with -o, appended to FILE "
                             "(a fleet file: many hosts, one line each; no --force needed)")
    parser.add_argument("--cmdline", help="record this kernel command line")
    parser.add_argument("--provenance", help="record where the data came from")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    snapshot = load_for_cli(args.source, args.arch)
    if args.cmdline is not None:
        snapshot.cmdline = args.cmdline
    if args.provenance is not None:
        snapshot.provenance = args.provenance
    if args.jsonl:
        line = to_json_line(snapshot)
        if args.output and args.output != "-":
            from crashmap.jsonl import append_line

            append_line(args.output, line)
            print(f"crashmap: appended {snapshot.hostname or snapshot.source} to {args.output}",
                  file=sys.stderr)
        else:
            sys.stdout.write(line)
        return Exit.OK
    text = to_yaml(snapshot)
    if args.output and args.output != "-":
        write_atomic(args.output, text, force=args.force)
        print(f"crashmap: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return Exit.OK
