"""The command line reads the settings' engine setting of the scene's application (``nuke_engine`` for a ``.nk``)
as a running Nuke's scripted ``submit()`` and dialog do: with a workspace and without one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

from accsyn_dcc.cli import main


def dry_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, studio: Dict[str, Any]) -> str:
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "studio.json").write_text(json.dumps(studio))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    script = tmp_path / "comp.nk"
    script.write_text(f"Root {{\n first_frame 1\n last_frame 2\n}}\nWrite {{\n file {tmp_path}/out.%04d.exr\n}}\n")
    assert main(["submit", str(script), "--dry-run", "--allow-missing"]) == 0, capsys.readouterr().err
    return str(json.loads(capsys.readouterr().out)["engine"])


def test_nuke_engine_wins_over_the_newest_engine_for_the_extension(tmp_path, monkeypatch, capsys) -> None:
    engines = [{"code": code, "settings": {"filename_extensions": ".nk"}} for code in ("nuke-14", "nuke-15", "nuke-16")]
    studio = {"nuke_engine": "nuke-14", "workspace": {"engines": engines}}
    assert dry_run(tmp_path, monkeypatch, capsys, studio) == "nuke-14"


def test_nuke_engine_names_the_engine_when_no_workspace_is_known(tmp_path, monkeypatch, capsys) -> None:
    assert dry_run(tmp_path, monkeypatch, capsys, {"nuke_engine": "nuke-14"}) == "nuke-14"
