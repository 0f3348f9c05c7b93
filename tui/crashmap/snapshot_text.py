"""Snapshot files as crashmap writes them, read without PyYAML (the TUI's first screen then
never imports it: ~1 MiB of loader and dumper code).

:func:`read_plain` understands one shape of YAML only: a top-level mapping whose keys start
their lines, each value on its key's line (a plain or quoted scalar) or a literal block scalar
(``|``, ``|-``, ``|2``...). That is what ``yaml.safe_dump`` writes for a snapshot, and
what the bundled maps are. Anything else, or anything it is not sure of, gives None, and the
caller reads the text with PyYAML (whose messages name the problem). Scalars resolve as PyYAML's
YAML 1.1 resolver does; only decimal integers and ``true``/``false`` are taken as other than
strings, every other value that resolver would not call a string gives None.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator

_KEY_LINE = re.compile(r"([a-z][a-z0-9_]*):(?: (.*))?")
_BLOCK_HEADER = re.compile(r"\|(?:([1-9])([-+]?)|([-+])([1-9]?))?")
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:x(.{2})|u(.{4})|U(.{8})|(.))")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
"""YAML's escapes in double quotes (PyYAML's ``Scanner.ESCAPE_REPLACEMENTS``)."""
_HEX = re.compile(r"[0-9A-Fa-f]+")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_NOT_PLAIN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")
"""What the plain reader leaves to PyYAML: characters YAML does not allow in a file (PyYAML's
``Reader.NON_PRINTABLE``), a byte order mark, and line breaks other than ``\\n`` (``\\r``,
``\\x85``, ``\\u2028``, ``\\u2029``)."""
_ASCII_NOT_PLAIN = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), 0x7F])
"""``_NOT_PLAIN`` in ASCII text, for ``str.translate`` (a quarter of the regular expression's
time on a large map)."""
_PLAIN_START = re.compile(r"[A-Za-z0-9_/(]")
"""First characters of a plain scalar that is no YAML indicator (``-?:,[]{}#&*!|>'"%@```)."""
_OTHER_TYPE = re.compile(r"""
      (?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)  # bool
    | (?:null|Null|NULL)                                                                # null
    | [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?                                 # float
    | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    | [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+    # int
    | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]                                        # timestamp
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[\ \t]+)[0-9][0-9]?
      :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
""", re.X)
"""Plain scalars PyYAML's resolver (``yaml/resolver.py``) reads as a bool, null, float, int
or timestamp, from the first characters this reader accepts (``_PLAIN_START``)."""


class NotPlain(Exception):
    """The text is not in the one shape :func:`read_plain` reads."""


def read_plain(text: str) -> list[tuple[str, str | int | bool, int]] | None:
    """``(key, value, line)`` for each key of a snapshot in crashmap's own shape, in file order
    (``line`` counts from 1); None for any other text, which PyYAML must read."""
    if len(text.translate(_ASCII_NOT_PLAIN)) != len(text) if text.isascii() \
            else _NOT_PLAIN.search(text):
        return None
    try:
        return list(_entries(text)) or None
    except NotPlain:
        return None


def _entries(text: str) -> Iterator[tuple[str, str | int | bool, int]]:
    """The keys and values of ``text``, each with the line of its key."""
    at, line, size = 0, 1, len(text)
    while at < size:
        end = text.find("\n", at)
        if end < 0:
            end = size
        if end == at:  # an empty line between keys
            at, line = at + 1, line + 1
            continue
        match = _KEY_LINE.fullmatch(text, at, end)
        if match is None or match[2] is None:
            raise NotPlain
        key, value = match[1], match[2]
        header = _BLOCK_HEADER.fullmatch(value)
        if header is None:
            yield key, _scalar(value), line
            at, line = end + 1, line + 1
            continue
        indicator, chomping = header[1] or header[4], header[2] or header[3]
        block, after = _block(text, end + 1, int(indicator) if indicator else 0, chomping)
        yield key, block, line
        line += 1 + text.count("\n", end + 1, after)
        at = after


def _scalar(value: str) -> str | int | bool:
    """A plain or quoted scalar on its key's line, as PyYAML resolves it."""
    quoted = _QUOTED.fullmatch(value)
    if quoted is not None:
        return quoted[1].replace("''", "'")
    quoted = _DOUBLE_QUOTED.fullmatch(value)
    if quoted is not None:
        return _ESCAPE.sub(_unescape, quoted[1])
    if not _PLAIN_START.match(value) or "\t" in value or ": " in value or " #" in value \
            or value.endswith((":", " ")):
        raise NotPlain
    if _DECIMAL.fullmatch(value):
        if len(value) > 20:  # past 2**64-1: PyYAML's path refuses it, unread
            raise NotPlain
        return int(value)
    if value == "true" or value == "false":
        return value == "true"
    if _OTHER_TYPE.fullmatch(value):
        raise NotPlain
    return value


def _unescape(match: re.Match[str]) -> str:
    """One escape of a double-quoted scalar: ``\\n``, ``\\x41``, ``\\u00e9``..."""
    code = match[1] or match[2] or match[3]
    if code is None:
        replacement = _ESCAPES.get(match[4])
        if replacement is None:
            raise NotPlain  # PyYAML refuses it
        return replacement
    if not _HEX.fullmatch(code) or int(code, 16) > 0x10FFFF:
        raise NotPlain
    return chr(int(code, 16))


def _block(text: str, at: int, indent: int, chomping: str) -> tuple[str, int]:
    """A literal block scalar starting at ``at``: its text and where the next key starts.

    As PyYAML's ``Scanner.scan_block_scalar`` reads one under a key at column 0: the text is
    indented by ``indent`` spaces (0: as far as its first line is); a line of no more spaces
    than that is an empty line; ``chomping`` (``-`` strip, ``+`` keep, none: clip) decides the
    final line breaks. A first line that is empty or starts with a tab under an auto-detected
    indent, or a line after the text that is indented less but not at column 0, is left to
    PyYAML.
    """
    if not indent:
        first = text[at:text.find("\n", at) % (len(text) + 1)]
        indent = len(first) - len(first.lstrip(" "))
        if not indent or indent == len(first) or first[indent] == "\t":
            raise NotPlain  # libyaml refuses a tab where it looks for the indentation
    lines = _block_lines(indent).match(text, at)
    body, after = _dedent(lines[0], indent), lines.end()
    rest = text[after:]
    if rest[:indent] == " " * indent and len(rest) > indent and "\n" not in rest:
        return body + rest[indent:], len(text)  # the last line, without a line break
    if rest[:1] == " " or not body.strip("\n"):
        raise NotPlain  # an empty text, or a line indented less than it: not a new key
    if chomping == "+":
        return body, after
    body = body.rstrip("\n")
    return (body if chomping == "-" else body + "\n"), after


@lru_cache(maxsize=None)
def _block_lines(indent: int) -> re.Pattern[str]:
    """The lines of a block scalar indented ``indent`` spaces, each with its line break."""
    return re.compile(rf"(?:{' ' * indent}[^\n]*\n| {{0,{indent}}}\n)*")


def _dedent(lines: str, indent: int) -> str:
    """``lines`` (each ending in a line break) without their first ``indent`` spaces."""
    prefix = " " * indent
    if lines.startswith(prefix) and lines.count("\n" + prefix) == lines.count("\n") - 1:
        return lines[indent:].replace("\n" + prefix, "\n")  # no line short of the indent
    return _indentation(indent).sub("", lines)


@lru_cache(maxsize=None)
def _indentation(indent: int) -> re.Pattern[str]:
    return re.compile(rf"^ {{0,{indent}}}", re.M)
