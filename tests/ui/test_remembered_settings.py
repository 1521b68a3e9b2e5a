"""The dialog's remembered choices: per user in the config folder, over the studio defaults, never beside the shot;
stored by ``SubmitChoices`` names and shapes (envs as names to values), the section written whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest
from test_dialog_mechanics import ScriptedHost
from test_dialog_spine import WORKSPACE, Backend, scanned

from accsyn_dcc.choices import REMEMBERED_FIELDS
from accsyn_dcc.config import ConfigError, load_settings
from accsyn_dcc.remembered import SETTINGS_KEY, RememberedSettings
from accsyn_dcc.session import SubmitChoices
from accsyn_dcc.ui.qt import QtCore
from accsyn_dcc.ui.submit_dialog import SubmitDialog

STUDIO_DEFAULTS = {"bucket_size": 10, "queue": "high", "input_conversion": "always", "envs": {"STUDIO": "1"}}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dict[str, Path]:
    """A studio file with defaults, a user file not yet written, and the shot folder as the working folder."""
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"defaults": STUDIO_DEFAULTS}))
    shot = tmp_path / "shot"
    shot.mkdir()
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "config" / "settings.json"))
    monkeypatch.chdir(shot)
    return {"studio": studio, "user": tmp_path / "config" / "settings.json", "shot": shot}


def open_dialog(qtbot: Any, backend: Backend) -> SubmitDialog:
    dialog = SubmitDialog(ScriptedHost(steps=5), connect=lambda: backend, settings=RememberedSettings.load(),
                          auto_start=False)  # fmt: skip
    qtbot.addWidget(dialog)
    dialog._workspace_loaded(WORKSPACE)
    return dialog


def created_queue(backend: Backend) -> str:
    return str(backend.created[-1].get("queue") or "")


def remembered(choices: SubmitChoices) -> Dict[str, Any]:
    return {name: getattr(choices, name) for name in REMEMBERED_FIELDS}


def test_the_dialog_remembers_what_it_submits_and_the_next_dialog_shows_it(qtbot: Any, files: Dict[str, Path]) -> None:
    backend = Backend()
    first = open_dialog(qtbot, backend)
    assert (first.choices().bucket_size, dict(first.choices().envs)) == (10, {"STUDIO": "1"})
    first.bucket_spin.setValue(3)
    first.filters_editor.set_text("ram:>64g")
    first.env_editor.set_values({"OCIO": "/tools/aces.ocio"})  # the studio's STUDIO removed
    first.env_editor.set_variable("NUKE_PATH", "/tools/gizmos", "linux")
    scanned(qtbot, first)
    qtbot.mouseClick(first.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: first.created_jobs != [], timeout=5000)
    submitted = first.choices()
    stored = json.loads(files["user"].read_text())[SETTINGS_KEY]
    assert set(stored) == {"bucket_size", "filters", "envs", "os_envs"}  # what differs from the defaults
    assert stored["envs"] == {"OCIO": "/tools/aces.ocio"}  # the studio's STUDIO stays removed
    assert stored["os_envs"] == {"linux": {"NUKE_PATH": "/tools/gizmos"}}
    assert created_queue(backend) == "high"  # the studio's, though this workspace lists no queues: not dropped

    second = open_dialog(qtbot, backend)
    assert remembered(second.choices()) == remembered(submitted)
    assert second.choices().input_conversion == "always"  # the studio's, not remembered: kept as it was
    assert json.loads(files["studio"].read_text()) == {"defaults": STUDIO_DEFAULTS}
    assert list(files["shot"].iterdir()) == []


def test_the_section_is_written_whole_so_a_removed_variable_stays_removed(files: Dict[str, Path]) -> None:
    settings = RememberedSettings.load()
    settings.remember({"bucket_size": 3, "envs": {"NUKE_PATH": "/tools/gizmos", "OCIO": "/tools/aces.ocio"}})
    settings.remember({"bucket_size": 3, "envs": {"OCIO": "/tools/aces.ocio"}})
    again = RememberedSettings.load()
    assert again.values["envs"] == {"OCIO": "/tools/aces.ocio"} and again.values["bucket_size"] == 3


def test_a_user_file_an_earlier_version_wrote_loads_with_its_envs_as_a_mapping(
    qtbot: Any, files: Dict[str, Path]
) -> None:
    files["user"].parent.mkdir()
    files["user"].write_text(json.dumps({SETTINGS_KEY: {"bucket_size": 4, "queue": "", "input_conversion": "",
                                                        "filters": "", "envs": [["A", "1"], ["B", "2"]]}}))  # fmt: skip
    assert load_settings().get(SETTINGS_KEY)["envs"] == {"A": "1", "B": "2"}
    dialog = open_dialog(qtbot, Backend())
    assert (dialog.choices().bucket_size, dict(dialog.choices().envs)) == (4, {"A": "1", "B": "2"})
    dialog.remembered.remember(dialog.session.remembered_changes(dialog.choices()))
    assert json.loads(files["user"].read_text())[SETTINGS_KEY]["envs"] == {"A": "1", "B": "2"}


def test_remembered_choices_belong_to_the_user_not_the_studio(files: Dict[str, Path]) -> None:
    files["studio"].write_text(json.dumps({SETTINGS_KEY: {"bucket_size": 10}}))
    with pytest.raises(ConfigError, match="submit: the dialog's remembered choices belong in a user's") as raised:
        load_settings()
    assert "\n" not in str(raised.value)


def test_unpersisted_settings_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    RememberedSettings({"engine": "nuke-16"}, persist=False).remember({"engine": "nuke-15"})
    assert not (tmp_path / "settings.json").exists()


def test_a_settings_folder_that_cannot_be_written_is_said_and_never_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the settings folder should be")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(blocker / "settings.json"))
    remembered = RememberedSettings({"engine": "nuke-16"})
    problem = remembered.remember({"engine": "nuke-15"})
    assert problem.startswith(f"Your choices could not be remembered ({blocker}") and problem.endswith(").")
    assert remembered.values["engine"] == "nuke-15"  # kept for this session


def test_a_studio_default_changed_later_reaches_an_artist_who_kept_it(qtbot: Any, files: Dict[str, Path]) -> None:
    """Only what the artist set apart from the defaults is remembered: a submit that kept the studio's filters,
    input conversion and envs does not pin them, so the studio's later values reach the next dialog."""
    backend = Backend()
    first = open_dialog(qtbot, backend)
    first.bucket_spin.setValue(3)
    scanned(qtbot, first)
    qtbot.mouseClick(first.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: first.created_jobs != [], timeout=5000)
    changed = {**STUDIO_DEFAULTS, "filters": "ram:>128g", "input_conversion": "never", "envs": {"STUDIO": "2"}}
    files["studio"].write_text(json.dumps({"defaults": changed}))
    second = open_dialog(qtbot, backend)
    chosen = second.choices()
    assert (chosen.bucket_size, chosen.filters, chosen.input_conversion) == (3, "ram:>128g", "never")
    assert dict(chosen.envs) == {"STUDIO": "2"}
    assert json.loads(files["user"].read_text())[SETTINGS_KEY]["bucket_size"] == 3
