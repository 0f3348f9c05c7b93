"""crashmap.app.keys answers Textual's key-name questions exactly as Textual would."""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata

import crashmap.app
import pytest
from crashmap.app import keys
from textual import keys as textual_keys
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from tests.ui.conftest import make_app, settle


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def bound_bindings() -> list[Binding]:
    """Every binding of every Textual node class loaded once all of crashmap's app is imported."""
    for module in pkgutil.walk_packages(crashmap.app.__path__, "crashmap.app."):
        if module.name != "crashmap.app.screenshots":
            importlib.import_module(module.name)
    bindings = []
    for cls in _subclasses(DOMNode) | {App}:
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, tuple):
                binding = Binding(*binding)
            bindings.extend(Binding.make_bindings([binding]))
    return bindings


@pytest.mark.parametrize("name", sorted(keys.CHARACTERS))
def test_table_agrees_with_textual(name: str) -> None:
    assert keys.CHARACTERS[name] == textual_keys.key_to_character(name)


def test_every_bound_key_name_is_in_the_table() -> None:
    bindings = bound_bindings()
    assert len(bindings) > 50
    names = {b.key for b in bindings if len(b.key) > 1 and "+" not in b.key}
    assert names <= set(keys.CHARACTERS), sorted(names - set(keys.CHARACTERS))
    for binding in bindings:
        assert keys.key_to_character(binding.key) == textual_keys.key_to_character(binding.key)


def test_key_display_agrees_with_textual() -> None:
    shown = 0
    for binding in [*bound_bindings(), Binding("ctrl+p", "x", "y"), Binding("alt+ctrl+k", "x")]:
        display = keys.key_display(binding)
        if display is not None:
            shown += 1
            assert display == App.get_key_display(None, binding)  # type: ignore[arg-type]
    assert shown > 20


async def test_start_up_looks_up_no_character_names(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    lookup = unicodedata.lookup

    def recording(name: str) -> str:
        looked_up.append(name)
        return lookup(name)

    monkeypatch.setattr(unicodedata, "lookup", recording)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for widget in ("#tree", "#plan", "#finding-list"):
            app.screen.query_one(widget).focus()  # the binding chain is filtered again
            await pilot.pause()
            assert app.screen.active_bindings
        assert app.screen.query("KeyBar")
    assert looked_up == []
