"""Every call accsyn-protocol.md section 5 lists, made by accsyn's own client at each pinned version, works.

The installed accsyn-python-api is used as it is; another pinned version is installed for the session with
``pip install --no-deps --target`` and imported from there in a subprocess (its own ``sys.path``), so both run
the same calls (``official_calls.py``) against the stand-in. Skipped only when the package registry is unreachable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from typing import Dict, NamedTuple, Optional

import pytest
from official_calls import CALLS

from accsyn_dcc.paths import current_os
from accsyn_dcc.standin import StandinServer, load_seed

CLIENT_VERSIONS = ("3.3.0", "3.4.0")
"""accsyn-python-api versions the stand-in answers (setup.cfg's test extras pin 3.4.0; the test installs 3.3.0)."""
ABSENT = {"3.3.0": ["create_replacing_duplicates", "logs"], "3.4.0": []}
"""Calls a version does not have."""
INSTALL_SECONDS = 180
CALLS_SECONDS = 120
UNREACHABLE = ("NewConnectionError", "Max retries exceeded", "Temporary failure in name resolution",
               "Network is unreachable", "Connection refused", "ConnectTimeout", "ReadTimeout")  # fmt: skip
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "official_calls.py")
PROJECTS, FOLDER, HOME, COLLECTION = (f"5f00000000000000000000{n}" for n in ("c8", "d0", "d1", "d2"))


class Client(NamedTuple):
    """Where a version of accsyn's client is imported from (None: the installed one), or why it cannot be."""

    folder: Optional[str]
    skip: Optional[str] = None


@pytest.fixture(scope="session")
def client_folders(tmp_path_factory) -> Dict[str, Client]:
    """Each pinned version, installed once per test session into a folder of its own unless it is the installed
    one; a version pip could not fetch because the registry is unreachable says why (its test is skipped)."""
    installed = metadata.version("accsyn-python-api")
    folders: Dict[str, Client] = {}
    for version in CLIENT_VERSIONS:
        if version == installed:
            folders[version] = Client(None)
            continue
        target = str(tmp_path_factory.mktemp(f"accsyn-python-api-{version}"))
        command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--disable-pip-version-check",
                   "--retries", "1", "--timeout", "30", "--target", target,
                   f"accsyn-python-api=={version}"]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_SECONDS)
        except subprocess.TimeoutExpired:
            folders[version] = Client(None, f"the package registry did not answer pip within {INSTALL_SECONDS} s")
            continue
        output = done.stdout + done.stderr
        if done.returncode and any(marker in output for marker in UNREACHABLE):
            folders[version] = Client(None, f"the package registry is unreachable: {output.strip().splitlines()[-1]}")
            continue
        assert done.returncode == 0, output
        folders[version] = Client(target)
    return folders


def _seed(tmp_path) -> str:
    """The demo seed with its ``projects`` volume in ``tmp_path/share/projects``, and a folder, a home and a
    collection on it."""
    seed = load_seed(None)
    root = tmp_path / "share" / "projects"
    root.mkdir(parents=True)
    for volume in seed["volumes"]:
        if volume["id"] == PROJECTS:
            volume["paths"] = {current_os(): str(root)}
    on_projects = {"parent": PROJECTS, "parent_hr": "projects", "status": "enabled"}
    seed["folders"] = [dict(on_projects, id=FOLDER, code="shots", name="Shots", path="shots")]
    seed["homes"] = [dict(on_projects, id=HOME, code="artist", user=seed["users"][0]["id"],
                          user_hr=seed["users"][0]["code"], path="home/artist")]  # fmt: skip
    seed["collections"] = [dict(on_projects, id=COLLECTION, code="review", name="Review", path="review")]
    (tmp_path / "seed.json").write_text(json.dumps(seed), encoding="utf-8")
    return str(root)


@pytest.mark.parametrize("version", CLIENT_VERSIONS)
def test_every_section_5_call_of_accsyn_s_own_client(version, client_folders, tmp_path):
    folder, skip = client_folders[version]
    if skip:
        pytest.skip(skip)
    root = _seed(tmp_path)
    with StandinServer(str(tmp_path / "data"), seed_path=str(tmp_path / "seed.json")) as server:
        user = server.seed["users"][0]
        env = {key: value for key, value in os.environ.items() if not key.startswith(("ACCSYN_", "AS_DEV"))}
        env.update(ACCSYN_WORKSPACE=server.workspace, ACCSYN_API_USER=user["code"], ACCSYN_API_KEY=user["api_key"],
                   ACCSYN_PROXY=f"127.0.0.1:{server.port}")  # fmt: skip
        if folder is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH")]))
        done = subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True, env=env,
                              cwd=str(tmp_path), timeout=CALLS_SECONDS)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["version"].split("-")[0] == version  # this version, not the installed one
    assert report["failed"] == {}
    assert report["absent"] == ABSENT[version]
    assert report["passed"] == [call.__name__ for call in CALLS if call.__name__ not in ABSENT[version]]
