"""The forms found in real scenes give the same records through the ``maya.cmds`` stand-in as offline."""

from __future__ import annotations

from maya_loader import load
from maya_scene import real_forms_scene, write_ma
from test_maya_live_scan import ENVIRON, live_scan, records

from accsyn_dcc.scan.maya import scan_file


def test_real_scene_forms_same_records_live_and_offline(tmp_path):
    description = real_forms_scene(tmp_path)
    offline = scan_file(str(write_ma(description)), environ=ENVIRON)
    load(description, {})
    live = live_scan()
    assert records(live) == records(offline)
    kinds = {dep.path.rpartition("/")[2]: (dep.kind, dep.provided_by) for dep in live.dependencies}
    assert kinds == {"set.usda": ("usd", ""), "wood.png": ("texture", ""), "wood.tx": ("converted texture", ""),
                     "config.ocio": ("ocio", "Maya")}  # fmt: skip
    assert {output.node: str(output.range) for output in live.outputs}["long"] == "1-20"
