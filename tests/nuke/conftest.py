"""The shot fixture on disk, shared by the offline and live scanner tests."""

import pytest

from nuke_fixtures import build_show


@pytest.fixture
def show(tmp_path):
    return build_show(tmp_path)
