"""What the ``crashmap`` parser accepts, read from argparse itself: the one source the shell
completions and the manual page are made from, so neither can miss a subcommand or an option.
"""

from __future__ import annotations

import argparse
from collections import namedtuple

Option = namedtuple("Option", "flags metavar help values")
"""``flags`` (``("-o", "--output")``), ``metavar`` (None for a switch), ``help``, and
``values``: what completes after it (see :func:`value_kind`)."""
Positional = namedtuple("Positional", "metavar help many optional values")
Command = namedtuple("Command", "name help description epilog usage options positionals")


def value_kind(action: argparse.Action) -> tuple[str, tuple[str, ...]]:
    """How a shell completes the value of ``action``: ``("choices", names)``, ``("file", ())``,
    ``("source", map names)``, ``("arch", names)``, ``("format", names)`` or ``("none", ())``."""
    if action.choices:
        return "choices", tuple(str(c) for c in action.choices)
    metavar = (action.metavar or "") if isinstance(action.metavar, str) else ""
    if metavar == "SOURCE":
        from crashmap.cli.show import listed_maps

        return "source", ("live", *listed_maps())
    if metavar in ("FILE", "PATH") or action.dest in ("output",):
        return "file", ()
    if action.dest == "arch":
        from crashmap.arch import ARCHES

        return "arch", tuple(sorted(ARCHES))
    if action.dest == "format":
        from crashmap.export import FORMATS

        return "format", tuple(FORMATS)
    return "none", ()


def commands(parser: argparse.ArgumentParser | None = None) -> list[Command]:
    """Every subcommand with its options and positionals, in the parser's order."""
    if parser is None:
        from crashmap.cli import build_parser

        parser = build_parser()
    found = []
    for name, sub in _subparsers(parser).items():
        options, positionals = [], []
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if action.option_strings:
                takes = action.nargs != 0
                metavar = (action.metavar or action.dest.upper()) if takes else None
                options.append(Option(tuple(action.option_strings), metavar,
                                      _help(action), value_kind(action) if takes else ("none", ())))
            else:
                metavar = action.metavar or action.dest
                positionals.append(Positional(metavar, _help(action),
                                              action.nargs in ("+", "*"),
                                              action.nargs in ("?", "*"), value_kind(action)))
        found.append(Command(name, _command_help(parser, name), sub.description or "",
                             sub.epilog or "", sub.format_usage(), options, positionals))
    return found


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _command_help(parser: argparse.ArgumentParser, name: str) -> str:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.dest == name:
                    return choice.help or ""
    return ""


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    if text == argparse.SUPPRESS:
        return ""
    try:
        return " ".join((text % {**vars(action), "default": action.default}).split())
    except (KeyError, TypeError, ValueError):
        return " ".join(text.split())


def top_options(parser: argparse.ArgumentParser | None = None) -> list[Option]:
    """The options of ``crashmap`` itself (``--version``, ``--help``)."""
    if parser is None:
        from crashmap.cli import build_parser

        parser = build_parser()
    return [Option(tuple(a.option_strings), None, _help(a), ("none", ()))
            for a in parser._actions if a.option_strings]


__all__ = ["Command", "Option", "Positional", "commands", "top_options", "value_kind"]
