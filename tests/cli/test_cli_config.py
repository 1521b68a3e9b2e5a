"""``accsyn-dcc config``: the settings in effect with their sources, a studio file's problems by key, and the
offline workspace description written from the connected workspace (stand-in backend), never with the key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.config import load_settings
from accsyn_dcc.session import find_workspace

CREDENTIALS = ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_PROXY")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dict[str, Path]:
    """A studio file and a user file (with remembered choices); no credentials."""
    for name in (*CREDENTIALS, "ACCSYN_CREDENTIALS_PATH", "ACCSYN_DOMAIN", "ACCSYN_ORG"):
        monkeypatch.delenv(name, raising=False)
    studio, user = tmp_path / "studio.json", tmp_path / "user.json"
    studio.write_text(json.dumps({"defaults": {"queue": "studio-q", "filters": "ram:>8g"}, "hook_timeout": 3}))
    user.write_text(json.dumps({"defaults": {"queue": "mine"}, "submit": {"bucket_size": 4}}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(user))
    return {"studio": studio, "user": user}


def show_json(capsys: pytest.CaptureFixture[str]) -> Dict[str, Any]:
    assert main(["config", "show", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_show_names_the_source_of_each_setting(files: Dict[str, Path], monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("ACCSYN_API_KEY", "secret-key-0123456789")
    monkeypatch.setenv("ACCSYN_DCC_DEADLINE", "20")
    shown = show_json(capsys)
    assert shown["defaults.queue"] == {"value": "mine", "source": f"user file {files['user']}"}
    assert shown["defaults.filters"] == {"value": "ram:>8g", "source": f"studio file {files['studio']}"}
    assert shown["submit.bucket_size"] == {"value": 4, "source": "remembered"}
    assert shown["hook_timeout"] == {"value": 3, "source": f"studio file {files['studio']}"}
    assert shown["ACCSYN_DCC_DEADLINE"] == {"value": "20", "source": "environment"}
    assert shown["ACCSYN_API_KEY"] == {"value": "(set)", "source": "environment"}
    assert main(["config", "show"]) == 0
    text = capsys.readouterr().out
    assert f'defaults.queue = "mine"  (user file {files["user"]})' in text.splitlines()
    assert "secret-key" not in text


def test_show_gives_defaults_for_what_nothing_sets(files: Dict[str, Path], capsys: Any) -> None:
    files["studio"].write_text("{}")
    shown = show_json(capsys)
    assert shown["hook_timeout"] == {"value": 10.0, "source": "default"}
    assert shown["hook files run"]["value"] == []


def test_check_names_every_problem_by_its_key(tmp_path: Path, capsys: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"defaults": {"queue": 5, "colour": "red"}, "engines": [], "hooks": "x.py",
                               "hook_timeout": 0}))  # fmt: skip
    assert main(["config", "check", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith(f"{bad}: ") for line in lines)
    for key in ("engines belong under \"workspace\"", "'hooks' must be", "'hook_timeout' must be",
                "unknown key 'defaults.colour'", "'defaults.queue' must be"):  # fmt: skip
        assert any(key in line for line in lines), key


@pytest.mark.parametrize(
    ("defaults", "line"),
    [
        ({"task_bucketsize": 4}, "'defaults.task_bucketsize' is now 'defaults.bucket_size'"),
        ({"site": {"hq": {"download": {"enable": "false"}}}}, "'defaults.site' is now 'defaults.site_settings'"),
        ({"envs": {"common": {"A": "1"}}}, "'defaults.envs' per OS is now 'defaults.envs' (its \"common\" variables) "
                                           "and 'defaults.os_envs'"),
        ({"max_tasks": 500}, "'defaults.max_tasks' is now 'max_tasks', at the top level"),
    ],
)  # fmt: skip
def test_check_names_an_old_key_and_the_one_that_replaced_it_in_one_line(
    tmp_path: Path, capsys: Any, defaults: Dict[str, Any], line: str
) -> None:
    old = tmp_path / "studio.json"
    old.write_text(json.dumps({"defaults": {"queue": "high", **defaults}}))
    assert main(["config", "check", str(old)]) == 1
    [said] = capsys.readouterr().out.splitlines()
    assert said.startswith(f"{old}: {line}")


def test_check_passes_every_default_in_the_choices_names_and_refuses_remembered_choices(
    tmp_path: Path, capsys: Any
) -> None:
    studio = tmp_path / "studio.json"
    defaults = {"engine": "nuke-15", "bucket_size": 5, "queue": "high", "filters": "ram:>32g", "input_conversion":
                "never", "envs": {"A": "1"}, "os_envs": {"linux": {"NUKE_PATH": "/x"}}, "site_settings":
                {"hq": {"upload": {"enable": "false"}}}, "transfer_speedlimit": -1,
                "mapped_share_paths": [{"remote": "/old", "local": "share=projects"}]}  # fmt: skip
    studio.write_text(json.dumps({"defaults": defaults, "max_tasks": 500}))
    assert main(["config", "check", str(studio)]) == 0
    studio.write_text(json.dumps({"defaults": defaults, "submit": {"bucket_size": 4}}))
    assert main(["config", "check", str(studio)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == (f"{studio}: submit: the dialog's remembered choices belong in a user's settings, not the "
                         "studio config (a studio presets choices under 'defaults')")


def test_check_reads_the_hooks_without_running_them(tmp_path: Path, capsys: Any) -> None:
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"hooks": ["missing.py"], "workspace": {"engines": [{"code": "n",
                      "settings": {"default_bucketsize": "five"}}]}}))  # fmt: skip
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "broken.py").write_text("raise SystemExit('ran')\ndef check(plan)\n")
    assert main(["config", "check", str(studio)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert "'workspace' cannot be read: ValueError" in lines[0]
    assert "studio hook broken.py cannot be imported: SyntaxError" in lines[1]
    assert f"hooks: {tmp_path / 'missing.py'} cannot be read" in lines[2]


def test_check_passes_a_good_file(tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "studio.json"
    good.write_text(json.dumps({"defaults": {"engine": "nuke-15"}, "hooks": ["ok.py"], "hook_timeout": 2.5}))
    (tmp_path / "ok.py").write_text("def check(plan):\n    return []\n")
    assert main(["config", "check", str(good)]) == 0
    assert capsys.readouterr().out.strip() == f"{good}: no problems (1 hook file)"


def test_check_a_file_that_is_not_json(tmp_path: Path, capsys: Any) -> None:
    broken = tmp_path / "studio.json"
    broken.write_text("{")
    assert main(["config", "check", str(broken)]) == 1
    assert len(capsys.readouterr().out.strip().splitlines()) == 1


@pytest.fixture
def connected(credentials: Any, files: Dict[str, Path], monkeypatch: Any) -> Any:
    for name, value in zip(CREDENTIALS, (credentials.workspace, credentials.user, credentials.api_key,
                                         credentials.proxy)):  # fmt: skip
        monkeypatch.setenv(name, value)
    return credentials


def test_init_writes_the_workspace_into_the_user_file_without_the_key(
    connected: Any, files: Dict[str, Path], capsys: Any, monkeypatch: Any
) -> None:
    assert main(["config", "init"]) == 0
    assert str(files["user"]) in capsys.readouterr().out
    written = files["user"].read_text()
    assert connected.api_key not in written and "secret" not in written.lower()
    document = json.loads(written)
    assert document["defaults"] == {"queue": "mine"} and document["submit"] == {"bucket_size": 4}  # kept
    volumes = {volume["code"]: volume["paths"] for volume in document["workspace"]["volumes"]}
    assert volumes["projects"] == {"windows": "P:", "mac": "/Volumes/projects", "linux": "/mnt/projects"}
    assert "nuke-15" in [engine["code"] for engine in document["workspace"]["engines"]]
    assert set(document["workspace"]) == {"engines", "volumes", "sites", "queues"}
    for name in CREDENTIALS:
        monkeypatch.delenv(name)
    offline, origin = find_workspace(load_settings(), None)  # what a dry run without credentials checks
    online, _ = find_workspace(load_settings(), lambda: _client(connected))
    assert origin.known and offline.to_dict() == online.to_dict()


def test_init_into_a_studio_file(connected: Any, files: Dict[str, Path], tmp_path: Path, capsys: Any) -> None:
    studio = tmp_path / "new-studio.json"
    assert main(["config", "init", "--studio", str(studio)]) == 0
    assert main(["config", "check", str(studio)]) == 0
    assert connected.api_key not in studio.read_text()
    assert json.loads(files["user"].read_text()).get("workspace") is None


def test_init_without_credentials_is_one_line(files: Dict[str, Path], capsys: Any) -> None:
    assert main(["config", "init"]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert "workspace" not in json.loads(files["user"].read_text())


def _client(credentials: Any) -> Any:
    from accsyn_dcc.api import connect

    return connect(credentials)
