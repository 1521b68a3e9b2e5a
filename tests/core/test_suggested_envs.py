"""The variables a scan calls for (the host row's ``plugin_path``: NUKE_PATH for gizmos) are set by the session for
every entry point alike, as each OS mounts the folders when they are on a share, and never over the caller's."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.paths import current_os
from accsyn_dcc.session import SubmitSession
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo


@pytest.fixture
def script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A script using a studio gizmo found on NUKE_PATH, under ``tmp_path/projects``."""
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    gizmos = tmp_path / "projects" / "tools" / "gizmos"
    gizmos.mkdir(parents=True)
    (gizmos / "StudioGlow.gizmo").write_text("Gizmo {\n}\n")
    monkeypatch.setenv("NUKE_PATH", str(gizmos))
    path = tmp_path / "projects" / "comp.nk"
    path.write_text(
        "Root {\n first_frame 1\n last_frame 2\n}\nStudioGlow {\n name StudioGlow1\n}\n"
        f"Write {{\n file {tmp_path}/projects/out/comp.%04d.exr\n name Write1\n}}\n"
    )
    return path


def session_for(script: Path, volumes: list) -> SubmitSession:
    workspace = WorkspaceInfo(engines=[Engine("nuke", settings=EngineSettings(items=True))], volumes=volumes)
    session = SubmitSession(SceneFileHost(str(script)), workspace=workspace)
    session.scan()
    return session


def test_a_command_line_dry_run_sets_nuke_path_for_the_gizmos_as_the_dialog_did(
    script: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["submit", str(script), "--engine", "nuke", "--dry-run"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["envs"]["NUKE_PATH"] == str(script.parent / "tools" / "gizmos")  # no share known: as found here


def test_on_a_share_each_os_gets_the_folder_where_it_mounts_the_share(script: Path) -> None:
    projects = Volume("projects", {current_os(): str(script.parent), "windows": "P:\\", "mac": "/Volumes/projects"})
    session = session_for(script, [projects])
    [payload] = session.payloads(session.starting_choices(engine="nuke"))
    envs = payload["envs"]
    assert envs["windows"]["NUKE_PATH"] == "P:\\tools\\gizmos"
    assert envs["mac"]["NUKE_PATH"] == "/Volumes/projects/tools/gizmos"
    assert envs[current_os()]["NUKE_PATH"] == str(script.parent / "tools" / "gizmos")
    assert "NUKE_PATH" not in envs.get("common", {})


def test_a_nuke_path_the_caller_set_is_kept(script: Path) -> None:
    session = session_for(script, [Volume("projects", {current_os(): str(script.parent)})])
    choices = session.starting_choices(engine="nuke")
    for chosen in (replace(choices, envs={"NUKE_PATH": "/studio/nuke"}),
                   replace(choices, os_envs={"linux": {"NUKE_PATH": "/studio/nuke"}})):  # fmt: skip
        [payload] = session.payloads(chosen)
        values = [section.get("NUKE_PATH") for section in payload["envs"].values() if isinstance(section, dict)]
        values += [payload["envs"].get("NUKE_PATH")] if isinstance(payload["envs"].get("NUKE_PATH"), str) else []
        assert [value for value in values if value] == ["/studio/nuke"]
