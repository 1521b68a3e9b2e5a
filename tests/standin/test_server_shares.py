"""``accsyn-dcc server --share CODE=FOLDER`` serves local folders, so the README's first submit of a local scene
goes through without a seed file of one's own; ``--seed FILE`` is checked and named in one line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.cli.server import share_lines
from accsyn_dcc.paths import current_os
from accsyn_dcc.standin import load_seed, share_folders


def _scene(projects: Path) -> Path:
    """A .nk in the projects folder that reads a plate there and writes beside it."""
    plates = projects / "sh010" / "plates"
    plates.mkdir(parents=True)
    for frame in (1, 2):
        (plates / f"bg.{frame:04d}.exr").write_bytes(b"exr")
    script = projects / "sh010" / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 2\n}\n"
        f"Read {{\n inputs 0\n file {plates}/bg.%04d.exr\n first 1\n last 2\n name Read1\n}}\n"
        f"Write {{\n file {projects}/sh010/render/comp.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    return script


@pytest.fixture
def server_lines(tmp_path) -> Iterator[List[str]]:
    """``accsyn-dcc server --port 0 --share projects=tmp/projects`` in a process of its own: its start-up lines."""
    (tmp_path / "projects").mkdir()
    command = [sys.executable, "-m", "accsyn_dcc", "server", "--port", "0", "--data", str(tmp_path / "data"),
               "--share", f"projects={tmp_path / 'projects'}"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: List[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl+C"):
                break
        else:
            pytest.fail(f"the server did not start: {process.stderr.read() if process.stderr else ''}")
        yield lines
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def test_the_readme_s_first_submit_of_a_local_scene_goes_through(server_lines, tmp_path, monkeypatch, capsys):
    printed: Dict[str, str] = dict(
        line.strip().split("=", 1) for line in server_lines if line.startswith("  ACCSYN_")
    )  # the variables the README says to export
    assert set(printed) == {"ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_PROXY"}
    assert f"Share 'projects' is {tmp_path / 'projects'}" in server_lines
    for name in ("ACCSYN_CREDENTIALS_PATH", "ACCSYN_DCC_STUDIO_CONFIG", "AS_DEV", "ACCSYN_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in printed.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    script = _scene(tmp_path / "projects")

    assert main(["submit", str(script), "--engine", "nuke-15"]) == 0
    assert capsys.readouterr().out.startswith("created job ")
    assert main(["jobs", "--json"]) == 0
    [job] = json.loads(capsys.readouterr().out)
    assert job["input"] == "share=projects/sh010/comp.nk"


def test_a_share_replaces_the_seed_s_volume_of_its_code_or_is_added(tmp_path):
    seed = load_seed()
    [projects] = [volume for volume in seed["volumes"] if volume["code"] == "projects"]
    served = share_folders(seed, {"projects": str(tmp_path), "plates": str(tmp_path / "plates")})
    by_code = {volume["code"]: volume for volume in served["volumes"]}
    assert by_code["projects"]["id"] == projects["id"]
    assert by_code["projects"]["paths"] == {**projects["paths"], current_os(): str(tmp_path)}
    assert by_code["plates"]["paths"] == {current_os(): str(tmp_path / "plates")}
    assert by_code["plates"]["default"] is False  # the seed's default volume stays the default
    assert len(by_code["plates"]["id"]) == 24
    assert projects["paths"][current_os()] != str(tmp_path)  # the seed read is left as it was
    assert set(by_code) == {"projects", "library", "plates"}


@pytest.mark.parametrize(
    "share, message",
    [
        ("projects", "--share projects: expected CODE=FOLDER, a code without / \\ : or spaces"),
        ("my/projects={tmp}", "--share my/projects={tmp}: expected CODE=FOLDER, a code without / \\ : or spaces"),
        ("projects={tmp}/nowhere", "--share projects={tmp}/nowhere: {tmp}/nowhere is not a folder"),
    ],
)
def test_a_bad_share_is_named_in_one_line(share, message, tmp_path, capsys):
    share, message = share.format(tmp=tmp_path), message.format(tmp=tmp_path)
    assert main(["server", "--port", "0", "--data", str(tmp_path / "data"), "--share", share]) == 1
    assert capsys.readouterr().err == f"accsyn-dcc server: {message}\n"


@pytest.mark.parametrize(
    "seed, message",
    [
        ([], 'a seed is a JSON object with a "workspace" code'),
        ({"workspace": "demo", "volumes": {"code": "projects"}}, '"volumes" is a list of objects'),
        ({"workspace": "demo", "queues": [{"code": "high"}]}, 'every entry of "queues" has an "id" and a "code"'),
    ],
)
def test_a_bad_seed_file_is_named_in_one_line(seed, message, tmp_path, capsys):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    assert main(["server", "--port", "0", "--data", str(tmp_path / "data"), "--seed", str(path)]) == 1
    assert capsys.readouterr().err == f"accsyn-dcc server: {path}: not a valid seed ({message})\n"


def test_the_start_up_lines_say_where_each_share_is(tmp_path):
    volumes = [
        {"code": "projects", "paths": {current_os(): str(tmp_path)}},
        {"code": "library", "paths": {current_os(): str(tmp_path / "nowhere")}},
        {"code": "archive", "paths": {}},
    ]
    assert share_lines(volumes) == [
        f"Share 'projects' is {tmp_path}",
        f"Share 'library' is {tmp_path / 'nowhere'}, not a folder here: --share library=FOLDER serves a local one",
        f"Share 'archive' has no path for {current_os()}: --share archive=FOLDER serves a local one",
    ]
