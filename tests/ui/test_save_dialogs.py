"""Saving from the TUI: the export text (Export, ``s``) and the snapshot (``s`` on the map) go
through one dialog flow (issue 12 items 1 and 10).

- A new file is written at once; an existing one only after ``y`` in the one confirm dialog
  (``n`` and Escape keep it; Enter is no answer), the same dialog for both saves.
- Whatever the path (a directory, a missing folder, a read-only folder, a full disk, a ``~user``
  that does not exist...), the app keeps running, the plan stays, and the dialog stays open and
  says why in one line.
- After ``s``, Enter, ``n`` in Export the file name is not left focused and selected, so the next
  ``s`` is the Save key again and Enter cannot write ``./s``.
- The confirm dialog takes no key before it has been drawn.

Each path runs against the real map, real keys and the real writer; a full disk and (as root,
who may write anywhere) a read-only folder are the writer's own system calls failing as the
kernel fails them (ENOSPC from fsync, EROFS from creating the temporary file).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from crashmap.snapshot import load_snapshot
from textual import events
from textual.widgets import Input, OptionList, Static

from tests.ui.conftest import make_app, settle

PRECIOUS = "precious\n"


class Save:
    """One of the two saves, driven by keys: where its name field and its one-line message are."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.field_id = "#export-path" if kind == "export" else "#path-input"
        self.message_id = "#export-status" if kind == "export" else "#path-hint"

    async def open(self, pilot, app) -> object:  # noqa: ANN001
        if self.kind == "export":
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("s")  # first s: to the file name
        else:
            await pilot.press("s")
        await pilot.pause()
        self.dialog = app.screen
        return self.dialog

    def field(self) -> Input:
        return self.dialog.query_one(self.field_id, Input)

    def message(self) -> str:
        return str(self.dialog.query_one(self.message_id, Static).content)

    async def submit(self, pilot, app, path: str | Path) -> None:  # noqa: ANN001
        field = self.field()
        assert self.dialog.focused is field
        field.value = str(path)
        await pilot.press("enter")
        await settle_save(pilot, app)

    def written(self, path: Path, app) -> bool:  # noqa: ANN001
        """``path`` holds what this save writes."""
        if self.kind == "export":
            return path.read_text() == self.dialog.text
        return load_snapshot(path).iomem == app.snapshot.iomem


async def settle_save(pilot, app) -> None:  # noqa: ANN001
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete() if not is_confirm(app) else None
    await pilot.pause()


def is_confirm(app) -> bool:  # noqa: ANN001
    return type(app.screen).__name__ == "ConfirmOverwrite"


KINDS = ["export", "snapshot"]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_new_file_is_written(kind: str, tmp_path: Path) -> None:
    save, target = Save(kind), tmp_path / "new.out"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await save.open(pilot, app)
        await save.submit(pilot, app, target)
        assert not is_confirm(app) and save.written(target, app)
        if kind == "snapshot":  # done: back to the map, which says where it went
            assert app.screen is app.main_screen
            assert any(str(target) in n.message for n in app._notifications)
        else:
            assert str(target) in save.message() and "Saved" in save.message()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("answer", ["y", "n", "escape"])
