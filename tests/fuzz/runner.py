"""Run one input against the contract: return normally or raise one ``CrashmapError`` line that
names the file; no other exception, no hang."""

from __future__ import annotations

import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from crashmap.errors import CrashmapError


class Hang(Exception):
    """The input took longer than the per-input budget."""


class ContractError(AssertionError):
    """The call returned, but broke the contract (a wrong message, a save that does not load)."""


class Outcome:
    """What one input did: ``failure`` is None when it kept the contract."""

    __slots__ = ("family", "index", "failure", "signature", "seconds")

    def __init__(self, family: str, index: int, failure: str | None, signature: str | None,
                 seconds: float) -> None:
        self.family = family
        self.index = index
        self.failure = failure
        self.signature = signature
        self.seconds = seconds


_ARMED = [False]


def _alarm(signum: int, frame: object) -> None:
    if _ARMED[0]:  # a late signal after the action returned is ignored
        _ARMED[0] = False
        raise Hang()


def _signature(error: BaseException) -> str:
    """Exception type and the innermost crashmap frame: one line per distinct bug."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/crashmap/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].name}" if ours else "?"
    return f"{type(error).__name__} in {where}"


def check_error(error: CrashmapError, path: str | None) -> None:
    """One line, and it names ``path`` when the input came from one."""
    text = str(error)
    if "\n" in text or "\r" in text:
        raise ContractError(f"a CrashmapError of more than one line: {text!r}")
    if path is not None and not text.startswith(path):
        raise ContractError(f"the message does not start with the file {path!r}: {text!r}")


def run(family: str, index: int, action: Callable[[], None], timeout: float) -> Outcome:
    """Call ``action`` with a wall-clock budget of ``timeout`` seconds."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    _ARMED[0] = True
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    failure = signature = None
    try:
        action()
    except Hang as error:
        failure, signature = f"took more than {timeout:g} s", "hang: " + _signature(error)
    except ContractError as error:
        failure, signature = str(error), f"contract: {str(error)[:60]}"
    except CrashmapError as error:  # the action checks its own errors; an unchecked one is fine
        failure = None
        del error
    except RecursionError as error:
        failure, signature = "RecursionError", _signature(error)
    except Exception as error:  # noqa: BLE001 - every other exception is the bug we look for
        failure = "".join(traceback.format_exception_only(type(error), error)).strip()[:300]
        signature = _signature(error)
    finally:
        _ARMED[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(family, index, failure, signature, time.perf_counter() - start)
