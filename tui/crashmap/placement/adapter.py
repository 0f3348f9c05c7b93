"""Turn the kernel grammar's parse result into a :class:`Request` (duck-typed on its fields)."""

from __future__ import annotations

from crashmap.kernel.memparse import memparse
from crashmap.placement.result import Request

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def request_from_grammar(result: Any, cmdline: str | None = None) -> Request:
    """A :class:`Request` from ``crashmap.kernel.grammar.parse_crashkernel()``'s result.

    Reads ``ok``, ``crash_size``, ``crash_base``, ``low_size``, ``cma_size``, ``high``,
    ``cma_kept``, ``messages``, ``error``, ``error_code`` and ``words``. ``cmdline``, when
    given, sets ``fadump`` from its ``fadump=`` words (``early_fadump_param()``).
    """
    request = _request(result)
    if cmdline and "fadump=" in cmdline:
        from crashmap.kernel.fadump import fadump_mode

        mode = fadump_mode(cmdline)
        if mode != "off":
            request = request._replace(fadump=mode)
    return request


def _request(result: Any) -> Request:
    words = tuple(getattr(result, "words", ()))
    low_given = any(u.word.kind == "low" and u.status == "used" for u in words)
    # x86 before 6.7 reads ,low for a plain block that lands high (the grammar marks it used)
    low_for_plain = low_given and not result.high
    asked = getattr(result, "error_code", None) not in ("no-crashkernel", "zero-size")
    ok = bool(result.ok)
    cma_kept = bool(getattr(result, "cma_kept", ok and result.cma_size > 0))
    return Request(
        crash_size=result.crash_size if ok else 0,
        crash_base=result.crash_base if ok else 0,
        high=bool(result.high) and ok,
        low_size=(result.low_size if low_given else None)
        if result.high or low_for_plain else None,
        cma_size=result.cma_size if cma_kept else 0,
        static_ok=ok,
        cma_ok=cma_kept,
        asked=asked,
        parse_messages=tuple(getattr(result, "messages", ())),
        parse_error=None if ok else getattr(result, "error", None),
        cma_ignored=_ignored_cma(words, cma_kept, result.cma_size),
    )


def _ignored_cma(words: tuple[Any, ...], kept: bool, size: int) -> int:
    """Bytes of the last ``,cma`` word that the kernel will not reserve."""
    if kept:
        return 0
    if size:
        return size
    for use in reversed(words):
        if use.word.kind == "cma":
            value, end = memparse(use.word.value)
            return value if end else 0
    return 0


def parse_for(cmdline: str, system_ram: int, arch: Any, kernel: Any = None) -> Any:
    """The grammar's parse of ``cmdline`` (imported here so placement stays grammar-free)."""
    from crashmap.kernel.grammar import parse_crashkernel

    return parse_crashkernel(cmdline, system_ram, arch, kernel=kernel)
