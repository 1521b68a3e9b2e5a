"""``accsyn-dcc submit`` runs the dialog's pre-flight: nothing is dropped, bad input ends in one line."""

from __future__ import annotations

import json
import socket
import time

import pytest

from accsyn_dcc.cli import main


@pytest.fixture
def shot(tmp_path, monkeypatch):
    """A studio on one volume, and a real .nk with one complete and one partly missing plate."""
    root = tmp_path / "projects"
    plates = root / "plates"
    plates.mkdir(parents=True)
    for frame in range(1, 5):
        (plates / f"bg.{frame:04d}.exr").write_bytes(b"exr")
    for frame in (1, 2):
        (plates / f"fg.{frame:04d}.exr").write_bytes(b"exr")
    script = root / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 4\n}\n"
        f"Read {{\n inputs 0\n file {plates}/bg.%04d.exr\n first 1\n last 4\n name ReadBG\n}}\n"
        f"Read {{\n inputs 0\n file {plates}/fg.%04d.exr\n first 1\n last 4\n name ReadFG\n}}\n"
        f"Read {{\n inputs 0\n file {root}/gone/matte.exr\n name ReadMatte\n}}\n"
        f"Write {{\n file {root}/render/comp.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    config = {
        "workspace": {
            "volumes": [{"code": "projects", "paths": {"linux": str(root), "windows": "P:"}}],
            "engines": [
                {"code": "nuke-15", "settings": {"filename_extensions": ".nk", "default_bucketsize": 2}},
                {"code": "blender", "settings": {"filename_extensions": ".blend"}},
            ],
        }
    }
    (tmp_path / "studio.json").write_text(json.dumps(config))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    return script


@pytest.mark.parametrize("dry_run", [True, False])
def test_missing_files_stop_the_submit_naming_node_path_and_frames(shot, capsys, monkeypatch, request, dry_run):
    if not dry_run:
        credentials = request.getfixturevalue("credentials")  # the stand-in backend's
        monkeypatch.setenv("ACCSYN_WORKSPACE", credentials.workspace)
        monkeypatch.setenv("ACCSYN_API_USER", credentials.user)
        monkeypatch.setenv("ACCSYN_API_KEY", credentials.api_key)
        monkeypatch.setenv("ACCSYN_PROXY", credentials.proxy)
    argv = ["submit", str(shot), "--engine", "nuke-15"] + (["--dry-run"] if dry_run else [])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"ReadFG.file: {shot.parent}/plates/fg.%04d.exr is missing frames 3-4" in err
    assert f"ReadMatte.file: {shot.parent}/gone/matte.exr is missing" in err
    assert "ReadBG" not in err


def test_allow_missing_sends_what_exists_and_says_what_was_left_out(shot, capsys):
    (shot.parent / "plates" / "bg_v001.0001.exr").write_bytes(b"an older version: never sent")
    argv = ["submit", str(shot), "--engine", "nuke-15", "--dry-run", "--allow-missing", "--json"]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    [payload] = document["payloads"]
    plates = "share=projects/plates"
    assert payload["dependencies"] == [f"{plates}/bg.{f:04d}.exr" for f in range(1, 5)] + [
        f"{plates}/fg.0001.exr",
        f"{plates}/fg.0002.exr",
    ]
    messages = [finding["message"] for finding in document["findings"]]
    assert any("missing frames 3-4. It is left out of the job." in message for message in messages)
    assert any("matte.exr is missing. It is left out of the job." in message for message in messages)
    assert "dependencies sync 6 files (18 bytes)" in document["summary"]


def test_json_carries_the_blockers_when_refused(shot, capsys):
    assert main(["submit", str(shot), "--engine", "nuke-15", "--dry-run", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["payloads"] == []
    assert {finding["code"] for finding in document["findings"] if finding["severity"] == "blocker"} == {
        "missing_dependency",
        "missing_frames",
    }


def test_a_folder_as_input_is_refused_in_one_line(shot, capsys):
    assert main(["submit", str(shot.parent), "--engine", "nuke-15", "--dry-run"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"accsyn-dcc submit: {shot.parent} is a folder; give the scene file to render."


def test_a_script_for_an_engine_of_other_files_is_refused(shot, capsys):
    assert main(["submit", str(shot), "--engine", "blender", "--dry-run", "--allow-missing"]) == 1
    wanted = "The engine 'blender' renders .blend files, not comp.nk; engines of the workspace that render it: nuke-15."
    assert wanted in capsys.readouterr().err


def test_relative_write_resolves_against_the_script_folder(shot, capsys):
    text = shot.read_text().replace(f"file {shot.parent}/render/comp.%04d.exr", "file render/comp.%04d.exr")
    shot.write_text(text)
    assert main(["submit", str(shot), "--engine", "nuke-15", "--dry-run", "--allow-missing"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == "share=projects/render"


def test_a_dry_run_with_credentials_reads_accsyn_and_ends_at_its_deadline_in_one_line(shot, capsys, monkeypatch):
    """A dry run is the submit minus the send: with credentials it reads the workspace, as the submit would."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    monkeypatch.setenv("ACCSYN_WORKSPACE", "demo")
    monkeypatch.setenv("ACCSYN_API_USER", "artist@example.com")
    monkeypatch.setenv("ACCSYN_API_KEY", "secret-key-never-printed")
    monkeypatch.setenv("ACCSYN_PROXY", f"127.0.0.1:{listener.getsockname()[1]}")
    monkeypatch.setenv("ACCSYN_DCC_DEADLINE", "1")
    started = time.monotonic()
    assert main(["submit", str(shot), "--engine", "nuke-15", "--dry-run", "--allow-missing"]) == 1
    assert time.monotonic() - started < 10
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert "secret-key-never-printed" not in captured.err
    listener.close()


@pytest.mark.parametrize(
    ("defaults", "named"),
    [
        ({"bucket_size": "ten"}, "'defaults.bucket_size' must be a whole number of 1 or more, not str 'ten'"),
        ({"envs": ["A=1"]}, "'defaults.envs' must be an object of variable names to text"),
        ({"mapped_share_paths": "x"}, "'defaults.mapped_share_paths' must be a list of {remote, local, os?}"),
        ({"bucket": 3}, "unknown key 'defaults.bucket'"),
        ({"task_bucketsize": 4}, "'defaults.task_bucketsize' is now 'defaults.bucket_size'"),
        ({"site": {"hq": {"settings": {"download": {"enable": "false"}}}}},
         "'defaults.site' is now 'defaults.site_settings'"),
        ({"envs": {"common": {"A": "1"}, "linux": {"B": "2"}}},
         "'defaults.envs' per OS is now 'defaults.envs' (its \"common\" variables) and 'defaults.os_envs'"),
        ({"max_tasks": 500}, "'defaults.max_tasks' is now 'max_tasks', at the top level"),
    ],
)
def test_a_wrong_studio_setting_is_one_line_naming_file_and_key(shot, tmp_path, capsys, defaults, named):
    config = json.loads((tmp_path / "studio.json").read_text())
    config["defaults"] = defaults
    (tmp_path / "studio.json").write_text(json.dumps(config))
    assert main(["submit", str(shot), "--engine", "nuke-15", "--dry-run"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"accsyn-dcc submit: {tmp_path / 'studio.json'}: ") and named in err
