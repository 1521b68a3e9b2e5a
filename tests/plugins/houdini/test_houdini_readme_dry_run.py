"""README's Houdini example, as written: ``submit(rops=["/out/karma1"], dry_run=True)``.

It runs against the studio's offline workspace description, and with no workspace known at all
(no credentials, no description, nothing cached) it says so once and takes the engine ``houdini``.
"""

from __future__ import annotations

import json
import logging

import pytest
from hip_files import HipFile, Node
from hou_loader import load


@pytest.fixture
def scene(tmp_path, monkeypatch):
    """A scene with one Karma ROP, opened in the stand-in Houdini 20.5, and nothing configured."""
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ACCSYN_DCC_STUDIO_CONFIG", raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    hip = HipFile(tmp_path / "shot.hip", frame_range=(1, 48))
    hip.nodes.append(Node("/out/karma1", "karma", {"picture": ["$HIP/render/beauty.$F4.exr"], "trange": ["normal"],
                                                   "f": [1, 24, 1]}))  # fmt: skip
    hip.write()
    load(hip)
    return tmp_path


def test_the_readme_example_against_the_studio_description(scene, monkeypatch):
    studio = {"workspace": {"engines": [{"code": "houdini-19"}, {"code": "houdini-20"}],
                            "volumes": [{"code": "projects", "paths": {"linux": str(scene)}}]}}  # fmt: skip
    (scene / "studio.json").write_text(json.dumps(studio))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(scene / "studio.json"))
    from accsyn_houdini import submit

    payloads = submit(rops=["/out/karma1"], dry_run=True)  # that ROP's own range
    [payload] = payloads
    assert (payload["engine"], payload["range"], payload["output"]) == ("houdini-20", "1-24", "share=projects/render")


def test_the_readme_example_with_no_workspace_known(scene, caplog):
    from accsyn_houdini import submit

    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.scripted"):
        payloads = submit(rops=["/out/karma1"], dry_run=True)  # that ROP's own range
    assert [(p["engine"], p["range"]) for p in payloads] == [("houdini", "1-24")]
    assert caplog.text.count("no workspace is known") == 1
