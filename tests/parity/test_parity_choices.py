"""A studio ``defaults`` section setting every ``SubmitChoices`` field it may, by the record's own names and shapes,
gives the same choices to the Qt dialog, a scripted ``submit()`` and ``accsyn-dcc submit`` (Nuke's stand-in)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from parity import DEFAULTS, Studio, _scanned_dialog
from test_parity_nuke import write_script

from accsyn_dcc.choices import SETTINGS_FIELDS, SubmitChoices
from accsyn_dcc.cli import main
from accsyn_dcc.config import load_settings
from accsyn_dcc.session import SubmitSession

EVERY_DEFAULT = {**DEFAULTS, "engine": "nuke-16"}


@pytest.fixture
def script(studio: Studio, tmp_path: Path) -> Iterator[Path]:
    import nuke
    from nuke import _ui

    config = tmp_path / "studio.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "defaults": EVERY_DEFAULT}))
    _ui.reset()
    path = write_script(studio.root)
    nuke.scriptOpen(str(path))
    yield path
    _ui.reset()


def test_every_default_is_a_choice_the_settings_may_set() -> None:
    assert set(EVERY_DEFAULT) == set(SETTINGS_FIELDS)


def studio_part(choices: SubmitChoices) -> Dict[str, Any]:
    return {name: getattr(choices, name) for name in (*SETTINGS_FIELDS, "name", "range_text")}


def test_the_studio_defaults_give_the_same_choices_to_every_entry_point(
    qtbot: Any, studio: Studio, script: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accsyn_nuke import submit
    from accsyn_nuke.adapter import NukeHost

    prepared: List[SubmitChoices] = []
    prepare = SubmitSession.prepare
    monkeypatch.setattr(SubmitSession, "prepare",
                        lambda self, choices, *args, **kwargs: prepared.append(choices) or prepare(self, choices, *args,
                                                                                                 **kwargs))  # fmt: skip
    dialog = _scanned_dialog(qtbot, NukeHost(settings=load_settings().values), None)
    submit(dry_run=True)
    assert main(["submit", str(script), "--dry-run", "--json"]) == 0, capsys.readouterr().err
    dialog_choices, (scripted, command_line) = dialog.choices(), prepared
    expected = studio_part(dialog_choices)
    assert (expected["bucket_size"], expected["queue"], expected["transfer_speedlimit"]) == (3, "high", 20.0)
    assert (expected["envs"], expected["os_envs"]) == (DEFAULTS["envs"], DEFAULTS["os_envs"])
    assert expected["site_settings"] == {"hq": {"download": {"enable": "false"}, "upload": {"task_bucketsize": "1"}}}
    assert expected["mapped_share_paths"] == ({"remote": "/old/projects", "local": "share=projects"},)
    assert studio_part(scripted) == expected
    assert studio_part(command_line) == expected
