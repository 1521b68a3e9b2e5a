"""Host adapters' shared behaviour: default engine choice and the scene-file adapter."""

from __future__ import annotations

from typing import List

import pytest

from accsyn_dcc.errors import AccsynDccError, ScanCancelled
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.naming import natural_sort_key
from accsyn_dcc.workspace import Engine, EngineSettings


def engines(*codes: str) -> List[Engine]:
    made = [
        Engine(code, settings=EngineSettings(filename_extensions=".nk" if "nuke" in code else "")) for code in codes
    ]
    return made


def test_natural_order_puts_nine_before_sixteen() -> None:
    assert sorted(["nuke-16", "nuke-9", "nuke-15.1"], key=natural_sort_key) == ["nuke-9", "nuke-15.1", "nuke-16"]


def test_scene_file_host_picks_the_newest_engine_for_its_extension(tmp_path: object) -> None:
    host = SceneFileHost("/mnt/p/shot.nk")
    assert host.default_engine(engines("nuke-9", "nuke-16", "nuke-15", "blender")) == "nuke-16"
    assert SceneFileHost("/mnt/p/shot.nk", "nuke-15").default_engine(engines("nuke-15", "nuke-16")) == "nuke-15"
    assert host.default_engine(engines("blender")) is None


def test_scene_file_host_never_saves_and_honours_cancel() -> None:
    host = SceneFileHost("/mnt/p/shot.nk")
    assert not host.is_modified()
    with pytest.raises(AccsynDccError, match="cannot be saved"):
        host.save_scene()
    with pytest.raises(ScanCancelled):
        host.collect_scan(None, lambda done, total: None, lambda: True)
