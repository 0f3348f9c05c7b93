"""``crashmap.kernel.params`` against a real Linux 7.3.4 boot: how ``next_arg()`` splits a line.

Observed (7.3.4, x86_64): ``Unknown kernel command line parameters "nokaslr zzq4 h =zzq5
zzq10"k l"m zzq1=a b zzq2=c d zzq3=e"f g" ==zzq6 zzq7= zzq8="`` for the line below. The kernel
prints the parameters it does not know and hands to init ("Unknown kernel command
line parameters ..."; init/main.c ``print_unknown_bootoptions()``): those without a value first
(``argv_init``), then ``name=value`` (``envp_init``, the ``=`` put back by
``repair_env_string()``), names with a ``.`` left out (module parameters), and nothing after
``--`` (init's arguments are added after the line is printed). So the printed line is what
``next_arg()`` made of each parameter, quotes and all, and crashmap's split must give it back.
"""

from __future__ import annotations

import re

import pytest
from crashmap.kernel.params import params

from tests.kernel.cases import Q2G, Case
from tests.kernel.conftest import booted
from tests.kernel.oracle import shows_misses
from tests.kernel.serial import reserved

TRICKY = ('zzq1="a b" "zzq2=c d" zzq3=e"f g" "zzq4 h" =zzq5 ==zzq6 zzq7="" zzq8= '
          'zzq9.mod="i j" zzq10"k l"m "--" zzq11 zzq12=n')
CASE = Case("next-arg-quotes", Q2G, TRICKY, "fail")  # no crashkernel= parameter: nothing
KNOWN = {"console", "panic", "quiet"}  # the layout's own parameters the kernel knows
_UNKNOWN = re.compile(r'Unknown kernel command line parameters "(.*)", will be passed to user '
                      r"space\.")


@pytest.mark.parametrize("case", [CASE], ids=lambda c: f"{c.layout.arch}-{c.id}")
def test_the_unknown_parameters_are_those_crashmap_splits(case: Case, kernel_boots) -> None:
    _, real = booted(kernel_boots, case)
    assert not shows_misses(case.shows, reserved(real, case.layout.arch))
    printed = _UNKNOWN.search(real.dmesg)
    assert printed, "the boot printed no 'Unknown kernel command line parameters' line"
    split = [p for p in params(case.cmdline, kernel_only=True)
             if p.name not in KNOWN and "." not in p.name]
    argv = [p.name for p in split if p.value is None]
    envp = [f"{p.name}={p.value}" for p in split if p.value is not None]
    assert printed.group(1) == " ".join(argv + envp)
    assert "zzq11" not in printed.group(1)  # the quoted "--" ended the kernel's parameters
    assert "zzq9" not in printed.group(1) and " j" not in printed.group(1)  # a module's, whole
