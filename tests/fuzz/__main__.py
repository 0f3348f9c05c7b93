"""``python -m tests.fuzz --seed 1 --count 100000``: the mutation fuzzer, run by hand.

Feeds ``--count`` hostile inputs to crashmap's core (families in ``tests/fuzz/families.py``)
and ``--cli`` runs to the ``crashmap`` command (``tests/fuzz/command.py``). Input ``i`` of a
family is built from ``Random(f"{seed}:{family}:{i}")``, so ``--family F --index I`` replays
one. Failures are grouped by signature (exception type and innermost crashmap frame); the
first inputs of each are written to ``--save``. The last line is ``fuzz: N inputs, F failures``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

from tests.fuzz import command, runner
from tests.fuzz.families import FAMILIES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1000, help="inputs to the core")
    parser.add_argument("--cli", type=int, default=None,
                        help="runs of the crashmap command (default: 1 per 100 inputs, at most "
                             "1000)")
    parser.add_argument("--family", action="append", choices=[*FAMILIES, "command"],
                        help="only these families (repeatable)")
    parser.add_argument("--index", type=int, default=None, help="replay this one input")
    parser.add_argument("--timeout", type=float, default=12.0,
                        help="seconds one input may take (default 12)")
    parser.add_argument("--cli-timeout", type=float, default=60.0,
                        help="seconds one command run may take (default 60: a shared machine)")
    parser.add_argument("--save", type=Path, default=Path("/tmp/crashmap-fuzz"),
                        help="where to write failing inputs")
    parser.add_argument("--show", action="store_true", help="print every failure in full")
    args = parser.parse_args(argv)

    chosen = args.family or [*FAMILIES, "command"]
    core = {name: FAMILIES[name] for name in chosen if name in FAMILIES}
    total_share = sum(share for share, _ in core.values()) or 1
    counts = {name: round(args.count * share / total_share) for name, (share, _) in core.items()}
    cli = args.cli if args.cli is not None else min(1000, max(1, args.count // 100))
    if "command" not in chosen:
        cli = 0
    if args.index is not None:
        counts = {name: 1 for name in counts}
        cli = 1 if "command" in chosen else 0

    failures: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    inputs = 0
    slowest: tuple[float, str] = (0.0, "")
    started = time.monotonic()
    args.save.mkdir(parents=True, exist_ok=True)

    def record(signature: str, family: str, index: int, payload: str, failure: str) -> None:
        failures[signature] += 1
        seen = examples.setdefault(signature, [])
        if len(seen) < 3:
            seen.append(f"{family} {index}")
            name = f"{family}-{index}.txt"
            (args.save / name).write_text(f"# {signature}\n# {failure}\n{payload}\n",
                                          encoding="utf-8", errors="surrogatepass")
        if args.show:
            print(f"FAIL {family} {index}: {signature}: {failure}", file=sys.stderr)

    for family, (_, build) in core.items():
        first = args.index if args.index is not None else 0
        family_start = time.monotonic()
        family_failures = sum(failures.values())
        for index in range(first, first + counts[family]):
            rng = random.Random(f"{args.seed}:{family}:{index}")
            try:
                payload, action = build(rng)
            except Exception as error:  # a bug of the fuzzer, not of crashmap
                raise RuntimeError(f"building {family} {index} failed") from error
            outcome = runner.run(family, index, action, args.timeout)
            inputs += 1
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, f"{family} {index}")
            if outcome.seconds > args.timeout / 4 and outcome.failure is None:
                print(f"  slow: {family} {index} took {outcome.seconds:.1f} s", file=sys.stderr)
            if outcome.failure is not None:
                record(outcome.signature or "?", family, index, payload, outcome.failure)
            if inputs % 1000 == 0:
                print(f"  {inputs} inputs, {sum(failures.values())} failures, "
                      f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        print(f"{family}: {counts[family]} inputs, {sum(failures.values()) - family_failures} "
              f"failures, {time.monotonic() - family_start:.1f} s", file=sys.stderr, flush=True)

    if cli:
        family_start = time.monotonic()
        family_failures = sum(failures.values())
        first = args.index if args.index is not None else 0
        for index in range(first, first + cli):
            rng = random.Random(f"{args.seed}:command:{index}")
            began = time.monotonic()
            shown, failure, signature = command.run_one(rng, args.cli_timeout)
            inputs += 1
            if time.monotonic() - began > slowest[0]:
                slowest = (time.monotonic() - began, f"command {index}")
            if failure is not None:
                record(signature or "?", "command", index, shown, failure)
            if index % 100 == 99:
                print(f"  command: {index + 1} runs, {time.monotonic() - family_start:.0f} s",
                      file=sys.stderr, flush=True)
        print(f"command: {cli} runs, {sum(failures.values()) - family_failures} failures, "
              f"{time.monotonic() - family_start:.1f} s", file=sys.stderr, flush=True)

    for signature, count in failures.most_common():
        print(f"{count:6d}  {signature}  (e.g. {', '.join(examples[signature])})")
    print(f"slowest input: {slowest[1]} ({slowest[0]:.2f} s); {time.monotonic() - started:.0f} s "
          f"in all; failing inputs in {args.save}")
    print(f"fuzz: {inputs} inputs, {sum(failures.values())} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
