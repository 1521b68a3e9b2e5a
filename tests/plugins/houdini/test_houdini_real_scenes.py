"""The live scan gives the offline reader's records on the forms found in real scenes (the "real scenes" issue)."""

from __future__ import annotations

from hou_loader import load
from test_hip_real_scenes import modifiers_scene, parms_houdini_does_not_read, rops_of_every_network
from test_houdini_plugin import ENVIRON, live_scan, records

from accsyn_dcc.scan.houdini import scan_file


def same_records(hip):
    offline = scan_file(str(hip.write()), environ=ENVIRON)
    load(hip)
    live = live_scan()
    assert sorted(records(live)[2]) == sorted(records(offline)[2])  # the outputs, in any order
    assert records(live)[:2] == records(offline)[:2]
    return live


def test_rops_of_every_network_and_chs_references_live(tmp_path):
    live = same_records(rops_of_every_network(tmp_path))
    assert {output.node for output in live.outputs} >= {"/obj/geo1/rop_geometry1", "/out/geo_linked", "/out/comp1"}


def test_csh_modifiers_live(tmp_path):
    live = same_records(modifiers_scene(tmp_path))
    assert {dep.path for dep in live.dependencies} == {f"{tmp_path}/geo/shot.file1.bgeo", f"{tmp_path}/bg.v002.hip/exr"}


def test_parms_houdini_does_not_read_live(tmp_path):
    live = same_records(parms_houdini_does_not_read(tmp_path))
    assert sorted(dep.node for dep in live.dependencies if not dep.needed) == [
        "/obj/geo1/isooffset1",
        "/obj/geo1/writer",
    ]
