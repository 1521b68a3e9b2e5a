"""Shared fixtures: a stand-in accsyn backend on 127.0.0.1 per test, and credentials for it."""

from __future__ import annotations

from typing import Iterator

import pytest
from standin_env import point_environment_at

from accsyn_dcc.credentials import Credentials
from accsyn_dcc.standin import StandinServer

DEMO_USER = "artist@example.com"
DEMO_KEY = "demo-0000-standin-key"


@pytest.fixture(autouse=True)
def workspace_cache(tmp_path_factory, monkeypatch) -> str:
    """Every test caches the last workspace read from accsyn in its own folder, never in the user's cache."""
    path = str(tmp_path_factory.mktemp("cache") / "last-workspace.json")
    monkeypatch.setenv("ACCSYN_DCC_WORKSPACE_CACHE", path)
    return path


@pytest.fixture
def standin(tmp_path) -> Iterator[StandinServer]:
    with StandinServer(str(tmp_path / "standin-data")) as server:
        yield server


@pytest.fixture
def credentials(standin: StandinServer) -> Credentials:
    return Credentials("demo", DEMO_USER, DEMO_KEY, proxy=f"127.0.0.1:{standin.port}")


@pytest.fixture
def official_env(standin: StandinServer, tmp_path, monkeypatch) -> StandinServer:
    """Environment for the unchanged official ``accsyn_api.Session()`` to talk to the stand-in."""
    point_environment_at(standin, monkeypatch)
    monkeypatch.chdir(tmp_path)
    return standin