async def test_an_existing_file_is_replaced_only_after_yes(kind: str, answer: str,
                                                          tmp_path: Path) -> None:
    save, target = Save(kind), tmp_path / "existing.out"
    target.write_text(PRECIOUS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        plan = app.plan
        dialog = await save.open(pilot, app)
        await save.submit(pilot, app, target)
        assert is_confirm(app)  # the same dialog for both saves
        shown = " ".join(str(label.content) for label in app.screen.query("Label"))
        assert str(target) in shown and "y" in shown and "n" in shown
        await pilot.press("enter")  # Enter is not an answer
        await pilot.pause()
        assert is_confirm(app) and target.read_text() == PRECIOUS
        await pilot.press(answer)
        await settle_save(pilot, app)
        assert not is_confirm(app)
        if answer == "y":
            assert save.written(target, app)
        else:
            assert target.read_text() == PRECIOUS
            assert app.screen is dialog  # the dialog stays, saying the file was kept
            assert "kept" in save.message() and str(target) in save.message()
        assert app.is_running and app.plan == plan


def _directory(tmp: Path) -> Path:
    return tmp


def _missing_folder(tmp: Path) -> Path:
    return tmp / "no" / "such" / "file.out"


def _unknown_user(tmp: Path) -> str:
    return "~no-such-user-crashmap/file.out"


def _read_only(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
    else:  # root writes through permissions: the folder is on a read-only mount instead
        import tempfile

        real = tempfile.mkstemp

        def mkstemp(*args: object, dir: object = None, **kwargs: object) -> object:
            if dir is not None and Path(str(dir)) == folder:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            return real(*args, dir=dir, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return folder / "file.out"


def _full_disk(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    return tmp / "file.out"


BAD: dict[str, Callable[..., object]] = {
    "directory": _directory, "missing folder": _missing_folder, "unknown user": _unknown_user,
    "read-only folder": _read_only, "full disk": _full_disk,
}
WHY = {"directory": "directory", "missing folder": "does not exist", "unknown user": "user",
       "read-only folder": os.strerror(errno.EROFS) if os.geteuid() == 0 else "ermission",
       "full disk": os.strerror(errno.ENOSPC)}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", BAD)
async def test_a_bad_path_keeps_the_app_and_the_dialog(kind: str, bad: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    save = Save(kind)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.main_screen.apply(app.plan.with_size("main", 320 << 20, app.arch))  # an edited plan
        plan = app.plan
        dialog = await save.open(pilot, app)
        maker = BAD[bad]
        target = maker(tmp_path, monkeypatch) if maker in (_read_only, _full_disk) \
            else maker(tmp_path)
        await save.submit(pilot, app, target)
        assert app.is_running and app.screen is dialog and not is_confirm(app)
        message = save.message()
        assert message.startswith("Not saved") and WHY[bad] in message, message
        assert "\n" not in message
        assert save.field().value == str(target)  # what was typed stays, to be corrected
        assert app.plan == plan
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["ro"])  # nothing left behind


@pytest.mark.parametrize("kind", KINDS)
async def test_yes_then_a_failing_write_says_why(kind: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The file exists, the user says y, and then the disk is full: the file is as it was."""
    save, target = Save(kind), tmp_path / "existing.out"
    target.write_text(PRECIOUS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        dialog = await save.open(pilot, app)
        await save.submit(pilot, app, target)
        assert is_confirm(app)
        _full_disk(tmp_path, monkeypatch)
        await pilot.press("y")
        await settle_save(pilot, app)
        assert app.is_running and app.screen is dialog
        assert save.message().startswith("Not saved") and "No space" in save.message()
        assert target.read_text() == PRECIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.out"]


async def test_export_after_no_the_keys_work_again(tmp_path: Path) -> None:
    """s, Enter, n: the name is not left focused and selected; the next s goes back to it (its
    text intact) and Enter asks again, instead of s replacing the name and Enter writing ./s."""
    save, target = Save("export"), tmp_path / "existing.out"
    target.write_text(PRECIOUS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        dialog = await save.open(pilot, app)
        await save.submit(pilot, app, target)
        await pilot.press("n")
        await settle_save(pilot, app)
        field = save.field()
        assert dialog.focused is not field
        assert isinstance(dialog.focused, OptionList)
        await pilot.press("s")
        await pilot.pause()
        assert dialog.focused is field and field.value == str(target)
        assert field.selection.is_empty  # nothing selected: a typed key does not replace it
        await pilot.press("enter")
        await settle_save(pilot, app)
        assert is_confirm(app)
        await pilot.press("escape")
        await settle_save(pilot, app)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.out"]  # no ./s anywhere
    assert not Path("s").exists()


@pytest.mark.parametrize("kind", KINDS)
async def test_the_confirm_dialog_takes_no_key_before_it_is_drawn(kind: str,
                                                                  tmp_path: Path) -> None:
    """A key that reaches the dialog before its first frame (a fast typist on a loaded machine)
    must not answer a question nobody has seen; once drawn, it answers."""
    save, target = Save(kind), tmp_path / "existing.out"
    target.write_text(PRECIOUS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await save.open(pilot, app)
        save.field().value = str(target)
        seen: list[bool] = []
        real_push = app.push_screen

        def push_screen(screen: object, *args: object, **kwargs: object) -> object:
            result = real_push(screen, *args, **kwargs)  # type: ignore[arg-type]
            if type(screen).__name__ == "ConfirmOverwrite":
                seen.append(True)  # the very tick it is pushed, before any frame: y
                app.post_message(events.Key("y", "y"))
            return result

        app.push_screen = push_screen  # type: ignore[method-assign]
        await pilot.press("enter")
        for _ in range(100):
            if seen:
                break
            await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        assert seen and is_confirm(app)  # the early y did nothing
        assert target.read_text() == PRECIOUS
        assert app.screen.drawn  # now it is on the terminal, and now y answers
        await pilot.press("y")
        await settle_save(pilot, app)
        assert save.written(target, app)


async def test_export_escape_in_the_name_goes_back_to_the_formats() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        dialog = await Save("export").open(pilot, app)
        assert dialog.focused.id == "export-path"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog and isinstance(dialog.focused, OptionList)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen


@pytest.mark.parametrize("kind", KINDS)
async def test_editing_a_refused_name_clears_the_refusal(kind: str, tmp_path: Path) -> None:
    """The one-line reason is for the name it refused: once the name is edited it goes."""
    save = Save(kind)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await save.open(pilot, app)
        await save.submit(pilot, app, tmp_path)  # a directory: refused
        assert save.message().startswith("Not saved")
        await pilot.press("end", "x")
        await pilot.pause()
        assert save.field().value == f"{tmp_path}x"
        assert not save.message().startswith("Not saved"), save.message()
