"""The estimates screen with the peers' measured answers found in a report folder: the
``kdumpctl estimate`` row of a sosreport beside crashmap's kdumpctl model, the ``kdumptool
calibrate`` row of a supportconfig beside its SUSE model, compared again on a what-if."""

from __future__ import annotations

from pathlib import Path

import pytest
from crashmap.app.screens.estimates import EstimatesScreen
from crashmap.sources import load_source
from crashmap.units import format_size
from textual.widgets import Input, Static

from tests.cli.test_estimate_measured_cli import sosreport, supportconfig
from tests.ui.test_screens_estimates import Host
from tests.unit.test_peers_calibrate import KDUMPTOOL_OK
from tests.unit.test_peers_kdumpctl_estimate import RHEL8

M = 1 << 20


def text_of(screen: EstimatesScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.mark.asyncio
async def test_measured_row_from_a_sosreport_beside_the_models(tmp_path: Path) -> None:
    snapshot = load_source(str(sosreport(tmp_path, RHEL8)))
    screen = EstimatesScreen(snapshot, snapshot.arch)
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        row = text_of(screen, "#est-measured-kdumpctl-estimate")
        assert "kdumpctl estimate (run on the machine)" in row
        assert "192 MiB" in row and "crashkernel=192M" in row
        assert "the initramfs counted once: an older kdumpctl" in " ".join(row.split())
        assert "sos_commands/kdump/kdumpctl_estimate" in row
        # the report has no initrd: kdumpctl's measured kdump initramfs (26M) and modules (8M)
        # fill those inputs, so crashmap's model of kdumpctl runs; on 16 GiB today's
        # kdump-utils table says 256M where this older kdumpctl recommended 192M
        assert screen.estimate.inputs.initrd == 26 * M
        model = screen.estimate.model("kdumpctl")
        assert model.bytes == 256 * M
        assert "beside: crashmap's model" in " ".join(row.split())
        assert "measured 64 MiB less" in " ".join(row.split())
        assert screen.query_one("#est-measured-kdumpctl-estimate").border_title == "measured"
        assert not screen.query("#est-measured-kdumptool-calibrate")

        # give crashmap's model its inputs by a what-if... the row stays measured
        screen.query_one("#est-ram", Input).value = "64G"
        await pilot.pause()
        row = text_of(screen, "#est-measured-kdumpctl-estimate")
        assert "192 MiB" in row and "the what-if changes only crashmap's models" in row
        assert "what-if: ram" in text_of(screen, "#est-title")


@pytest.mark.asyncio
async def test_calibrate_row_and_its_comparison_follow_the_what_if(tmp_path: Path) -> None:
    snapshot = load_source(str(supportconfig(tmp_path, KDUMPTOOL_OK)))
    screen = EstimatesScreen(snapshot, snapshot.arch)
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        row = text_of(screen, "#est-measured-kdumptool-calibrate")
        assert "2.11 GiB" in row and "crashkernel=108M,low crashkernel=2048M,high" in row
        suse = screen.estimate.model("suse").bytes
        assert suse is not None and f"({screen.estimate.model('suse').title})" in row
        screen.query_one("#est-cpus", Input).value = "256"
        await pilot.pause()
        more = screen.estimate.model("suse").bytes
        assert more > suse  # the model follows the what-if; the measured row does not
        row = text_of(screen, "#est-measured-kdumptool-calibrate")
        assert "2.11 GiB" in row and "the what-if changes only" in row
        assert format_size(more) in " ".join(row.split())  # compared with the what-if's model


@pytest.mark.asyncio
async def test_e_in_the_app_on_a_sosreport_opens_the_estimates_with_the_measured_row(
        tmp_path: Path) -> None:
    from crashmap.app.app import CrashmapApp

    from tests.ui.conftest import settle
    from tests.unit.test_peers_kdumpctl_estimate import AZURE

    source = str(sosreport(tmp_path, AZURE))
    app = CrashmapApp(load_source(source), source=source)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, EstimatesScreen):
                break
        screen = app.screen
        assert isinstance(screen, EstimatesScreen)
        await pilot.pause()
        row = text_of(screen, "#est-measured-kdumpctl-estimate")
        assert "256 MiB" in row and "crashkernel=256M" in row and "mlx5_core" in row
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EstimatesScreen)
