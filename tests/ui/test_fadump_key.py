"""d cycles the plan's fadump= (off → on → nocma, kdumpctl reset-crashkernel's --fadump values).

On ppc64le the plan's words carry the fadump= word and the map shows fadump's area instead of
the kdump block (arch/powerpc/kernel/prom.c early_init_devtree: reserve_crashkernel() only when
fadump_reserve_mem() fails; fadump.c places the area bottom-up above the boot memory). Elsewhere
the key gives the refusal the checks give (YaST kdump's words, yast-kdump src/modules/Kdump.rb),
and a plan that came with fadump= from its command line shows the check's error.
"""

from __future__ import annotations

from crashmap.app.app import CrashmapApp
from crashmap.app.widgets.key_bar import KeyBar
from crashmap.snapshot import Snapshot
from crashmap.units import GiB, MiB

from tests.ui.conftest import make_app, settle

PPC_16G = "00000000-3ffffffff : System RAM\n  00000000-01ffffff : Kernel code\n"


def ppc_app(cmdline: str = "ro crashkernel=1G") -> CrashmapApp:
    snapshot = Snapshot(iomem=PPC_16G, arch="ppc64le", cmdline=cmdline)
    return CrashmapApp(snapshot, source="ppc-16g")


def words(app: CrashmapApp) -> str:
    return app.main_screen.evaluation.cmdline


async def test_f_cycles_fadump_and_the_map_shows_its_area() -> None:
    app = ppc_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        assert words(app) == "crashkernel=1G"
        kdump = app.main_screen.evaluation.block("main")
        assert kdump is not None and kdump.start == 512 * MiB  # the LPAR base
        await pilot.press("d")
        await pilot.pause()
        assert app.plan.fadump == "on" and words(app) == "crashkernel=1G fadump=on"
        evaluation = app.main_screen.evaluation
        area = evaluation.block("fadump")
        assert evaluation.block("main") is None and area is not None
        assert area.start == 1 * GiB  # above the first 1 GiB of boot memory, not at 512M
        assert any(f.code == "fadump" for f in evaluation.findings)
        await pilot.press("d")
        await pilot.pause()
        assert words(app) == "crashkernel=1G fadump=nocma"
        await pilot.press("d")
        await pilot.pause()
        assert app.plan.fadump == "off" and words(app) == "crashkernel=1G"
        await pilot.press("u")
        await pilot.pause()
        assert app.plan.fadump == "nocma"  # undo covers it like every plan change


async def test_footer_and_palette_offer_it() -> None:
    from crashmap.app.commands import CrashmapCommands

    app = ppc_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        spans = {span.binding.action: span for span in bar.spans}
        assert "cycle_fadump" in spans and spans["cycle_fadump"].binding.key == "d"
        names = [name for name, _, _ in CrashmapCommands(app.screen)._commands()]
        entry = next(n for n in names if n.startswith("Cycle fadump="))
        assert "now off" in entry
        await pilot.click(bar, offset=(spans["cycle_fadump"].start + 1, 0))
        await pilot.pause()
        assert app.plan.fadump == "on"


async def test_export_carries_the_fadump_word() -> None:
    from crashmap.app.screens.export import ExportScreen
    from textual.widgets import TextArea

    app = ppc_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        text = app.screen.query_one("#export-preview", TextArea).text
        assert "fadump=on" in text and "crashkernel=1G" in text


async def test_elsewhere_the_key_shows_the_refusal() -> None:
    app = make_app()  # x86_64
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        assert "cycle_fadump" not in {span.binding.action for span in bar.spans}  # footer: no
        before = words(app)
        await pilot.press("d")  # the key (and the palette entry) still answer
        await pilot.pause()
        assert app.plan.fadump == "off" and words(app) == before
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("not supported on this hardware" in t for t in toasts)


async def test_a_command_line_with_fadump_off_ppc64le_shows_the_checks_error() -> None:
    app = make_app(cmdline="crashkernel=256M fadump=on")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.plan.fadump == "on"
        findings = app.main_screen.evaluation.findings
        assert any(f.code == "fadump-unsupported" and f.severity == "error" for f in findings)
        await pilot.press("d")  # cycles it off (on and nocma are skipped here)
        await pilot.pause()
        assert app.plan.fadump == "off" and words(app) == "crashkernel=256M"


async def test_estimate_screen_follows_the_plans_fadump_and_applies_it_back() -> None:
    from crashmap.app.screens.estimates import EstimatesScreen

    app = ppc_app("ro crashkernel=1G")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # fadump=on in the plan
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EstimatesScreen)
        assert screen.estimate.inputs.dump_mode == "fadump"
        suggestion = screen.estimate.suggestion
        assert suggestion.plan is not None and suggestion.plan.fadump == "on"
        await pilot.press("a")
        await pilot.pause()
        assert app.plan.fadump == "on" and words(app).endswith("fadump=on")
