"""The dialog's remembered choices: per user in the config folder, over the studio defaults, never beside the shot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accsyn_dcc.remembered import SETTINGS_KEY, RememberedSettings


def test_user_choices_override_studio_defaults_and_removals_stick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({SETTINGS_KEY: {"bucket_size": 10, "queue": "high", "input_conversion": "always"}}))
    user = tmp_path / "config" / "settings.json"
    shot = tmp_path / "shot"
    shot.mkdir()
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(user))
    monkeypatch.chdir(shot)

    first = RememberedSettings.load()
    assert first.values["bucket_size"] == 10 and first.values["queue"] == "high"
    first.update(bucket_size=3, envs=[["NUKE_PATH", "/tools/gizmos"], ["OCIO", "/tools/aces.ocio"]])
    first.update(envs=[["OCIO", "/tools/aces.ocio"]])

    again = RememberedSettings.load()
    assert again.values["bucket_size"] == 3
    assert again.values["queue"] == "high"
    assert again.values["envs"] == [["OCIO", "/tools/aces.ocio"]]
    assert json.loads(studio.read_text())[SETTINGS_KEY]["bucket_size"] == 10
    assert list(shot.iterdir()) == []


def test_unpersisted_settings_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    RememberedSettings({"engine": "nuke-16"}, persist=False).update(engine="nuke-15")
    assert not (tmp_path / "settings.json").exists()


def test_a_settings_folder_that_cannot_be_written_is_said_and_never_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the settings folder should be")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(blocker / "settings.json"))
    remembered = RememberedSettings({"engine": "nuke-16"})
    problem = remembered.update(engine="nuke-15")
    assert problem.startswith(f"Your choices could not be remembered ({blocker}") and problem.endswith(").")
    assert remembered.values["engine"] == "nuke-15"  # kept for this session
