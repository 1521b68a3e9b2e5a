"""The Maya plugin tests run against the stand-in ``maya`` package, with ``plugins/maya/scripts`` on the path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2]
for folder in (TESTS / "fake_hosts", TESTS.parent / "plugins" / "maya" / "scripts", TESTS / "scan" / "maya"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@pytest.fixture(autouse=True)
def empty_maya():
    """A fresh, empty stand-in Maya 2024 session for each test."""
    from maya import _scene

    yield _scene.reset()
    _scene.reset()
