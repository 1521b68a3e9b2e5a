"""A payload we build resolves to the right paths on every render node, under the stock base's own rules.

The stock ``normalize_path`` ignores ``mapped_share_paths[].os`` (section 4.6), so an entry whose
``remote`` is a volume's own path would rewrite a node's paths to another OS's: we never emit one.
"""

import importlib.util
import json

import pytest
from session_helpers import StubHost

import accsyn_dcc.paths
from accsyn_dcc.config import Settings
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import Volume, WorkspaceInfo
from engine_helpers import STOCK

OS_NAMES = ("windows", "mac", "linux")
ROOTS = {"windows": "P:", "mac": "/Volumes/projects", "linux": "/proj"}
PROJECTS = Volume("projects", dict(ROOTS), id="v1", default=True)


def native(os_name, rest):
    root = ROOTS[os_name]
    return root + "\\" + rest.replace("/", "\\") if os_name == "windows" else f"{root}/{rest}"


def stock_node(tmp_path, monkeypatch, node_os, payload):
    spec = importlib.util.spec_from_file_location("stock_common_for_paths", STOCK / "common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.Common, "get_os", staticmethod(lambda: node_os))
    data = {
        "compute": payload,
        "client": {"config": {"sharepaths": []}},
        "shares": [{"id": "v1", "code": "projects", "default": True, "paths": dict(ROOTS)}],
        "site": {"code": "hq"},
    }
    path = tmp_path / f"data_{node_os}.json"
    path.write_text(json.dumps(data))
    node = module.Common(["engine.py", str(path)])
    node.load()
    return node


def build_payload(monkeypatch, submitter_os, scene, local_share_paths=None):
    monkeypatch.setattr(accsyn_dcc.paths, "current_os", lambda: submitter_os)
    separator = "\\" if "\\" in scene else "/"
    output = Output("Write1", scene.rsplit("comp", 1)[0] + f"render{separator}comp.%04d.exr")
    host = StubHost(scene, outputs=[output], scan=ScanResult(scene))
    settings = Settings({"local_share_paths": local_share_paths or {}})
    session = SubmitSession(host, settings, workspace=WorkspaceInfo(volumes=[PROJECTS]))
    session.scan()
    [payload] = session.payloads(SubmitChoices(engine="nuke-15", range_text="1-2", outputs=(output,)))
    return payload


@pytest.mark.parametrize("node_os", OS_NAMES)
@pytest.mark.parametrize("submitter_os", OS_NAMES)
def test_input_and_output_resolve_on_every_node(tmp_path, monkeypatch, submitter_os, node_os):
    scene = native(submitter_os, "shots/sh010/comp/sh010_v001.nk")
    payload = build_payload(monkeypatch, submitter_os, scene)
    assert payload["input"] == "share=projects/shots/sh010/comp/sh010_v001.nk"
    assert "mapped_share_paths" not in payload["parameters"]
    assert payload["parameters"]["remote_os"] == submitter_os
    node = stock_node(tmp_path, monkeypatch, node_os, payload)
    assert node.normalize_path(payload["input"]) == native(node_os, "shots/sh010/comp/sh010_v001.nk")
    assert node.normalize_path(payload["output"]) == native(node_os, "shots/sh010/render")
    # a path written inside the script on the submitter resolves through the volume's own prefixes
    assert node.normalize_path(native(submitter_os, "plates/bg.%04d.exr")) == native(node_os, "plates/bg.%04d.exr")


@pytest.mark.parametrize("node_os", OS_NAMES)
def test_an_old_mount_of_the_submitter_is_mapped_in_share_notation(tmp_path, monkeypatch, node_os):
    scene = "/mnt/oldproj/shots/sh010/comp/sh010_v001.nk"
    payload = build_payload(monkeypatch, "linux", scene, {"projects": "/mnt/oldproj"})
    assert payload["input"] == "share=projects/shots/sh010/comp/sh010_v001.nk"
    assert payload["parameters"]["mapped_share_paths"] == [{"remote": "/mnt/oldproj", "local": "share=projects"}]
    node = stock_node(tmp_path, monkeypatch, node_os, payload)
    assert node.normalize_path("/mnt/oldproj/plates/bg.%04d.exr") == native(node_os, "plates/bg.%04d.exr")


def test_control_entries_repeating_a_volumes_own_paths_break_a_stock_node(tmp_path, monkeypatch):
    """What payloads used to carry: on a Linux node the stock base rewrites its own path to Windows'."""
    payload = build_payload(monkeypatch, "windows", native("windows", "shots/a.nk"))
    payload["parameters"]["mapped_share_paths"] = [{"remote": "/proj", "local": "P:", "os": "windows"}]
    node = stock_node(tmp_path, monkeypatch, "linux", payload)
    node.data["shares"] = []  # as on a farm whose node knows the volume only through the payload
    assert node.normalize_path("/proj/shots/a.nk") == "P:/shots/a.nk"
