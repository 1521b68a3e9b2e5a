"""README's Nuke example, as written: ``submit(writes=["Write1"], range="1001-1100", dry_run=True)``.

It runs against the studio's offline workspace description, and with no workspace known at all
(no credentials, no description, nothing cached) it says so once and takes the engine ``nuke``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from nuke_script import Graph, Node
from session_helpers import StubScan

from accsyn_dcc.scan.records import ScanResult

STUDIO = {"workspace": {"engines": [{"code": "nuke-15"}, {"code": "nuke-16", "settings": {"default_bucketsize": 5}}],
                        "volumes": [{"code": "projects", "paths": {"linux": "/mnt/projects"}}]}}  # fmt: skip


@pytest.fixture
def script(nuke_ui: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in's script with a ``Write1``, scanned as holding no files, and nothing configured."""
    from accsyn_nuke.adapter import NukeHost

    graph = Graph()
    graph.nodes.append(Node("Write", "Write1", file="/mnt/projects/shot/out/main.%04d.exr", file_type="exr"))
    graph.install(nuke_ui, monkeypatch)
    scan = StubScan(ScanResult(graph.root.knob("name").value()))
    monkeypatch.setattr(NukeHost, "collect_scan", lambda self, frames, progress, cancelled: scan)
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ACCSYN_DCC_STUDIO_CONFIG", raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))


def test_the_readme_example_against_the_studio_description(script: None, tmp_path: Any, monkeypatch: Any) -> None:
    (tmp_path / "studio.json").write_text(json.dumps(STUDIO))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    from accsyn_nuke import submit

    payloads = submit(writes=["Write1"], range="1001-1100", dry_run=True)  # payloads only, offline
    [payload] = payloads
    assert payload["engine"] == "nuke-16" and payload["settings"]["task_bucketsize"] == "5"
    assert payload["output"] == "share=projects/shot/out" and payload["parameters"]["writes"] == ["Write1"]


def test_the_readme_example_with_no_workspace_known(script: None, caplog: pytest.LogCaptureFixture) -> None:
    from accsyn_nuke import submit

    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.scripted"):
        payloads = submit(writes=["Write1"], range="1001-1100", dry_run=True)  # payloads only, offline
    [payload] = payloads
    assert payload["engine"] == "nuke" and payload["range"] == "1001-1100"
    assert caplog.text.count("no workspace is known") == 1


def test_writes_of_which_one_has_no_range_of_its_own_render_the_scene_s_range(
    nuke_ui: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A limited Write's range is the job's only when every chosen Write has it: an unlimited one renders the
    script's whole range, so taking the limited one's would drop frames."""
    from accsyn_nuke import submit
    from accsyn_nuke.adapter import NukeHost

    graph = Graph()  # Write_EXR renders the script's 1001-1100, Review.Write_MOV is limited to 1001-1050
    graph.install(nuke_ui, monkeypatch)
    scan = StubScan(ScanResult(graph.root.knob("name").value()))
    monkeypatch.setattr(NukeHost, "collect_scan", lambda self, frames, progress, cancelled: scan)
    (tmp_path / "studio.json").write_text(json.dumps(STUDIO))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    [both] = submit(writes=["Write_EXR", "Review.Write_MOV"], dry_run=True)
    assert both["range"] == "1001-1100"
    [movie] = submit(writes=["Review.Write_MOV"], dry_run=True)
    assert movie["range"] == "1001-1050"
