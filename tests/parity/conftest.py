"""The parity tests drive every host's plugin: the stand-in modules and each plugin's folder on the path."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
for folder in (
    TESTS / "fake_hosts",
    REPO / "plugins" / "nuke",
    REPO / "plugins" / "maya" / "scripts",
    REPO / "plugins" / "houdini" / "python",
    REPO / "plugins" / "blender",
    TESTS / "plugins" / "nuke",
    TESTS / "plugins" / "maya",
    TESTS / "plugins" / "houdini",
    TESTS / "scan" / "maya",
    TESTS / "scan" / "houdini",
    TESTS / "scan" / "blend",
):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from parity import Studio, make_studio  # noqa: E402  (beside this file; the paths above first)


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Studio]:
    """One studio config, its projects share and the stand-in accsyn seeded with its workspace."""
    yield from make_studio(tmp_path, monkeypatch)
