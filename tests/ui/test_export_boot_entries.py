"""ExportScreen: ``a`` switches the boot entries grubby and bls change between the running
kernel's (the default of ``kdumpctl reset-crashkernel`` without ``--kernel``: kdump-utils
``spec/kdumpctl_reset_crashkernel_spec.sh`` updates ``/boot/vmlinuz-$(uname -r)`` only) and every
entry (``--update-kernel=ALL``, grubby(8)); the footer shows the other choice, and the preview,
Copy and Save are exactly what ``crashmap.export`` produces for that choice."""

from __future__ import annotations

from crashmap.app.screens.export import ALL, RUNNING, ExportScreen
from crashmap.app.widgets.key_bar import KeyBar
from crashmap.export import export
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source
from textual.app import App
from textual.widgets import Static, TextArea

WORDS = "crashkernel=256M crashkernel=1G,cma"
RELEASE = "5.3.11-gentoo"  # the zenbook dump's kernel release
IMAGE = f"/boot/vmlinuz-{RELEASE}"


class Host(App[None]):
    def __init__(self, screen: ExportScreen) -> None:
        super().__init__()
        self.export_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.export_screen)


def preview(screen: ExportScreen) -> str:
    return screen.query_one("#export-preview", TextArea).text


def footer(screen: ExportScreen) -> dict[str, object]:
    """The footer's keys by description (drawn spans)."""
    return {span.binding.description: span for span in screen.query_one(KeyBar).spans}


def entry_line(screen: ExportScreen) -> str:
    entry = screen.query_one("#export-entry", Static)
    return str(entry.content) if entry.display else ""


async def test_a_switches_grubby_and_bls_between_the_running_kernel_and_all() -> None:
    snapshot = load_source("x86_64-laptop-zenbook")
    assert snapshot.kernel_release == RELEASE
    screen = ExportScreen(snapshot, WORDS, "x86_64")
    copied: list[str] = []
    app = Host(screen)
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]

    def expected(fmt: str, **options: str) -> str:
        return export(fmt, WORDS.split(), snapshot.cmdline, "x86_64", snapshot=snapshot,
                      **options).text

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # cmdline does not name a boot entry: no key, no line, and a does nothing
        assert "All boot entries" not in footer(screen) and entry_line(screen) == ""
        await pilot.press("a")
        await pilot.pause()
        assert screen.entries == RUNNING
        await pilot.press("down", "down")  # grub, grubby
        await pilot.pause()
        assert screen.fmt == "grubby"
        assert "All boot entries" in footer(screen)
        assert "Running kernel only" not in footer(screen)
        assert preview(screen) == expected("grubby")
        assert f"grubby --update-kernel={IMAGE} --args=" in preview(screen)
        assert entry_line(screen) == f"Boot entry: the running kernel's, {IMAGE}"

        await pilot.press("a")
        await pilot.pause()
        assert screen.entries == ALL
        assert preview(screen) == expected("grubby", update_kernel="ALL")
        assert "grubby --update-kernel=ALL --args=" in preview(screen)
        assert entry_line(screen) == "Boot entries: every one (--update-kernel=ALL)"
        assert "Running kernel only" in footer(screen) and "All boot entries" not in footer(screen)
        await pilot.press("c")
        assert copied == [expected("grubby", update_kernel="ALL")]  # Copy takes the choice

        await pilot.press("down")  # bls keeps the choice
        await pilot.pause()
        assert screen.fmt == "bls" and preview(screen) == expected("bls", update_kernel="ALL")
        assert "every /boot/loader/entries/*.conf" in preview(screen)

        bar = screen.query_one(KeyBar)
        span = footer(screen)["Running kernel only"]
        await pilot.click(bar, offset=(span.start + 1, 0))  # type: ignore[attr-defined]
        await pilot.pause()
        assert screen.entries == RUNNING
        assert preview(screen) == expected("bls")
        assert f"/boot/loader/entries/*-{RELEASE}.conf" in preview(screen)

        await pilot.press("end")  # json carries grubby's and bls's text and the entry
        await pilot.pause()
        assert screen.fmt == "json" and screen.result.data["update_kernel"] == IMAGE
        await pilot.press("a")
        await pilot.pause()
        assert screen.result.data["update_kernel"] == "ALL"
        assert screen.result.data["outputs"]["grubby"] == expected("grubby", update_kernel="ALL")


async def test_without_a_kernel_release_the_running_kernel_is_uname_r() -> None:
    cmdline = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=96M quiet"
    iomem = load_source("x86_64-laptop-zenbook").iomem  # its map, but no kernel release
    screen = ExportScreen(Snapshot(iomem=iomem, cmdline=cmdline, arch="x86_64"), WORDS, "x86_64")
    async with Host(screen).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen.fmt = "grubby"
        await pilot.pause()
        assert entry_line(screen) == "Boot entry: the running kernel's, /boot/vmlinuz-$(uname -r)"
        assert 'grubby --update-kernel="/boot/vmlinuz-$(uname -r)" --args=' in preview(screen)
        screen.fmt = "kickstart"  # %post runs in the installer: kickstart always edits ALL
        await pilot.pause()
        assert "All boot entries" not in footer(screen) and entry_line(screen) == ""


async def test_grub_puts_the_plan_in_grub_cmdline_linux_for_the_recovery_entries_too() -> None:
    """kdump-utils ``_update_kernel_arg_in_grub_etc_default`` edits ``GRUB_CMDLINE_LINUX``
    (spec/kdumpctl_general_spec.sh), which grub-mkconfig's 10_linux gives the normal and the
    recovery entries; ``GRUB_CMDLINE_LINUX_DEFAULT`` reaches the normal ones only, so the old
    words are dropped from both and the plan is added to the first alone."""
    snapshot = load_source("x86_64-laptop-zenbook")
    screen = ExportScreen(snapshot, WORDS, "x86_64")
    async with Host(screen).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert screen.fmt == "grub"
        text = preview(screen)
        assert text == export("grub", WORDS.split(), snapshot.cmdline, "x86_64",
                              snapshot=snapshot).text
        sets = [line for line in text.splitlines() if not line.startswith("#")]
        assert f'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX {WORDS}"' in sets
        assert not any(line.startswith("GRUB_CMDLINE_LINUX_DEFAULT=") and WORDS in line
                       for line in sets)
        assert "All boot entries" not in footer(screen) and entry_line(screen) == ""
