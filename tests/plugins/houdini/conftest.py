"""The Houdini plugin tests run against the stand-in ``hou``, with ``plugins/houdini/python`` on the path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2]
for folder in (TESTS / "fake_hosts", TESTS.parent / "plugins" / "houdini" / "python", TESTS / "scan" / "houdini"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@pytest.fixture(autouse=True)
def empty_houdini():
    """A fresh, empty stand-in Houdini 20.5 session for each test."""
    import hou

    yield hou._reset()
    hou._reset()
