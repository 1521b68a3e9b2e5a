"""Nuke start-up files: the accsyn menu, and one clear message when the plugin cannot load."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

PLUGIN_DIR = Path(__file__).resolve().parents[3] / "plugins" / "nuke"


def test_menu_py_adds_the_accsyn_menu_with_both_commands(nuke_ui: Any) -> None:
    runpy.run_path(str(PLUGIN_DIR / "init.py"))
    runpy.run_path(str(PLUGIN_DIR / "menu.py"))
    accsyn = nuke_ui.menu("Nuke").findItem("accsyn")
    assert accsyn is not None
    names = [item.name() for item in accsyn.items()]
    assert names == ["Submit render...", "Submit selected Writes...", "Monitor jobs..."]
    assert nuke_ui._ui.shown == []


def test_menu_items_call_the_dialog_openers(nuke_ui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accsyn_nuke import commands, startup

    opened = []
    monkeypatch.setattr(commands, "open_dialog", lambda selected_only: opened.append(selected_only))
    startup.install_menu()
    nuke_ui.menu("Nuke").findItem("accsyn/Submit render...").invoke()
    nuke_ui.menu("Nuke").findItem("accsyn/Submit selected Writes...").invoke()
    assert opened == [False, True]


@pytest.mark.parametrize("gui", [True, False])
def test_failing_import_shows_one_message_and_start_up_goes_on(
    nuke_ui: Any, monkeypatch: pytest.MonkeyPatch, gui: bool
) -> None:
    nuke_ui._ui.set_gui(gui)
    from accsyn_dcc import plugin_start

    monkeypatch.setattr(plugin_start, "REQUIRED_MODULES", (*plugin_start.REQUIRED_MODULES, "accsyn_missing_dependency"))
    runpy.run_path(str(PLUGIN_DIR / "menu.py"))
    assert nuke_ui.menu("Nuke").findItem("accsyn") is None
    assert len(nuke_ui._ui.shown) == 1
    kind, text = nuke_ui._ui.shown[0]
    assert kind == ("message" if gui else "tprint")
    assert "could not load (missing: accsyn_missing_dependency)" in text and "install/install.py nuke" in text


def test_menu_start_up_imports_neither_qt_nor_requests(nuke_ui: Any) -> None:
    """Nuke's start-up stays instant: the heavy modules load at the first click, not when the menu is made."""
    import subprocess

    paths = [str(PLUGIN_DIR.parents[1] / "tests" / "fake_hosts"), str(PLUGIN_DIR)]
    heavy = ("qtpy", "requests", "PySide6", "accsyn_dcc.ui", "accsyn_dcc.api")
    code = (
        f"import sys; sys.path[:0] = {paths!r}; import runpy; "
        f"runpy.run_path({str(PLUGIN_DIR / 'init.py')!r}); runpy.run_path({str(PLUGIN_DIR / 'menu.py')!r}); "
        f"print(sorted(name for name in {heavy!r} if name in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip().splitlines()[-1] == "[]"


def test_init_py_survives_broken_start_up_helpers(nuke_ui: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import types

    monkeypatch.setitem(sys.modules, "accsyn_dcc_plugin_start", types.ModuleType("accsyn_dcc_plugin_start"))
    runpy.run_path(str(PLUGIN_DIR / "init.py"))
    assert "Nuke starts without it" in capsys.readouterr().out
