"""Text mutations: the edits that turn a real input into a hostile one.

Every mutation is a pure function of the text and a :class:`random.Random`, so one seed gives
one input. The "interesting" pieces are what broke crashmap before: digits that
``str.isdigit()`` accepts and ``int()`` refuses, integers past Python's 4300-digit limit (hex
ones pass it), lone surrogates, line separators YAML and ``str.splitlines()`` disagree on, deep
indentation, very long lines.
"""

from __future__ import annotations

import random
import re

INTERESTING_CHARS = (
    "²", "³", "¹", "٣", "߂", "𝟘", "Ⅻ", "½", "\u00a0", "\u2028", "\u2029", "\x85", "\x0b", "\x0c",
    "\x1c", "\r", "\t", "\x00", "\ufeff", "\ufffd", "\udc80", "\udcff", "\ud800", "é", "😀",
    ">", "#", ":", "-", " ", "'", '"', "&", "*", "!", "|", "{", "[", "?", "%", "@", ",", "=",
)
"""Single characters that parsers disagree about."""

INTERESTING_TOKENS = (
    "9" * 5000, "0x" + "f" * 5000, "f" * 17, "ffffffffffffffff", "10000000000000000", "-1", "0",
    "18446744073709551615", "18446744073709551616", "1e400", "nan", "inf", "-0", "0x", "00",
    "1²", "٣٣", "1_000", "0b101", "0o17", "017", "190:20:30", "1.5", "+5", "1,000", "1 000",
    "99999999999999999999999", "0x" + "0" * 40 + "1", "-9" * 3, "²³", "１２", "4294967296",
)
"""Number-like words: what a field that should hold a number may hold instead."""


MAX_CHARS = 4_000_000
"""Inputs are cut to this size: the largest real-world map (100 000 lines) is 3.9 MB; the
16 MiB refusal limit of the readers has its own tests."""


def as_bytes(text: str, escape: bool = True) -> bytes:
    """``text`` as a file's bytes: lone surrogates U+DC80..U+DCFF back to the raw bytes they
    stand for (``surrogateescape``) when ``escape``, any other surrogate as its 3 bytes (not
    UTF-8 either)."""
    try:
        return text.encode("utf-8", "surrogateescape" if escape else "surrogatepass")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


class Mutator:
    """Apply random edits to texts; ``rng`` decides everything."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def token(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return rng.choice(INTERESTING_TOKENS)
        if roll < 0.75:
            return rng.choice(INTERESTING_CHARS)
        if roll < 0.9:
            return str(rng.choice((0, 1, 2, 7, 4096, 1 << 32, 1 << 63, 1 << 64, 10 ** 30)))
        return "".join(rng.choice("0123456789abcdefx-: ") for _ in range(rng.randint(1, 24)))

    def mutate(self, text: str, rounds: int | None = None) -> str:
        """``text`` after 1..6 edits (or ``rounds``)."""
        rng = self.rng
        for _ in range(rounds if rounds is not None else rng.randint(1, 6)):
            text = rng.choice(self._OPS)(self, text)[:MAX_CHARS]
        return text

    # --- the edits ----------------------------------------------------------------------------

    def _lines(self, text: str) -> list[str]:
        return text.split("\n")

    def replace_char(self, text: str) -> str:
        if not text:
            return self.token()
        i = self.rng.randrange(len(text))
        return text[:i] + self.rng.choice(INTERESTING_CHARS) + text[i + 1:]

    def insert_token(self, text: str) -> str:
        i = self.rng.randint(0, len(text))
        return text[:i] + self.token() + text[i:]

    def replace_word(self, text: str) -> str:
        """A run of digits or hex digits becomes a hostile number."""
        if not text:
            return self.token()
        rng = self.rng
        i = rng.randrange(len(text))
        start = i
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        end = i
        while end < len(text) and text[end].isalnum():
            end += 1
        return text[:start] + self.token() + text[end:]

    def replace_number(self, text: str) -> str:
        """One number of the text (a run of digits or hex digits) becomes a hostile one."""
        runs = [m.span() for m in re.finditer(r"0x[0-9a-fA-F]+|[0-9]+", text)]
        if not runs:
            return self.insert_token(text)
        start, end = self.rng.choice(runs)
        return text[:start] + self.token() + text[end:]

    def delete_span(self, text: str) -> str:
        if not text:
            return text
        i = self.rng.randrange(len(text))
        return text[:i] + text[i + self.rng.randint(1, 40):]

    def truncate(self, text: str) -> str:
        return text[: self.rng.randint(0, len(text))]

    def flip_bits(self, text: str) -> str:
        if not text:
            return text
        chars = list(text)
        for _ in range(self.rng.randint(1, 4)):
            i = self.rng.randrange(len(chars))
            code = ord(chars[i]) ^ (1 << self.rng.randrange(8))
            chars[i] = chr(code)
        return "".join(chars)

    def delete_line(self, text: str) -> str:
        lines = self._lines(text)
        if lines:
            del lines[self.rng.randrange(len(lines))]
        return "\n".join(lines)

    def duplicate_line(self, text: str) -> str:
        lines = self._lines(text)
        i = self.rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "\n".join(lines)

    def swap_lines(self, text: str) -> str:
        lines = self._lines(text)
        i, j = self.rng.randrange(len(lines)), self.rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)

    def indent_line(self, text: str) -> str:
        lines = self._lines(text)
        i = self.rng.randrange(len(lines))
        width = self.rng.choice((1, 2, 4, 8, 64, 1000))
        if self.rng.random() < 0.5:
            lines[i] = " " * width + lines[i]
        else:
            lines[i] = lines[i].lstrip()
        return "\n".join(lines)

    def repeat_block(self, text: str) -> str:
        lines = self._lines(text)
        i = self.rng.randrange(len(lines))
        block = lines[i:i + self.rng.randint(1, 8)]
        times = self.rng.choice((2, 10, 100, 1000))
        # never build more than MAX_CHARS: 1000 copies of a 100 000-character line took the
        # fuzzer itself 20 s (of page faults) before the input was cut
        times = max(1, min(times, MAX_CHARS // (sum(map(len, block)) + len(block))))
        return "\n".join(lines[:i] + block * times + lines[i:])

    def long_line(self, text: str) -> str:
        lines = self._lines(text)
        i = self.rng.randrange(len(lines))
        lines[i] = lines[i] + self.rng.choice(("x", " y", "0", ":", "-")) * self.rng.choice(
            (100, 5000, 100_000))
        return "\n".join(lines)

    def line_endings(self, text: str) -> str:
        return text.replace("\n", self.rng.choice(("\r\n", "\r", "\x85", "\u2028", "\n\n", "\x0b")))

    _OPS = (replace_char, insert_token, replace_word, replace_number, replace_number, delete_span,
            truncate,
            flip_bits, delete_line, duplicate_line, swap_lines, indent_line, indent_line,
            repeat_block, long_line, line_endings)
