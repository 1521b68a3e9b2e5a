"""The live scan through the ``maya.cmds`` stand-in gives the offline reader's records for the same scene."""

from __future__ import annotations

import pytest
from maya_loader import load
from maya_scene import every_kind_scene, layered_scene, legacy_layers_scene, write_ma

from accsyn_dcc.errors import ScanCancelled
from accsyn_dcc.scan.maya import scan_file

EVERY_KIND_RULES = {"images": "renders", "sourceImages": "textures"}
ENVIRON = {"SHOT_TEX": "/nowhere"}


def records(result):
    return (
        sorted((dep.node, dep.knob, dep.path, dep.exists, dep.frames, dep.missing, tuple(dep.tiles), dep.conditional,
                dep.needed) for dep in result.dependencies),
        sorted((item.node, item.knob, item.value, item.reason) for item in result.unresolved),
        [(output.node, output.path, output.range, output.file_type) for output in result.outputs],
        result.frame_range,
    )  # fmt: skip


def live_scan(frames=None, **kwargs):
    from accsyn_maya import live_scan as module

    snapshot = module.collect(frames=frames, **kwargs)
    snapshot.environ = dict(ENVIRON)
    return snapshot.finish()


def test_every_node_kind_same_records_live_and_offline(tmp_path):
    description = every_kind_scene(tmp_path)
    offline = scan_file(str(write_ma(description)), environ=ENVIRON)
    load(description, EVERY_KIND_RULES, registered=["file", "audio", "bifrostGraphShape.cachePath"])
    live = live_scan()
    assert records(live) == records(offline)
    assert len(live.dependencies) == 24  # every node kind, the LUT the OCIO config loads, the XGen data folder


def test_render_setup_layers_same_records_live_and_offline(tmp_path):
    description = layered_scene(tmp_path)
    offline = scan_file(str(write_ma(description)), environ=ENVIRON)
    load(description, {})
    live = live_scan()
    assert records(live) == records(offline)
    outputs = {output.node: str(output.range) for output in live.outputs}
    assert outputs == {"beauty/shotCam": "1001-1048", "fx/shotCam": "20-30", "fx/side": "20-30"}
    assert any(dep.path.endswith("chair.mb") and dep.kind == "reference" for dep in live.dependencies)


def test_progress_and_cancel_on_ten_thousand_file_nodes():
    from maya import _scene

    state = _scene.reset(scene_name="/show/big.ma")
    for index in range(10_000):
        _scene.add_node(
            "file", f"file{index}", {"fileTextureName": f"/show/tex/t{index}.exr"}, {"ftn": "fileTextureName"}
        )
    calls = []
    live_scan(progress=lambda done, total: calls.append(done))
    steps = [later - earlier for earlier, later in zip([0, *calls], calls)]
    assert calls[-1] == 10_000 and max(steps) <= 25

    state.getattr_calls = 0

    def cancel_after_a_while():
        return state.getattr_calls > 500

    with pytest.raises(ScanCancelled):
        live_scan(cancelled=cancel_after_a_while)
    assert state.getattr_calls < 600


def test_legacy_render_layer_adjustments_same_records_live_and_offline(tmp_path):
    description = legacy_layers_scene(tmp_path)
    offline = scan_file(str(write_ma(description)), environ=ENVIRON)
    load(description, {})
    live = live_scan()
    assert records(live) == records(offline)
    assert [(output.node, str(output.range)) for output in offline.outputs] == [
        ("masterLayer/shotCam", "1-48"), ("bg/shotCam", "20-30"), ("bg/side", "20-30"),
    ]  # fmt: skip
