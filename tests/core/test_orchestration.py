"""One orchestration: the command line, a scripted submit and the dialogs' submit all run SubmitSession.prepare."""

from __future__ import annotations

import json
from typing import Any, List

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.preflight import PreflightError
from accsyn_dcc.scripted import scripted_submit
from accsyn_dcc.session import SubmitSession


@pytest.fixture
def prepared(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The scenes each ``prepare`` call checked."""
    calls: List[str] = []
    real = SubmitSession.prepare

    def recorded(self: SubmitSession, *args: Any, **kwargs: Any) -> Any:
        calls.append(self.host.scene_path() or "")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SubmitSession, "prepare", recorded)
    return calls


def scanned(script) -> SceneFileHost:
    """The scene file as a host that knows its range and outputs, as an open application would."""
    host = SceneFileHost(str(script))
    SubmitSession(host, offline=True).scan()
    return host


@pytest.fixture
def script(tmp_path, monkeypatch):
    root = tmp_path / "projects"
    (root / "shot").mkdir(parents=True)
    scene = root / "shot" / "comp.nk"
    scene.write_text("Root {\n inputs 0\n first_frame 1\n last_frame 2\n}\n"
                     f"Write {{\n file {root}/render/comp.%04d.exr\n file_type exr\n name Write1\n}}\n")  # fmt: skip
    studio = {"workspace": {"volumes": [{"code": "projects", "paths": {"linux": str(root)}}],
                            "engines": [{"code": "nuke-15", "settings": {"filename_extensions": ".nk"}}]}}  # fmt: skip
    (tmp_path / "studio.json").write_text(json.dumps(studio))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    return scene


def test_every_entry_point_checks_and_plans_through_prepare(script, prepared, capsys):
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 0
    [cli_payload] = json.loads(capsys.readouterr().out)["payloads"]
    [scripted_payload] = scripted_submit(scanned(script), engine="nuke-15", dry_run=True)
    assert prepared.count(str(script)) == 2
    assert cli_payload == scripted_payload


def test_a_stopped_prepare_carries_every_finding_notes_too(script, capsys):
    read = "Read {\n file /nowhere/plate.exr\n name Read1\n}\nWrite {"
    script.write_text(script.read_text().replace("Write {", read))
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 1
    codes = [finding["code"] for finding in json.loads(capsys.readouterr().out)["findings"]]
    assert "missing_dependency" in codes
    with pytest.raises(PreflightError) as stopped:
        scripted_submit(scanned(script), engine="nuke-15", dry_run=True)
    assert [finding.code for finding in stopped.value.findings] == ["missing_dependency"]
    assert [finding.code for finding in stopped.value.all_findings] == codes


def test_the_command_line_and_a_scripted_submit_run_the_steps_in_the_one_session_call(script, monkeypatch, capsys):
    """Workspace, starting choices, scan and prepare run inside ``prepare_in_one_call``, never in a caller's copy."""
    inside: List[bool] = []
    steps: List[tuple] = []
    real_call = SubmitSession.prepare_in_one_call

    def one_call(self: SubmitSession, *args: Any, **kwargs: Any) -> Any:
        inside.append(True)
        try:
            return real_call(self, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(SubmitSession, "prepare_in_one_call", one_call)
    for name in ("load_workspace", "starting_choices", "scan", "prepare"):
        real = getattr(SubmitSession, name)

        def step(self: SubmitSession, *args: Any, _name: str = name, _real: Any = real, **kwargs: Any) -> Any:
            steps.append((_name, bool(inside)))
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(SubmitSession, name, step)
    host = scanned(script)
    steps.clear()
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run"]) == 0
    scripted_submit(host, engine="nuke-15", dry_run=True)
    assert [name for name, _ in steps].count("prepare") == 2
    assert all(within for _, within in steps), steps


def test_no_engine_is_said_in_no_one_entry_points_words(script):
    """The session's sentence reaches the dialogs too: it names no command-line option."""
    from accsyn_dcc.errors import AccsynDccError
    from accsyn_dcc.session import SubmitChoices

    with pytest.raises(AccsynDccError) as raised:
        SubmitSession(SceneFileHost(str(script)), offline=True).plan(SubmitChoices())
    assert str(raised.value).startswith("engine: no engine is chosen") and "--" not in str(raised.value)
    assert "this script" in str(raised.value)  # in the host's words
