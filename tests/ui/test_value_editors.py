"""The dialog's env editor takes per-OS variables (compute.rst's envs) and its site editor says, for the
``local`` site, what accsyn does there: upload sends the script and dependencies, download fetches results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_dialog_choices import make_dialog
from test_dialog_mechanics import ScriptedHost

from accsyn_dcc.ui.editors import EnvEditor, FiltersEditor, SiteSettingsEditor


def test_unticking_the_results_box_for_local_stops_the_download_of_results(qtbot: Any) -> None:
    sites = SiteSettingsEditor()
    qtbot.addWidget(sites)
    sites.set_values({"local": {}})
    assert "results" in sites.return_results.text().lower() and "download" in sites.return_results.text().lower()
    assert "upload" in sites.send_dependencies.text().lower()
    sites.return_results.setChecked(False)
    assert sites.values() == {"local": {"download": {"enable": "false"}}}
    sites.return_results.setChecked(True)
    sites.send_dependencies.setChecked(False)
    assert sites.values() == {"local": {"upload": {"enable": "false"}}}


def test_a_site_downloads_dependencies_and_uploads_results(qtbot: Any) -> None:
    sites = SiteSettingsEditor()
    qtbot.addWidget(sites)
    sites.set_values({"hq": {"upload": {"enable": "false"}}})
    assert not sites.return_results.isChecked() and sites.send_dependencies.isChecked()
    assert "upload" in sites.return_results.text().lower()
    sites.send_dependencies.setChecked(False)
    assert sites.values() == {"hq": {"upload": {"enable": "false"}, "download": {"enable": "false"}}}


def test_local_settings_read_back_as_the_artist_meant(qtbot: Any) -> None:
    sites = SiteSettingsEditor()
    qtbot.addWidget(sites)
    sites.set_values({"local": {"download": {"enable": "false"}}})  # no results fetched back to this computer
    assert not sites.return_results.isChecked() and sites.send_dependencies.isChecked()


def test_the_env_editor_keeps_variables_per_os(qtbot: Any) -> None:
    envs = EnvEditor()
    qtbot.addWidget(envs)
    envs.set_values({"OCIO": "/a.ocio"})
    envs.set_os_values({"linux": {"NUKE_PATH": "/x"}, "windows": {"NUKE_PATH": "X:\\x"}})
    assert envs.values() == {"OCIO": "/a.ocio"}
    assert envs.os_values() == {"linux": {"NUKE_PATH": "/x"}, "windows": {"NUKE_PATH": "X:\\x"}}
    envs.set_variable("NUKE_PATH", "/Volumes/x", "mac")
    assert envs.os_values()["mac"] == {"NUKE_PATH": "/Volumes/x"} and envs.values() == {"OCIO": "/a.ocio"}


@pytest.fixture
def per_os_studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "studio.json"
    path.write_text(json.dumps({"defaults": {"envs": {"A": "1"}, "os_envs": {"linux": {"NUKE_PATH": "/x"}}}}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(path))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user" / "settings.json"))


def test_the_dialog_shows_and_sends_the_studios_per_os_envs(qtbot: Any, per_os_studio: None) -> None:
    dialog = make_dialog(qtbot, ScriptedHost())
    assert dialog.env_editor.os_values() == {"linux": {"NUKE_PATH": "/x"}}
    dialog.env_editor.set_variable("NUKE_PATH", "X:\\x", "windows")
    choices = dialog.choices()
    assert dict(choices.envs) == {"A": "1"}
    assert choices.os_envs == {"linux": {"NUKE_PATH": "/x"}, "windows": {"NUKE_PATH": "X:\\x"}}


def test_the_filters_editor_shows_a_repeated_hostname_combined(qtbot: Any) -> None:
    filters = FiltersEditor()
    qtbot.addWidget(filters)
    filters.set_text("hostname:-ren01,ram:>32g,hostname:-ren02")
    assert filters.hosts_exclude.text() == "ren01 ren02" and filters.other.text() == ""
    assert filters.text() == "ram:>32g,hostname:-ren01-ren02"
