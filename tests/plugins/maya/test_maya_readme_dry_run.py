"""README's Maya example, as written: ``submit(layers=["fx"], dry_run=True)``.

It runs against the studio's offline workspace description, and with no workspace known at all
(no credentials, no description, nothing cached) it says so once and takes the engine ``maya``.
"""

from __future__ import annotations

import json
import logging

import pytest
from maya_loader import load
from maya_scene import layered_scene, write_ma

from accsyn_dcc.preflight import PreflightError


@pytest.fixture
def scene(tmp_path, monkeypatch):
    """The layered scene, opened in the stand-in Maya 2024, and nothing configured."""
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ACCSYN_DCC_STUDIO_CONFIG", raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    description = layered_scene(tmp_path)
    write_ma(description)
    load(description, {})
    return tmp_path


def test_the_readme_example_against_the_studio_description(scene, monkeypatch):
    studio = {"workspace": {"engines": [{"code": "maya-2023"},
                                        {"code": "maya-2024", "settings": {"default_bucketsize": 4}}],
                            "volumes": [{"code": "projects", "paths": {"linux": str(scene)}}]}}  # fmt: skip
    (scene / "studio.json").write_text(json.dumps(studio))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(scene / "studio.json"))
    from accsyn_maya import submit

    payloads = submit(layers=["fx"], dry_run=True)  # that layer's own range and cameras
    [payload] = payloads
    assert (payload["engine"], payload["range"], payload["settings"]["task_bucketsize"]) == ("maya-2024", "20-30", "4")
    assert payload["input"] == "share=projects/show/scenes/layers.ma"


def test_the_readme_example_with_no_workspace_known(scene, caplog):
    from accsyn_maya import submit

    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.scripted"):
        payloads = submit(layers=["fx"], dry_run=True)  # that layer's own range and cameras
    assert [(p["engine"], p["range"]) for p in payloads] == [("maya", "20-30")]
    assert caplog.text.count("no workspace is known") == 1


def test_the_dry_run_is_stopped_as_the_submit_is_also_from_the_cached_workspace(scene, credentials, monkeypatch):
    """The stand-in's shares are /mnt/projects and /mnt/library: this scene renders to neither."""
    from accsyn_maya import submit

    for name, value in (("ACCSYN_WORKSPACE", credentials.workspace), ("ACCSYN_API_USER", credentials.user),
                        ("ACCSYN_API_KEY", credentials.api_key), ("ACCSYN_PROXY", credentials.proxy)):  # fmt: skip
        monkeypatch.setenv(name, value)
    reasons = []
    for dry_run in (False, True):
        with pytest.raises(PreflightError) as stopped:
            submit(layers=["fx"], dry_run=dry_run)
        reasons.append(str(stopped.value))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_PROXY"):
        monkeypatch.delenv(name)
    with pytest.raises(PreflightError) as stopped:
        submit(layers=["fx"], dry_run=True)  # the workspace read above, from the cache
    reasons.append(str(stopped.value))
    assert reasons[0] == reasons[1] == reasons[2] and "share" in reasons[0]
