"""The default engine follows the running Nuke's major version; a setting overrides it."""

from __future__ import annotations

from typing import Any

import pytest

from accsyn_dcc.workspace import Engine

ENGINES = [Engine(code) for code in ("nuke-13", "nuke-14", "nuke-15", "nuke-16", "blender", "maya-2025")]


@pytest.mark.parametrize(("major", "expected"), [(16, "nuke-16"), (15, "nuke-15"), (13, "nuke-13"), (12, None)])
def test_engine_matches_the_running_major_version(nuke_ui: Any, major: int, expected: str) -> None:
    from accsyn_nuke.adapter import NukeHost

    nuke_ui._ui.set_version(major, 0, 1)
    assert NukeHost().default_engine(ENGINES) == expected


def test_dotted_engine_codes_match_too() -> None:
    from accsyn_dcc.hosts import engine_for_version

    engines = [Engine("nuke-16.0"), Engine("nuke-160"), Engine("nuke-15.1")]
    assert engine_for_version(engines, "nuke", 16) == "nuke-16.0"


def test_setting_overrides_the_version_choice(nuke_ui: Any) -> None:
    from accsyn_nuke.adapter import NukeHost

    assert NukeHost({"nuke_engine": "nuke-14"}).default_engine(ENGINES) == "nuke-14"
    assert NukeHost({"nuke_engine": "nuke-99"}).default_engine(ENGINES) == "nuke-16"  # unknown override ignored


def test_a_studio_nuke_engine_is_preselected_by_the_dialog_as_by_a_scripted_submit(
    nuke_ui: Any, qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from accsyn_dcc.ui.submit_dialog import SubmitDialog
    from accsyn_dcc.workspace import WorkspaceInfo
    from accsyn_nuke import commands
    from accsyn_nuke.adapter import NukeHost

    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"nuke_engine": "nuke-14"}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setattr(SubmitDialog, "start", lambda self: None)  # the workspace is given below
    dialog = commands.open_dialog(selected_only=False)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog._workspace_loaded(WorkspaceInfo(engines=ENGINES))
    assert dialog.engine() == "nuke-14"  # Nuke 16 is running; the studio says nuke-14

    from accsyn_dcc.config import load_settings

    assert NukeHost(settings=load_settings().values).default_engine(ENGINES) == "nuke-14"  # what batch.submit builds


def test_the_plugin_takes_its_row_of_the_host_table() -> None:
    from accsyn_dcc.host_table import host_of_scene
    from accsyn_nuke.adapter import NukeHost

    assert NukeHost.application is host_of_scene("a.nk")
    assert (NukeHost.host_name, NukeHost.engine_setting, NukeHost.words.output) == ("nuke", "nuke_engine", "Write")
