"""The live Houdini scan, adapter, scripted submit, shelf and menu, against the ``hou`` stand-in."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hip_files import must_show_hip
from hou_loader import load
from test_hip_reader import every_kind

from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "houdini"
ENVIRON = {"HFS": "/opt/hfs20.5", "ACCSYN_API_KEY": "never-printed"}


def records(result):
    return (
        sorted((dep.node, dep.knob, dep.path, dep.exists, dep.frames, dep.missing, dep.conditional, dep.needed,
                dep.condition) for dep in result.dependencies),
        sorted((item.node, item.knob, item.value, item.reason) for item in result.unresolved),
        [(output.node, output.path, output.range, output.file_type) for output in result.outputs],
        result.frame_range,
    )  # fmt: skip


def live_scan(**kwargs):
    from accsyn_houdini import live_scan as module

    snapshot = module.collect(**kwargs)
    snapshot.environ = dict(ENVIRON)
    return snapshot.finish()


def test_every_kind_same_records_live_and_offline(tmp_path):
    hip = every_kind(tmp_path)
    offline = scan_file(str(hip.write()), environ=ENVIRON)
    load(hip, {f"{tmp_path}/otls/studio_tool.hda": ["studio::scatter"],
               "/opt/hfs20.5/houdini/otls/OPlibSop.hda": ["alembic"]})  # fmt: skip
    live = live_scan()
    assert records(live) == records(offline)
    assert "never-printed" not in json.dumps(live.to_dict())


def test_must_show_scene_live(tmp_path, monkeypatch):
    monkeypatch.setenv("MYPKG", str(tmp_path))
    hip = must_show_hip(tmp_path)
    hip.write()
    load(hip)
    result = live_scan()
    [output] = result.outputs
    assert (output.node, output.path, str(output.range)) == (
        "/out/Redshift_ROP1",
        f"{tmp_path}/render/scene.Redshift_ROP1.$F4.exr",
        "1-48",
    )
    found = {dep.node: dep.exists for dep in result.dependencies}
    assert found == {"/obj/props/proxyA": True, "/obj/props/proxyB": False, "/ch/audio/file1": False}


def test_a_parm_houdini_cannot_read_is_a_finding_on_that_parm(tmp_path):
    import hou

    hip = every_kind(tmp_path)
    hip.write()
    load(hip)
    broken = hou.node("/obj/geo1/tree").parm("fileName")

    def fail() -> str:
        raise hou.OperationFailed("cook error")

    broken.unexpandedString = fail  # type: ignore[method-assign]
    result = live_scan()
    reasons = {(item.node, item.knob): item.reason for item in result.unresolved}
    assert reasons[("/obj/geo1/tree", "fileName")] == "Houdini could not read the parm (OperationFailed)"
    assert any(dep.node == "/obj/geo1/sim" for dep in result.dependencies)  # the scan went on


def test_scripted_submit_of_one_rop_takes_its_range(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    hip = every_kind(tmp_path)
    hip.write()
    load(hip)
    from accsyn_houdini import submit

    workspace = WorkspaceInfo(engines=[Engine("houdini-19"), Engine("houdini-20")],
                              volumes=[Volume("projects", {"linux": str(tmp_path)})])  # fmt: skip
    [payload] = submit(rops=["/out/geo_cache"], dry_run=True, workspace=workspace, allow_missing=True)
    assert payload["engine"] == "houdini-20" and payload["range"] == "1-10"
    assert payload["parameters"]["rops"] == ["/out/geo_cache"]
    assert payload["input"] == "share=projects/shot.hip"
    from accsyn_houdini.adapter import HoudiniHost

    hou_state = load(hip)
    hou_state.selected = ["/out/still", "/obj/geo1"]
    assert [output.node for output in HoudiniHost().outputs(selected_only=True)] == ["/out/still"]
    [merged] = submit(rops=["/out/all"], dry_run=True, workspace=workspace, allow_missing=True)
    assert merged["parameters"]["rops"] == ["/out/all"] and merged["range"] == "1-10"  # hython renders its chain


def test_shelf_and_render_menu_files_are_well_formed_and_open_the_dialog():
    shelf = ElementTree.parse(PLUGIN / "toolbar" / "accsyn.shelf").getroot()
    [tool, _monitor] = shelf.findall("tool")
    assert tool.get("label") == "Submit to accsyn"
    assert "accsyn_houdini.commands.open_dialog" in tool.find("script").text
    menu = ElementTree.parse(PLUGIN / "MainMenuCommon.xml").getroot()
    [item, _monitor_item] = menu.iter("scriptItem")
    assert item.find("label").text == "Submit to accsyn..."
    assert menu.find("menuBar/subMenu").get("id") == "render_menu"


def test_dialog_parents_to_houdinis_main_window_and_a_missing_module_is_one_message(qtbot, monkeypatch):
    import hou
    from accsyn_houdini import commands

    from accsyn_dcc import plugin_start
    from accsyn_dcc.ui.qt import QtWidgets

    main = QtWidgets.QMainWindow()
    qtbot.addWidget(main)
    hou.STATE.main_window = main
    monkeypatch.setattr(plugin_start, "REQUIRED_MODULES", ("accsyn_missing_dependency",))
    assert commands.open_dialog() is None
    assert hou.STATE.messages == [
        "accsyn: the submitter could not load (missing: accsyn_missing_dependency). "
        "Run 'python install/install.py houdini' from the accsyn-dcc folder, then restart Houdini."
    ]


@pytest.mark.parametrize("name", ["adapter", "batch", "commands", "live_scan"])
def test_modules_import_on_the_stand_in(name):
    __import__(f"accsyn_houdini.{name}")
