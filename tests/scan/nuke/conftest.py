"""The shot fixture on disk for the offline reader's tests (tests/plugins/nuke gives the live scan the same)."""

import pytest

from nuke_fixtures import build_show


@pytest.fixture
def show(tmp_path):
    return build_show(tmp_path)
