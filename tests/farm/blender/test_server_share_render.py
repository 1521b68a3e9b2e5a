"""The README's first submit of a local Blender scene renders on a stand-in started with ``--share`` and
``--run-jobs``: no seed file of one's own."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from typing import Dict

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.demo import build_demo_project

pytestmark = pytest.mark.blender


def test_a_local_blend_submitted_to_a_stand_in_serving_its_folder_renders(tmp_path, monkeypatch, capsys):
    projects = tmp_path / "projects"
    scene = build_demo_project(str(projects))
    command = [sys.executable, "-m", "accsyn_dcc", "server", "--port", "0", "--data", str(tmp_path / "data"),
               "--run-jobs", "--share", f"projects={projects}"]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        printed: Dict[str, str] = {}
        for line in server.stdout:
            if line.startswith("  ACCSYN_"):
                name, _, value = line.strip().partition("=")
                printed[name] = value
            if line.startswith("Press Ctrl+C"):
                break
        for name in ("ACCSYN_CREDENTIALS_PATH", "ACCSYN_DCC_STUDIO_CONFIG", "AS_DEV", "ACCSYN_DOMAIN"):
            monkeypatch.delenv(name, raising=False)
        for name, value in printed.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))

        assert main(["submit", scene, "--engine", "blender"]) == 0
        assert capsys.readouterr().out.startswith("created job ")
        deadline = time.monotonic() + 300
        while True:
            assert main(["jobs", "--all", "--json"]) == 0
            [job] = json.loads(capsys.readouterr().out)
            if job["status"] in ("done", "failed") or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert job["status"] == "done"
        assert sorted(path.name for path in (projects / "renders").iterdir()) == [
            f"beauty_000{frame}.png" for frame in (1, 2, 3)
        ]
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
