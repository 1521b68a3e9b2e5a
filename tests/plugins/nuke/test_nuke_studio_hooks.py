"""Nuke's scripted ``submit()`` sends what the studio hooks make, and nothing when one fails (stand-in Nuke)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from hook_helpers import FAILURES, STUDIO_HOOK, studio_with_hooks
from nuke_script import Graph, Node
from session_helpers import Recorder, StubScan

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.scan.records import ScanResult
from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo

WORKSPACE = WorkspaceInfo(engines=[Engine("nuke-15")], volumes=[Volume("projects", {"linux": "/mnt/projects"})])



@pytest.fixture
def script(nuke_ui: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A saved script ``comp`` with a ``Write1`` on the share, scanned as holding no files."""
    from accsyn_nuke.adapter import NukeHost

    graph = Graph()
    graph.nodes.append(Node("Write", "Write1", file="/mnt/projects/shot/out/main.%04d.exr", file_type="exr"))
    graph.install(nuke_ui, monkeypatch)
    scan = StubScan(ScanResult(graph.root.knob("name").value()))
    monkeypatch.setattr(NukeHost, "collect_scan", lambda self, frames, progress, cancelled: scan)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))


def test_a_scripted_submit_sends_the_hooked_payload(script: None, tmp_path: Any, monkeypatch: Any, caplog: Any) -> None:
    studio_with_hooks(tmp_path, monkeypatch, {"20_studio.py": STUDIO_HOOK})
    from accsyn_nuke import submit

    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.scripted"):
        [job] = submit(writes=["Write1"], range="1-10", engine="nuke-15", client=recorder, workspace=WORKSPACE)
    [sent] = recorder.created
    assert job["id"] == "j1" and sent["name"].startswith("studio_")
    assert sent["filters"] == "ram:>16g" and sent["envs"]["STUDIO_HOOKED"] == "1"
    assert "studio saw 1 job(s)" in caplog.text


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_a_failing_hook_stops_a_scripted_submit_in_one_line(
    kind: str, script: None, tmp_path: Any, monkeypatch: Any
) -> None:
    source, words = FAILURES[kind]
    studio_with_hooks(tmp_path, monkeypatch, {f"50_{kind}.py": source}, hook_timeout=0.5)
    from accsyn_nuke import submit

    recorder = Recorder()
    with pytest.raises(AccsynDccError) as raised:
        submit(writes=["Write1"], range="1-10", engine="nuke-15", client=recorder, workspace=WORKSPACE)
    [line] = [line for line in str(raised.value).splitlines() if f"50_{kind}.py" in line]
    assert words in line
    assert recorder.created == []
