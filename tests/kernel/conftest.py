"""Session fixtures: every boot the selected matrix tests need, booted once, 2 at a time."""

from __future__ import annotations

import pytest

from tests.kernel.cases import Case
from tests.kernel.matrix import boot_all
from tests.kernel.qemu import qemu_available


@pytest.fixture(scope="session")
def kernel_boots(request, tmp_path_factory):
    """(layout, crashkernel words) → Boot (or the error of a failed boot), for the baselines
    and the boots of every selected case whose QEMU is installed."""
    selected = []
    for item in request.session.items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if isinstance(case, Case) and case not in selected and \
                qemu_available(case.layout.arch) is None:
            selected.append(case)
    return boot_all(selected, tmp_path_factory.mktemp("kernel-boots"))


def booted(boots, case: Case):
    """The baseline boot and the boot with the plan; skip when QEMU is missing."""
    reason = qemu_available(case.layout.arch)
    if reason:
        pytest.skip(reason)
    base, real = boots[(case.layout, "")], boots[(case.layout, case.crashkernel)]
    for boot in (base, real):
        if isinstance(boot, Exception):
            raise boot
    return base, real
