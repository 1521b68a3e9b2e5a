"""The dialog is a view over ``session.initial_choices``: studio defaults, remembered choices, host and engine."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from test_dialog_mechanics import SCENE_FOLDER, DownBackend, RangelessHost, ScriptedHost

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.remembered import RememberedSettings
from accsyn_dcc.scan.records import Output
from accsyn_dcc.ui.submit_dialog import SubmitDialog
from accsyn_dcc.workspace import Engine, EngineSettings, WorkspaceInfo

STUDIO_DEFAULTS = {
    "bucket_size": 7,
    "filters": "ram:>32g",
    "input_conversion": "never",
    "envs": {"OCIO": "/tools/aces.ocio"},
    "site_settings": {"hq": {"download": {"enable": "false"}}},
}
WORKSPACE = WorkspaceInfo(
    engines=[Engine("nuke-15"), Engine("nuke-16", settings=EngineSettings(default_range="1-50", default_bucketsize=5))]
)


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A studio file (filled by the test) and a private, empty user config."""
    path = tmp_path / "studio.json"
    path.write_text(json.dumps({"defaults": STUDIO_DEFAULTS}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(path))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user" / "settings.json"))
    return path


def make_dialog(qtbot: Any, host: Any, remembered: Optional[Dict[str, Any]] = None) -> SubmitDialog:
    settings = RememberedSettings(remembered, persist=False)
    dialog = SubmitDialog(host, connect=DownBackend, settings=settings, auto_start=False)
    qtbot.addWidget(dialog)
    return dialog


def chosen(choices: Any) -> tuple:
    """The choices the studio sets (the filters' statements in any order)."""
    filters = ",".join(sorted(choices.filters.split(",")))
    return (choices.bucket_size, filters, choices.input_conversion, dict(choices.envs), choices.site_settings)


def test_the_dialog_shows_the_studio_defaults_before_and_after_the_workspace(qtbot: Any, studio: Path) -> None:
    dialog = make_dialog(qtbot, ScriptedHost())
    expected = (7, "ram:>32g", "never", {"OCIO": "/tools/aces.ocio"}, {"hq": {"download": {"enable": "false"}}})
    assert chosen(dialog.session.initial_choices()) == expected
    assert chosen(dialog.choices()) == expected
    dialog._workspace_loaded(WORKSPACE)  # nuke-16's own bucket size (5) is below the studio's
    assert dialog.engine() == "nuke-16"
    assert chosen(dialog.choices()) == expected


def test_remembered_choices_layer_over_the_studio_and_nothing_is_lost(qtbot: Any, studio: Path) -> None:
    remembered = {"bucket_size": 3, "filters": "cores:>8,pool:+gpu,site:hq", "envs": {"A": "1"}}
    dialog = make_dialog(qtbot, ScriptedHost(), remembered)
    assert chosen(dialog.choices()) == chosen(dialog.session.initial_choices(remembered))
    assert (dialog.choices().bucket_size, dialog.choices().envs) == (3, {"A": "1"})
    assert (
        dialog.filters_editor.sites_include.text() == "hq"
        and dialog.filters_editor.other.text() == "cores:>8,pool:+gpu"
    )


def test_switching_engine_reapplies_only_what_the_artist_did_not_set(qtbot: Any, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    workspace = WorkspaceInfo(
        engines=[
            Engine("nuke-16", settings=EngineSettings(default_range="1-50", default_bucketsize=5)),
            Engine("nuke-15", settings=EngineSettings(default_range="1-20", default_bucketsize=2)),
        ]
    )
    dialog = make_dialog(qtbot, RangelessHost())
    dialog._workspace_loaded(workspace)
    assert (dialog.engine(), dialog.range_edit.text(), dialog.bucket_spin.value()) == ("nuke-16", "1-50", 5)
    dialog.bucket_spin.setValue(9)  # the artist's
    dialog.select_engine("nuke-15")
    assert (dialog.range_edit.text(), dialog.bucket_spin.value()) == ("1-20", 9)
    assert "bucket size 2" in dialog.engine_info.text()


class BinaryHipHost(ScriptedHost):
    host_name = "houdini"

    @property
    def host_version(self) -> str:
        return "20.5.370"

    def scene_path(self) -> Optional[str]:
        return os.path.join(SCENE_FOLDER, "shot.hip")

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return [Output("/out/karma1", os.path.join(SCENE_FOLDER, "out", "shot.$F4.exr"), FrameRange.parse("1001-1010"))]


def test_a_binary_hip_is_sent_without_input_conversion_unless_the_artist_picks_one(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    dialog = make_dialog(qtbot, BinaryHipHost())
    dialog._workspace_loaded(
        WorkspaceInfo(engines=[Engine("houdini-20", settings=EngineSettings(binary_filename_extensions=".hip"))])
    )
    assert dialog.choices().input_conversion == ""
    assert "input_conversion" not in dialog.payloads()[0]["parameters"]  # the session's rule, as the CLI sends
    dialog.conversion_combo.setCurrentText("auto")
    assert dialog.payloads()[0]["parameters"]["input_conversion"] == "auto"


def test_the_editors_give_back_what_they_cannot_show(qtbot: Any) -> None:
    from accsyn_dcc.ui.editors import FiltersEditor, SiteSettingsEditor

    filters = FiltersEditor()
    qtbot.addWidget(filters)
    filters.set_text("ram:<16g,hostname:-ren01-ren02,cores:>8,pool:~gpu,site:-dupp")
    assert filters.hosts_exclude.text() == "ren01 ren02" and filters.sites_exclude.text() == "dupp"
    assert filters.text() == "ram:<16g,hostname:-ren01-ren02,site:-dupp,cores:>8,pool:~gpu"
    sites = SiteSettingsEditor()
    qtbot.addWidget(sites)
    given = {"hq": {"common": {"transfer_speedlimit": "10", "retries": "3"}}, "la": {"upload": {"enable": "false"}}}
    sites.set_values(given)
    assert sites.current_site() == "hq" and sites.speed_limit.value() == 10 and sites.values() == given
    sites.speed_limit.setValue(-1)
    sites.send_dependencies.setChecked(False)
    assert sites.values() == {"hq": {"common": {"retries": "3"}, "download": {"enable": "false"}}, "la": given["la"]}
