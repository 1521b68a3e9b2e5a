"""The Nuke host adapter's facts and the scripted ``submit()``, on a small node graph given to the stand-in."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest
from nuke_script import SCRIPT, Graph, Knob
from session_helpers import StubScan

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.preflight import PreflightError
from accsyn_dcc.scan.records import Dependency, ScanResult
from accsyn_dcc.ui import job_watch
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo

WORKSPACE = WorkspaceInfo(
    engines=[Engine("nuke-15"), Engine("nuke-16", settings=EngineSettings(default_bucketsize=5))],
    volumes=[Volume("projects", {"linux": "/mnt/projects", "windows": "P:", "mac": "/Volumes/projects"})],
)


@pytest.fixture
def graph(nuke_ui: Any, monkeypatch: pytest.MonkeyPatch) -> Graph:
    built = Graph()
    built.install(nuke_ui, monkeypatch)
    return built


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live scanner's result for the graph (the scanner itself is tested with the scanner)."""
    from accsyn_nuke.adapter import NukeHost

    result = ScanResult(
        SCRIPT,
        dependencies=[Dependency("/mnt/projects/plate.%04d.exr", "read", "Read1", "file", True, "1001-1100")],
    )
    monkeypatch.setattr(NukeHost, "collect_scan", lambda self, frames, progress, cancelled: StubScan(result))


def test_adapter_reports_the_script_and_its_writes(graph: Graph, nuke_ui: Any) -> None:
    from accsyn_nuke.adapter import NukeHost

    host = NukeHost()
    assert host.scene_path() == SCRIPT and not host.is_modified()
    assert host.host_version == "16.0v2" and host.major_version == 16
    assert str(host.frame_range()) == "1001-1100"
    outputs = {output.node: output for output in host.outputs()}
    assert sorted(outputs) == ["Review.Write_MOV", "Write_EXR"]  # recursive, by full name, disabled skipped
    exr, mov = outputs["Write_EXR"], outputs["Review.Write_MOV"]
    assert (exr.path, exr.range, exr.views, exr.is_movie) == (
        "/mnt/projects/shot/out/comp.%04d.exr", None, ["left", "right"], False
    )  # fmt: skip  # no use_limit: the job's frames, as the offline scan says
    assert (str(mov.range), mov.file_type, mov.is_movie) == ("1001-1050", "mov", True)  # use_limit range
    assert [output.node for output in host.outputs(selected_only=True)] == ["Review.Write_MOV"]


