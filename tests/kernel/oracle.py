"""Compare crashmap's prediction, made on a baseline boot, with where the kernel put each block.

The user's loop: capture today's map (a boot without ``crashkernel=``), plan, reboot with the
plan. :func:`predict` asks crashmap exactly what ``crashmap check --cmdline`` asks;
:func:`exact_misses` and :func:`consistent_misses` list every disagreement with the real boot.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.checks import evaluate_cmdline
from crashmap.memmap import FOUR_GIB, Range
from crashmap.placement import context_from_snapshot
from crashmap.snapshot import Snapshot

from tests.kernel.serial import Reserved


class Prediction(namedtuple("Prediction", "ctx verdict")):
    __slots__ = ()

    @property
    def placement(self):
        return self.verdict.placement


def predict(baseline: Snapshot, cmdline: str) -> Prediction:
    """crashmap's verdict for booting ``cmdline`` on the machine ``baseline`` was taken on."""
    ctx = context_from_snapshot(baseline)
    return Prediction(ctx, evaluate_cmdline(ctx, cmdline, system_ram=baseline.system_ram))


def _fmt(r: Range | None) -> str:
    return "none" if r is None else f"{r.start:#x}-{r.end - 1:#x}"


def _real_outcome(real: Reserved, placement) -> str:
    """The outcome the real boot shows, in crashmap's words."""
    got_static = real.main is not None
    got_cma = bool(real.cma)
    request = placement.request
    wants_static = request.static_ok and request.crash_size > 0
    if not request.asked and not request.reserves_cma and not got_static and not got_cma:
        return "nothing requested"
    if not got_static and not got_cma:
        return "failed"
    cma_short = any("CMA reservation failed" in line for line in real.log)
    full = (got_static or not wants_static) and not cma_short and request.static_ok \
        and not request.cma_ignored
    return "reserved" if full else "partially reserved"


def exact_misses(prediction: Prediction, real: Reserved) -> list[str]:
    """Every way the prediction differs from the real boot (empty: exact)."""
    p = prediction.placement
    misses = []
    for kind, got in (("main", real.main), ("low", real.low)):
        block = p.main if kind == "main" else p.low
        want = None if block is None else block.range
        if want != got:
            misses.append(f"{kind}: predicted {_fmt(want)}, kernel {_fmt(got)}")
    cma = [a.range for a in p.cma.areas]
    if cma != list(real.cma):
        misses.append(f"cma: predicted {[_fmt(r) for r in cma]}, kernel "
                      f"{[_fmt(r) for r in real.cma]}")
    outcome = _real_outcome(real, p)
    if p.outcome != outcome:
        misses.append(f"outcome: predicted {p.outcome!r}, kernel {outcome!r}")
    said = list(p.kernel_log)
    if sorted(said) != sorted(real.log):
        misses.append(f"kernel log: predicted {said}, kernel {list(real.log)}")
    if p.confidence != "exact":
        misses.append(f"confidence {p.confidence!r}, not exact: {p.notes[:1]}")
    return misses


def _side(r: Range) -> str:
    return "low" if r.end <= FOUR_GIB else ("high" if r.start >= FOUR_GIB else "straddles 4G")


def consistent_misses(prediction: Prediction, real: Reserved,
                      informed: Prediction | None = None) -> list[str]:
    """Where a prediction made without the boot log breaks its promise: every block in the
    same window (below/above 4 GiB) as the kernel's and the kernel's block inside the range
    crashmap gives for it (hidden reservations only push a top-down block lower and a
    bottom-up CMA area higher), the same outcome.

    One exception, checked against ``informed`` (the prediction with the boot log): a fixed
    base that fails only because a reservation that only the boot log shows sits there (the
    initrd) may be predicted as reserved, provided the prediction does not claim ``exact``.
    """
    p = prediction.placement
    if informed is not None and _hidden_failure(p, real, informed):
        return []
    misses = []
    for kind, got in (("main", real.main), ("low", real.low)):
        block = p.main if kind == "main" else p.low
        if (block is None) != (got is None):
            misses.append(f"{kind}: predicted {_fmt(block and block.range)}, kernel {_fmt(got)}")
            continue
        if block is None:
            continue
        if _side(block.range) != _side(got):
            misses.append(f"{kind}: predicted {_side(block.range)}, kernel {_side(got)}")
        span = p.window if kind == "main" and p.window is not None else block.range
        if not (span.start <= got.start and got.end <= span.end):
            misses.append(f"{kind}: kernel {_fmt(got)} outside crashmap's {_fmt(span)}")
    cma = [a.range for a in p.cma.areas]
    if len(cma) != len(real.cma):
        misses.append(f"cma: predicted {len(cma)} areas, kernel {len(real.cma)}")
    for want, got in zip(cma, real.cma, strict=False):
        if _side(want) != _side(got) or got.size != want.size:
            misses.append(f"cma: predicted {_fmt(want)}, kernel {_fmt(got)}")
    outcome = _real_outcome(real, p)
    if p.outcome != outcome:
        misses.append(f"outcome: predicted {p.outcome!r}, kernel {outcome!r}")
    return misses


def _hidden_failure(p, real: Reserved, informed: Prediction) -> bool:
    """``p`` places a fixed base the kernel refused, without claiming ``exact``, and the
    boot log's hidden reservations explain the refusal."""
    if p.confidence == "exact" or not p.request.crash_base or real.main is not None:
        return False
    main = p.main
    if main is None or informed.placement.outcome != "failed":
        return False
    return any(h.range.start < main.end and main.start < h.range.end
               for h in informed.ctx.hidden)


def shows_misses(shows: str, real: Reserved) -> list[str]:
    """What the real boot fails to show of the case's ``shows`` words (see cases.py)."""
    misses = []
    for word in shows.split():
        kind, _, arg = word.partition(":")
        if kind == "low":
            ok = real.main is not None and real.main.end <= FOUR_GIB and real.low is None
        elif kind == "high":
            ok = real.main is not None and real.main.start >= FOUR_GIB and real.low is None
        elif kind == "high+low":
            ok = real.main is not None and real.main.start >= FOUR_GIB and real.low is not None
        elif kind == "fail":
            ok = real.main is None and not real.cma
        elif kind == "cma":
            ok = len(real.cma) == int(arg)
        elif kind == "cma-short":
            ok = any("CMA reservation failed" in line for line in real.log)
        elif kind == "log":
            ok = any(arg.replace("_", " ") in line for line in real.log)
        else:
            raise ValueError(f"unknown shows word {word!r}")
        if not ok:
            misses.append(word)
    return misses
