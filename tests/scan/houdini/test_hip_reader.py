"""The offline .hip reader on scenes assembled in Houdini's cpio format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hip_files import HipFile, Node, archive, licensed_archive, must_show_scene, touch

from accsyn_dcc.scan import scan_scene
from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.scan.houdini.archive import HipError

ENVIRON = {"MYPKG": "", "ACCSYN_API_KEY": "never-printed", "HFS": "/opt/hfs20.5"}


def by_node(result):
    return {(dep.node, dep.knob): dep for dep in result.dependencies}


@pytest.mark.parametrize("file_format", ["hip", "hiplc", "hipnc"])
def test_must_show_proxies_rop_output_and_package_variable(tmp_path, file_format):
    scene = must_show_scene(tmp_path, file_format)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "sound.wav").write_bytes(b"RIFF")
    environment = {**os.environ, "MYPKG": str(tmp_path / "pkg")}
    completed = subprocess.run([sys.executable, "-m", "accsyn_dcc", "scan", str(scene), "--json"],
                               capture_output=True, text=True, check=True, env=environment)  # fmt: skip
    report = json.loads(completed.stdout)
    found = {dep["node"]: dep for dep in report["dependencies"]}
    assert found["/obj/props/proxyA"]["path"] == f"{tmp_path}/a.rs" and found["/obj/props/proxyA"]["exists"]
    assert found["/obj/props/proxyB"]["path"] == f"{tmp_path}/b.rs" and not found["/obj/props/proxyB"]["exists"]
    assert found["/ch/audio/file1"]["path"] == f"{tmp_path}/pkg/sound.wav" and found["/ch/audio/file1"]["exists"]
    [output] = report["outputs"]
    assert output == {"node": "/out/Redshift_ROP1", "path": f"{tmp_path}/render/scene.Redshift_ROP1.$F4.exr",
                      "range": "1-48", "views": [], "file_type": "exr", "is_movie": False}  # fmt: skip
    assert report["facts"]["format"] == file_format


def test_a_cache_a_rop_of_the_scene_writes_is_sent_when_on_disk_and_left_to_the_render_when_not(tmp_path):
    """Marking such a file as made by the job dropped a cache already on disk that this job does not render."""
    from accsyn_dcc.transfer import plan_transfer

    for frame in (1, 2, 3):
        touch(tmp_path / "geo" / f"out.{frame:04d}.bgeo.sc")
    hip = HipFile(tmp_path / "shot.hip", frame_range=(1, 5))
    hip.nodes += [
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/read_back", "file", {"file": ["$HIP/geo/out.$F4.bgeo.sc"]}),
        Node("/out/geo_cache", "geometry", {"sopoutput": ["$HIP/geo/out.$F4.bgeo.sc"], "f": [1, 5, 1]}),
    ]
    result = scan_file(str(hip.write()), environ=ENVIRON)
    read_back = by_node(result)[("/obj/geo1/read_back", "file")]
    assert (read_back.written_by, read_back.exists, read_back.missing) == ("/out/geo_cache", True, "4-5")
    assert len(plan_transfer(result.dependencies).files) == 3  # the frames on disk travel with the job


def every_kind(root: Path) -> HipFile:
    for frame in range(1, 11):
        if frame not in (4, 5):
            touch(root / "cache" / f"sim.{frame:04d}.bgeo.sc")
    touch(root / "tex" / "wood.exr")
    touch(root / "otls" / "studio_tool.hda")
    touch(root / "job" / "assets" / "tree.abc")
    touch(root / "usd" / "set.usda", b"#usda 1.0\n(\n    subLayers = [@./layout.usda@]\n)\n")
    touch(root / "usd" / "layout.usda", b"#usda 1.0\n")
    hip = HipFile(root / "shot.hip", variables={"JOB": str(root / "job")}, frame_range=(1, 10),
                  libraries=[f"{root}/otls/studio_tool.hda", "/opt/hfs20.5/houdini/otls/OPlibSop.hda"])  # fmt: skip
    hip.nodes += [
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/sim", "file", {"file": ["$HIP/cache/sim.$F4.bgeo.sc"]}),
        Node("/obj/geo1/tree", "alembic", {"fileName": ["$JOB/assets/tree.abc"]}),
        Node("/obj/geo1/keyed", "file", {"file": [("file", "/tmp/last.bgeo", '"$HIP/k/" + padzero(4, $F) + ".bgeo"')]}),
        Node("/obj/geo1/tick", "file", {"file": ["$HIP/`opname(\"..\")`.bgeo"]}),
        Node("/obj/geo1/timed", "file", {"file": ["$HIP/t/$T.bgeo"]}),
        Node("/obj/geo1/secret", "file", {"file": ["$ACCSYN_API_KEY/x.bgeo"]}),
        Node("/obj/geo1/off", "file", {"file": ["$HIP/off/never.bgeo"]}, bypass=True),
        Node("/obj/geo1/written", "file", {"file": ["$HIP/geo/out.$F4.bgeo.sc"]}),
        Node("/obj/geo1/custom", "studio::scatter", {"source": ["$HIP/tex/wood.exr"], "label": ["hello"]}),
        Node("/mat/wood", "mtlximage", {"file": ["$HIP/tex/wood.exr"]}),
        Node("/stage/sublayer1", "sublayer", {"filepath1": ["$HIP/usd/set.usda"], "num_files": [1]}),
        Node("/out/geo_cache", "geometry", {"sopoutput": ["$HIP/geo/out.$F4.bgeo.sc"], "trange": ["normal"],
                                            "f": [1, 10, 1]}),
        Node("/out/still", "ifd", {"vm_picture": ["$HIP/render/still.exr"], "trange": ["off"], "f": [1, 10, 1]}),
        Node("/out/beauty", "karma", {"picture": ["$HIP/render/beauty.$F4.exr"], "trange": ["normal"],
                                      "f": [1, 10, 1]}, inputs=["geo_cache"]),
        Node("/out/fetch_cache", "fetch", {"source": ["../geo_cache"], "trange": ["normal"], "f": [1, 5, 1]}),
        Node("/out/all", "merge", {"trange": ["normal"], "f": [1, 10, 1]}, inputs=["fetch_cache", "beauty"]),
    ]  # fmt: skip
    return hip


def test_every_kind_of_parm_and_each_failure_a_finding(tmp_path):
    result = scan_file(str(every_kind(tmp_path).write()), environ=ENVIRON)
    found = by_node(result)
    sim = found[("/obj/geo1/sim", "file")]
    assert sim.path == f"{tmp_path}/cache/sim.$F4.bgeo.sc" and sim.frames == "1-10" and sim.missing == "4-5"
    assert found[("/obj/geo1/tree", "fileName")].exists  # $JOB from the scene's globals
    assert found[("(scene)", "HDA library")].path == f"{tmp_path}/otls/studio_tool.hda"
    assert not any("OPlibSop" in dep.path for dep in result.dependencies)  # Houdini's own library
    off = found[("/obj/geo1/off", "file")]
    assert not off.needed and off.condition == "the node is bypassed"
    written = found[("/obj/geo1/written", "file")]
    assert written.needed and written.written_by == "/out/geo_cache" and written.missing == "1-10"
    custom = found[("/obj/geo1/custom", "source")]
    assert custom.conditional and custom.exists
    assert found[("/mat/wood", "file")].exists
    assert found[("/stage/sublayer1", f"filepath1 > {tmp_path}/usd/set.usda")].path == f"{tmp_path}/usd/layout.usda"
    reasons = {(item.node, item.knob): item.reason for item in result.unresolved}
    assert reasons[("/obj/geo1/keyed", "file")] == "driven by an expression (channel file), evaluated by Houdini only"
    assert "backtick" in reasons[("/obj/geo1/tick", "file")]
    assert "$T depends on the time" in reasons[("/obj/geo1/timed", "file")]
    assert "credential" in reasons[("/obj/geo1/secret", "file")]
    assert "never-printed" not in json.dumps(result.to_dict())
    outputs = {output.node: output for output in result.outputs}
    assert str(outputs["/out/geo_cache"].range) == "1-10" and str(outputs["/out/still"].range) == "1"
    assert outputs["/out/geo_cache"].file_type == "bgeo.sc"
    assert (
        outputs["/out/fetch_cache"].path == outputs["/out/geo_cache"].path
        and str(outputs["/out/fetch_cache"].range) == "1-5"
    )
    chains = {rop["node"]: rop["renders"] for rop in result.facts["rops"]}
    assert chains["/out/beauty"] == ["/out/geo_cache", "/out/beauty"]
    assert chains["/out/all"] == ["/out/geo_cache", "/out/fetch_cache", "/out/beauty", "/out/all"]
    assert outputs["/out/all"].path == outputs["/out/geo_cache"].path


def test_package_variables_and_a_scene_saved_elsewhere(tmp_path):
    packages = tmp_path / "packages"
    packages.mkdir()
    (packages / "studio.json").write_text(json.dumps({"env": [{"STUDIO_LIB": str(tmp_path / "lib")},
                                                              {"var": "SHOW", "value": "sh010"}]}))  # fmt: skip
    (packages / "broken.json").write_text("[" * 100_000)  # nested deeper than JSON reads
    touch(tmp_path / "lib" / "sh010" / "rig.bgeo")
    hip = HipFile(tmp_path / "scenes" / "moved.hip")  # saved with HIP=/mnt/ws042/shots/sh010
    hip.nodes.append(Node("/obj/geo1/rig", "file", {"file": ["$STUDIO_LIB/$SHOW/rig.bgeo"]}))
    result = scan_file(str(hip.write()), environ={"HOUDINI_PACKAGE_DIR": str(packages)})
    [rig] = result.dependencies
    assert rig.exists and rig.path == f"{tmp_path}/lib/sh010/rig.bgeo"
    [unread] = result.errors
    assert unread.startswith(f"{packages}/broken.json: Houdini package not read") and "[[" not in unread


def test_damaged_files_end_in_one_line(tmp_path):
    good = must_show_scene(tmp_path)
    data = good.read_bytes()
    cases = {
        "not.hip": b"Houdini? no",
        "truncated.hip": data[: len(data) // 2],
        "huge.hip": data[:65] + b"77777777777" + data[76:],
        "nan.hip": data[:59] + b"zzzzzz" + data[65:],
    }
    expected = {"not.hip": "not a Houdini scene file", "truncated.hip": "truncated",
                "huge.hip": "larger than the file", "nan.hip": "not an unsigned octal number"}  # fmt: skip
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(HipError, match=expected[name]):
            scan_scene(str(tmp_path / name))
    os.mkfifo(tmp_path / "pipe.hip")
    with pytest.raises(HipError, match="not a regular file"):
        scan_scene(str(tmp_path / "pipe.hip"))


def test_binary_sections_are_skipped(tmp_path):
    hip = HipFile(tmp_path / "bin.hip")
    hip.nodes.append(Node("/obj/geo1/file1", "file", {"file": ["$HIP/a.bgeo"]}))
    entries = [*hip.sections(), ("obj/geo1/stash.bgeo", b"Bgeo\x00\x01\x02" * 100)]
    (tmp_path / "bin.hip").write_bytes(archive(entries))
    result = scan_scene(str(tmp_path / "bin.hip"))
    assert [dep.node for dep in result.dependencies] == ["/obj/geo1/file1"]


def test_sections_that_are_not_text_are_said_not_read(tmp_path):
    encoded = [(".start", b"\x00\x93\x11" * 40), ("obj/geo1.init", b"\x00\xff\x01" * 10)]
    (tmp_path / "locked.hipnc").write_bytes(licensed_archive(encoded))
    with pytest.raises(HipError, match=r"none of its sections reads as Houdini's text .*Apprentice or Indie"):
        scan_scene(str(tmp_path / "locked.hipnc"))


def test_a_path_with_an_impossible_frame_padding_is_a_finding_on_its_parm(tmp_path):
    hip = HipFile(tmp_path / "scene.hip", libraries=["$HIP/otls/tool.%0999d.hda"])
    hip.nodes = [
        Node("/obj/geo1/cache", "file", {"file": ["$HIP/geo/x.%0999d.bgeo"]}),
        Node("/out/geo", "geometry", {"sopoutput": ["$HIP/geo/out.%0999d.bgeo"], "trange": ["normal"]}),
    ]
    result = scan_file(str(hip.write()), environ=ENVIRON)
    reasons = {(item.node, item.knob): item.reason for item in result.unresolved}
    assert "padding of 999 digits" in reasons[("/obj/geo1/cache", "file")]
    assert "padding of 999 digits" in reasons[("(scene)", "HDA library")]


def test_a_rop_without_an_output_is_a_finding_on_its_output_parm(tmp_path):
    hip = HipFile(tmp_path / "scene.hip")
    hip.nodes = [
        Node("/out/usdrender1", "usdrender", {"outputimage": [""], "loppath": ["/stage/karmasettings"]}),
        Node("/out/geo", "geometry", {"sopoutput": [""]}),
        Node("/out/off", "geometry", {"sopoutput": [""]}, bypass=True),
    ]
    result = scan_file(str(hip.write()), environ=ENVIRON)
    reasons = {(item.node, item.knob): item.reason for item in result.unresolved}
    assert "render products of its LOP stage" in reasons[("/out/usdrender1", "outputimage")]
    assert "writes nothing" in reasons[("/out/geo", "sopoutput")]
    assert ("/out/off", "sopoutput") not in reasons and result.outputs == []
