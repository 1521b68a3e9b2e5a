"""The Nuke plugin tests run against the stand-in ``nuke`` package, with ``plugins/nuke`` on the path (and the
offline reader's ``nuke_fixtures``, whose shot the live scan is held to)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

TESTS = Path(__file__).resolve().parents[2]
PLUGIN_DIR = TESTS.parent / "plugins" / "nuke"
for folder in (TESTS / "fake_hosts", PLUGIN_DIR, TESTS / "scan" / "nuke"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from nuke_fixtures import build_show  # noqa: E402  (in tests/scan/nuke, put on the path above)


@pytest.fixture
def show(tmp_path):
    """The shot fixture on disk (the offline reader's, tests/scan/nuke), for the live scanner's tests."""
    return build_show(tmp_path)


@pytest.fixture
def nuke_ui() -> Iterator[Any]:
    """The stand-in ``nuke`` module with its UI half reset to a fresh Nuke 16.0v2 GUI session."""
    import nuke
    from nuke import _ui

    _ui.reset()
    yield nuke
    _ui.reset()


@pytest.fixture(autouse=True)
def script_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scripts here live at fictitious /mnt/projects paths: skip only the input-file check (tested on its own)."""
    import accsyn_dcc.session

    monkeypatch.setattr(accsyn_dcc.session, "check_input", lambda scene, engine, workspace=None: [])
