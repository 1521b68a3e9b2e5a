"""The Maya adapter, scripted ``submit()``, shelf and Render menu, against the ``maya.cmds`` stand-in."""

from __future__ import annotations

import json

import pytest
from maya_loader import load
from maya_scene import layered_scene, write_ma

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.preflight import PreflightError
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo


@pytest.fixture
def shot(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("ACCSYN_API_KEY", "key-that-must-not-leak")
    description = layered_scene(tmp_path)
    write_ma(description)
    load(description, {})
    workspace = WorkspaceInfo(
        engines=[Engine("maya-2023"), Engine("maya-2024", settings=EngineSettings(default_bucketsize=4))],
        volumes=[Volume("projects", {"linux": str(tmp_path), "windows": "P:", "mac": "/Volumes/projects"})],
    )
    return description, workspace


def test_adapter_facts_from_the_open_scene(shot):
    from accsyn_maya.adapter import MayaHost

    description, _ = shot
    host = MayaHost()
    assert host.scene_path() == str(description.path) and not host.is_modified()
    assert str(host.frame_range()) == "1001-1048"
    assert [output.node for output in host.outputs()] == ["beauty/shotCam", "fx/shotCam", "fx/side"]
    assert host.output_parameters(host.outputs()[1:]) == {"layers": ["rs_fx"], "cameras": ["shotCam", "side"]}


def test_submit_one_layer_takes_its_own_range_and_camera(shot):
    from accsyn_maya import submit

    _, workspace = shot
    [payload] = submit(layers=["fx"], cameras=["side"], dry_run=True, workspace=workspace)
    assert payload["engine"] == "maya-2024"  # matches the running Maya 2024
    assert payload["input"] == "share=projects/show/scenes/layers.ma"
    assert payload["range"] == "20-30" and payload["settings"]["task_bucketsize"] == "4"
    assert payload["parameters"]["layers"] == ["rs_fx"] and payload["parameters"]["cameras"] == ["side"]
    assert sorted(payload["dependencies"]) == [
        "share=projects/show/assets/chair.mb",
        "share=projects/show/sourceimages/wood.png",
    ]
    assert "key-that-must-not-leak" not in json.dumps(payload)


def test_one_job_per_layer(shot):
    from accsyn_maya import submit

    _, workspace = shot
    payloads = submit(dry_run=True, workspace=workspace, one_job_per_output=True, name="shot", range="1001-1048")
    assert [(p["name"], p["range"], p["parameters"]["layers"]) for p in payloads] == [
        ("shot beauty/shotCam", "1001-1048", ["rs_beauty"]),
        ("shot fx/shotCam", "1001-1048", ["rs_fx"]),
        ("shot fx/side", "1001-1048", ["rs_fx"]),
    ]


def test_submit_refuses_unknown_layers_and_modified_scenes(shot):
    from accsyn_maya import submit
    from maya import _scene

    _, workspace = shot
    with pytest.raises(AccsynDccError, match=r"No renderable layer/camera .*layers=\['shadow'\].*fx/side"):
        submit(layers=["shadow"], dry_run=True, workspace=workspace)
    _scene.state().modified = True
    with pytest.raises(PreflightError, match="unsaved changes"):
        submit(dry_run=True, workspace=workspace)
    assert _scene.state().saved == 0  # never saved for the artist


def test_shelf_and_render_menu_added_once_the_ui_exists_and_shelf_removed_at_quit():
    import runpy
    from pathlib import Path

    from maya import _scene

    state = _scene.state()
    state.ui["mainRenderMenu"] = {"kind": "menu"}
    user_setup = Path(__file__).resolve().parents[3] / "plugins" / "maya" / "scripts" / "userSetup.py"
    runpy.run_path(str(user_setup))
    assert "accsyn" not in state.ui  # nothing built before Maya's UI exists
    [deferred] = state.deferred
    deferred()
    shelf = state.ui["accsyn"]
    [button, _monitor] = [item for item in state.ui.values() if item["kind"] == "button"]
    assert shelf["parent"] == "ShelfLayout" and button["label"] == "Submit render"
    assert state.ui["accsynSubmitRenderItem"]["parent"] == "mainRenderMenu"
    [(event, remove)] = state.script_jobs
    assert event == "quitApplication"
    remove()
    assert "accsyn" not in state.ui


def test_batch_maya_builds_no_ui():
    import runpy
    from pathlib import Path

    from maya import _scene

    _scene.state().batch = True
    runpy.run_path(str(Path(__file__).resolve().parents[3] / "plugins" / "maya" / "scripts" / "userSetup.py"))
    assert _scene.state().deferred == [] and _scene.state().ui == {}


def test_start_up_imports_nothing_heavy():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    paths = [str(root / "tests" / "fake_hosts"), str(root / "plugins" / "maya" / "scripts"), str(root / "common")]
    code = "\n".join([
        f"import sys; sys.path[:0] = {paths!r}",
        f"import runpy; runpy.run_path({str(root / 'plugins' / 'maya' / 'scripts' / 'userSetup.py')!r})",
        "from maya import _scene; _scene.state().deferred[0]()",
        "heavy = ('qtpy', 'requests', 'accsyn_dcc.ui', 'accsyn_dcc.session')",
        "print([name for name in heavy if name in sys.modules])",
    ])  # fmt: skip
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_shelf_button_opens_the_dialog_on_mayas_main_window_and_scans_live(shot, qtbot, monkeypatch):
    from accsyn_maya import commands

    from accsyn_dcc.ui.qt import QtCore, QtWidgets

    monkeypatch.delenv("ACCSYN_API_KEY")  # no account: the dialog says so at once instead of trying the network
    main = QtWidgets.QMainWindow()
    main.setObjectName("MayaWindow")
    qtbot.addWidget(main)
    dialog = commands.open_dialog()
    assert dialog is not None and dialog.parent() is main  # closed with its parent at the end of the test
    qtbot.waitUntil(lambda: "Scan done" in dialog.status(), timeout=10_000)
    assert any(dep.node == "woodFile" and dep.exists for dep in dialog.session.scan_result.dependencies)
    dialog.close()
    assert QtCore.QThreadPool.globalInstance().waitForDone(10_000)  # no background work outlives the test