def test_proxy_mode_renders_the_proxy_paths(nuke_ui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accsyn_nuke.adapter import NukeHost

    Graph(proxy=True).install(nuke_ui, monkeypatch)
    paths = {output.node: output.path for output in NukeHost().outputs()}
    assert paths["Write_EXR"] == "/mnt/projects/shot/proxy/comp.%04d.exr"
    assert paths["Review.Write_MOV"] == "/mnt/projects/shot/review/comp.mov"  # no proxy path: the full one


def test_save_goes_through_nuke_and_only_when_asked(graph: Graph, nuke_ui: Any) -> None:
    from accsyn_nuke.adapter import NukeHost

    graph.root.setModified(True)
    host = NukeHost()
    assert host.is_modified() and nuke_ui._ui.saved == []
    host.save_scene()
    assert nuke_ui._ui.saved == [None] and not host.is_modified()


def test_dry_run_submit_returns_the_payload(graph: Graph, scanned: None, tmp_path: Any, monkeypatch: Any) -> None:
    from accsyn_nuke import submit

    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("ACCSYN_API_KEY", "key-that-must-not-leak")
    [payload] = submit(writes=["Write_EXR"], range="1001-1010", dry_run=True, workspace=WORKSPACE)
    assert payload["engine"] == "nuke-16"  # matches the running Nuke 16
    assert payload["input"] == "share=projects/shot/comp_v003.nk"
    assert payload["output"] == "share=projects/shot/out"
    assert payload["range"] == "1001-1010" and payload["settings"]["task_bucketsize"] == "5"
    assert payload["parameters"]["writes"] == ["Write_EXR"]
    assert "dependencies" not in payload  # the scanned plate is not on this machine's disk: nothing to send
    assert "key-that-must-not-leak" not in json.dumps(payload)


def test_one_job_per_write_and_movies_in_one_bucket(
    graph: Graph, scanned: None, tmp_path: Any, monkeypatch: Any
) -> None:
    from accsyn_nuke import submit

    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    payloads = submit(dry_run=True, workspace=WORKSPACE, one_job_per_output=True, name="comp")
    summary = [(p["name"], p["range"], p["parameters"]["writes"], p["settings"]["task_bucketsize"]) for p in payloads]
    assert summary == [
        ("comp Write_EXR", "1001-1100", ["Write_EXR"], "5"),
        ("comp Review.Write_MOV", "1001-1050", ["Review.Write_MOV"], "50"),
    ]


def test_submit_sends_each_job_through_the_client(graph: Graph, scanned: None, tmp_path: Any, monkeypatch: Any) -> None:
    from accsyn_nuke import submit

    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    sent: List[Dict[str, Any]] = []

    class Client:
        def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
            sent.append(payload)
            return {"id": f"{len(sent):024x}"}

    created = submit(writes=["Write_EXR"], client=Client(), workspace=WORKSPACE)
    assert created == [{"id": f"{1:024x}"}] and sent[0]["engine"] == "nuke-16"
    assert f"{1:024x}" in job_watch.submitted_in_session()  # Nuke's job monitor announces its end, as a dialog's


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        ("modified", {}, "unsaved changes"),
        (None, {"engine": "nuke-99"}, "no engine 'nuke-99'"),
        (None, {"range": ""}, "frame range is empty"),
        ("outside", {}, "Write_EXR writes to /local/out.%04d.exr, which is on no accsyn share"),
    ],
)
def test_scripted_submit_raises_the_dialogs_checks(
    graph: Graph, scanned: None, tmp_path: Any, monkeypatch: Any, change: Optional[str], kwargs: Dict[str, Any],
    message: str,
) -> None:  # fmt: skip
    from accsyn_nuke import submit

    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    if change == "modified":
        graph.root.setModified(True)
    if change == "outside":
        graph.nodes[1]._knobs["file"] = Knob("/local/out.%04d.exr")
    with pytest.raises(PreflightError, match=message):
        submit(dry_run=True, workspace=WORKSPACE, **kwargs)
    assert graph.root.modified() == (change == "modified")  # never saved for the artist


def test_unknown_writes_and_options_are_named(graph: Graph, scanned: None) -> None:
    from accsyn_nuke import submit

    with pytest.raises(AccsynDccError, match="No enabled Write named Write9"):
        submit(writes=["Write9"], dry_run=True, workspace=WORKSPACE)
    with pytest.raises(AccsynDccError, match="unknown option"):
        submit(dry_run=True, workspace=WORKSPACE, colour="red")


@pytest.mark.parametrize("value", ["inf", float("-inf"), float("nan"), "1001x", None])
def test_a_root_range_that_is_not_a_whole_number_is_nuke_s_default(graph: Graph, value: Any) -> None:
    from accsyn_nuke.adapter import NukeHost

    graph.root._knobs["first_frame"] = Knob(value)
    assert str(NukeHost().frame_range()) == "1-100"


def test_a_scripted_submit_of_a_script_starting_below_0_renders_its_frames_from_0(
    graph: Graph, scanned: None, tmp_path: Any, monkeypatch: Any
) -> None:
    from accsyn_nuke import submit

    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    graph.root._knobs.update(first_frame=Knob(-10), last_frame=Knob(20))
    [payload] = submit(writes=["Write_EXR"], dry_run=True, workspace=WORKSPACE)
    assert payload["range"] == "0-20"
