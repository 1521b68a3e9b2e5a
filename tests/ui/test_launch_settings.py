"""Opening the dialog from a host's menu gives the host the same settings as a scripted ``submit()``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from test_dialog_mechanics import ScriptedHost

from accsyn_dcc.ui.launch import open_submit_dialog
from accsyn_dcc.ui.submit_dialog import SubmitDialog


@pytest.mark.parametrize("key", ["nuke_engine", "maya_engine", "houdini_engine"])
def test_the_dialog_gives_the_host_the_same_settings_as_a_scripted_submit(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    from accsyn_dcc.config import load_settings

    path = tmp_path / "studio.json"
    path.write_text(json.dumps({key: "nuke-15"}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(path))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    monkeypatch.setattr(SubmitDialog, "start", lambda self: None)  # no workspace lookup: only the settings matter
    given: List[Dict[str, Any]] = []
    reports: List[str] = []

    def make_host(settings: Dict[str, Any]) -> ScriptedHost:
        given.append(settings)
        return ScriptedHost()

    dialog = open_submit_dialog(make_host, None, reports.append)
    assert reports == [] and dialog is not None
    qtbot.addWidget(dialog)
    dialog.close()
    assert given == [load_settings().values] and given[0][key] == "nuke-15"  # what the plugins' batch.submit gives
