"""The Houdini reader on the forms found in real public scenes (the "real scenes" issue), each saved as Houdini
saves it."""

from __future__ import annotations

import pytest
from hip_files import Backticks, HipFile, Node, licensed_archive, touch

from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.scan.houdini.archive import HipError, sections

ENVIRON = {"HFS": "/opt/hfs20.5"}


def by_node(result):
    return {(dep.node, dep.knob): dep for dep in result.dependencies}


def reasons(result):
    return {(item.node, item.knob): item.reason for item in result.unresolved}


@pytest.mark.parametrize("file_format", ["hiplc", "hipnc"])
@pytest.mark.parametrize("trailer", [True, False])
def test_indie_and_apprentice_files_are_read(tmp_path, file_format, trailer):
    """They start HouLC/HouNC, \\x1a and 28 hex characters, then the section's name, a NUL and its text."""
    touch(tmp_path / "geo" / "rock.bgeo.sc")
    hip = HipFile(tmp_path / f"shot.{file_format}", format=file_format)
    hip.nodes += [Node("/obj/geo1", "geo"), Node("/obj/geo1/rock", "file", {"file": ["$HIP/geo/rock.bgeo.sc"]}),
                  Node("/out/mantra1", "ifd", {"vm_picture": ["$HIP/render/$HIPNAME.$F4.exr"]})]  # fmt: skip
    data = licensed_archive(hip.sections(), b"HouLC\x1a" if file_format == "hiplc" else b"HouNC\x1a", trailer)
    assert data[6:34].isalnum() and data[34:41] == b".start\x00"
    hip.path.write_bytes(data)
    result = scan_file(str(hip.path), environ=ENVIRON)
    assert by_node(result)[("/obj/geo1/rock", "file")].exists
    assert [output.path for output in result.outputs] == [f"{tmp_path}/render/shot.$F4.exr"]
    assert result.facts["format"] == file_format and str(result.frame_range) == "1-48"


def test_a_damaged_indie_header_is_one_line(tmp_path):
    good = licensed_archive([(".start", b"fps 24\n"), ("obj/geo1.init", b"type = geo\n")])
    for damaged, expected in ((good[:20], "damaged"), (good[:34] + b".start", "does not end"),
                              (good.replace(b"0", b"z", 1), "damaged")):  # fmt: skip
        with pytest.raises(HipError, match=expected):
            sections(damaged)


def test_files_houdini_ships_are_provided_by_the_render_nodes_houdini(tmp_path):
    """A camera or geometry object's File SOP saved as ``defcam.bgeo``: found on HOUDINI_PATH, not in $HIP."""
    touch(tmp_path / "local.bgeo")
    touch(tmp_path / "squab.bgeo")  # on the scene's side of the path: that one is read, and sent
    hip = HipFile(tmp_path / "shot.hip")
    hip.nodes += [
        Node("/obj/cam1", "cam"),
        Node("/obj/cam1/file1", "file", {"file": ["defcam.bgeo"]}),
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/file1", "file", {"file": ["defgeo.bgeo"]}),
        Node("/obj/geo1/squab", "file", {"file": ["squab.bgeo"]}),
        Node("/obj/geo1/local", "file", {"file": ["local.bgeo"]}),
        Node("/obj/geo1/typo", "file", {"file": ["defcam2.bgeo"]}),
        Node("/img/comp1/file1", "file", {"filename1": ["Mandril.pic"]}),
    ]
    result = scan_file(str(hip.write()), environ=ENVIRON)
    found = by_node(result)
    for node, knob in (("/obj/cam1/file1", "file"), ("/obj/geo1/file1", "file"), ("/img/comp1/file1", "filename1")):
        dependency = found[(node, knob)]
        assert dependency.provided_by == "Houdini" and dependency.files == ()
    squab = found[("/obj/geo1/squab", "file")]
    assert squab.path == f"{tmp_path}/squab.bgeo" and squab.exists and not squab.provided_by
    assert found[("/obj/geo1/local", "file")].exists
    typo = found[("/obj/geo1/typo", "file")]
    assert typo.path == f"{tmp_path}/defcam2.bgeo" and not typo.exists and not typo.provided_by
    assert [dep.node for dep in result.missing] == ["/obj/geo1/typo"]


def test_a_parm_saved_as_a_backtick_expression_is_unresolved_whole(tmp_path):
    """``file `chs(\\"/tasks/topnet1/out/sopoutput\\")``` became two missing files, ``\\`` and ``/tasks/...\\``."""
    expression = 'chs("/tasks/topnet1/out/sopoutput")'
    spaced = 'opname("..") + "_" + chs("../name")'
    hip = HipFile(tmp_path / "shot.hip")
    hip.nodes += [
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/file1", "file", {"file": [Backticks(f"`{expression}`")]}),
        Node("/obj/geo1/file2", "file", {"file": [Backticks(f"`{spaced}`")]}),
        Node("/out/geo", "geometry", {"sopoutput": [Backticks(f"`{spaced}`")]}),
    ]
    hip.write()
    assert b'\t`chs(\\"/tasks/topnet1/out/sopoutput\\")`\t' in hip.path.read_bytes()
    result = scan_file(str(hip.path), environ=ENVIRON)
    assert result.dependencies == [] and result.outputs == []
    found = {(item.node, item.knob): item for item in result.unresolved}
    assert found[("/obj/geo1/file1", "file")].value == f"`{expression}`"
    assert found[("/obj/geo1/file2", "file")].value == f"`{spaced}`"
    assert found[("/out/geo", "sopoutput")].value == f"`{spaced}`"
    assert all("backtick" in item.reason for item in result.unresolved)


def test_a_rop_rendering_to_mplay_writes_no_file_and_is_a_finding(tmp_path):
    """``vm_picture ip`` (or ``md``) renders to MPlay: it was an output file ``$HIP/ip`` (83 real ROPs)."""
    hip = HipFile(tmp_path / "shot.hip")
    hip.nodes += [
        Node("/out/mantra_ipr", "ifd", {"vm_picture": ["ip"]}),
        Node("/out/karma_md", "karma", {"picture": ["md"]}),
        Node("/out/flipbook", "opengl", {"picture": ["ip"]}),
        Node("/out/mantra1", "ifd", {"vm_picture": ["$HIP/render/ip.exr"]}),
    ]
    result = scan_file(str(hip.write()), environ=ENVIRON)
    assert [output.node for output in result.outputs] == ["/out/mantra1"]
    found = reasons(result)
    for node, parm in (("/out/mantra_ipr", "vm_picture"), ("/out/karma_md", "picture"), ("/out/flipbook", "picture")):
        assert "MPlay" in found[(node, parm)]


def rops_of_every_network(tmp_path) -> HipFile:
    """COP, SOP-level and Redshift proxy ROPs, and outputs named by a chs() reference (29 of 48 real ones missed)."""
    hip = HipFile(tmp_path / "shot.hip", frame_range=(1, 10))
    hip.nodes += [
        Node("/img/comp1", "cop2net"),
        Node("/out/comp1", "comp", {"copoutput": ["$HIP/comp/$OS.$F4.exr"], "f": [1, 10, 1]}),
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/rop_geometry1", "rop_geometry", {"sopoutput": ["$HIP/geo/sim.$F4.bgeo.sc"]}),
        Node("/obj/geo1/rop_alembic1", "rop_alembic", {"filename": ["$HIP/abc/out.abc"]}),
        Node("/obj/geo1/filecache1", "filecache::2.0", {"file": ["$HIP/cache/fc.$F4.bgeo.sc"]}),
        Node("/obj/geo1/read_sim", "file", {"file": ["$HIP/geo/sim.$F4.bgeo.sc"]}),
        Node("/obj/geo1/tree", "redshift_proxySOP", {"RS_proxy_file": ["$HIP/proxy/tree.$F4.rs"]}),
        Node("/out/rs_proxy", "Redshift_Proxy_Output", {"RS_archive_file": ["$HIP/proxy/tree.$F4.rs"]}),
        Node("/out/rs_export", "Redshift_ROP", {"RS_outputFileNamePrefix": ["$HIP/render/rs.$F4.exr"],
                                                "RS_archive_enable": [1], "RS_archive_file": ["$HIP/proxy/rock.rs"]}),
        Node("/out/mantra1", "ifd", {"vm_picture": ["$HIP/render/$OS.$F4.exr"]}),
        Node("/out/geo_linked", "geometry", {"sopoutput": [Backticks('`chs("/obj/geo1/rop_geometry1/sopoutput")`')]}),
        Node("/out/usd_linked", "usdrender_rop",
             {"outputimage": [("outputimage", "", 'chs("../mantra1/vm_picture")')]}),
        Node("/out/geo_nowhere", "geometry", {"sopoutput": [Backticks('`chs("../nothere/sopoutput")`')]}),
        Node("/obj/geo1/settings", "file", {"file": [""], "outpath": ["$HIP/geo/$OS.bgeo"]}),  # a spare parm
        Node("/out/geo_settings", "geometry", {"sopoutput": [Backticks("`chs('/obj/geo1/settings/outpath')`")]}),
    ]  # fmt: skip
    return hip


def test_file_writing_rops_of_every_network_are_outputs(tmp_path):
    result = scan_file(str(rops_of_every_network(tmp_path).write()), environ=ENVIRON)
    outputs = {output.node: output.path for output in result.outputs}
    assert outputs == {
        "/out/comp1": f"{tmp_path}/comp/comp1.$F4.exr",
        "/obj/geo1/rop_geometry1": f"{tmp_path}/geo/sim.$F4.bgeo.sc",
        "/obj/geo1/rop_alembic1": f"{tmp_path}/abc/out.abc",
        "/obj/geo1/filecache1": f"{tmp_path}/cache/fc.$F4.bgeo.sc",
        "/out/rs_proxy": f"{tmp_path}/proxy/tree.$F4.rs",
        "/out/rs_export": f"{tmp_path}/proxy/rock.rs",
        "/out/mantra1": f"{tmp_path}/render/mantra1.$F4.exr",
        "/out/geo_linked": f"{tmp_path}/geo/sim.$F4.bgeo.sc",
        "/out/usd_linked": f"{tmp_path}/render/mantra1.$F4.exr",
        "/out/geo_settings": f"{tmp_path}/geo/settings.bgeo",
    }
    found = by_node(result)
    assert found[("/obj/geo1/read_sim", "file")].written_by == "/obj/geo1/rop_geometry1"
    assert found[("/obj/geo1/tree", "RS_proxy_file")].written_by == "/out/rs_proxy"
    assert found[("/obj/geo1/filecache1", "file")].written_by == "/obj/geo1/filecache1"
    assert not any(dep.node in ("/obj/geo1/rop_geometry1", "/obj/geo1/rop_alembic1") for dep in result.dependencies)
    assert "backtick" in reasons(result)[("/out/geo_nowhere", "sopoutput")]


def modifiers_scene(tmp_path) -> HipFile:
    """``$HIPNAME:r``, ``$OS:r``... were kept literally: root, tail, extension and head, as Houdini applies them."""
    hip = HipFile(tmp_path / "shot.hip", variables={"PLATE": "/mnt/plates/bg.v002.exr"})
    hip.nodes += [
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/file1", "file", {"file": ["$HIP/geo/$HIPNAME:r.$OS:r.bgeo"]}),
        Node("/obj/geo1/file2", "file", {"file": ["$HIPFILE:h/$PLATE:t:r.$HIPFILE:e/${PLATE:e}"]}),
        Node("/out/mantra1", "ifd", {"vm_picture": ["$HIP/render/$HIPNAME:r/$HIPFILE:t.$F4.exr"]}),
    ]
    return hip


def test_csh_modifiers_on_variables_are_applied(tmp_path):
    result = scan_file(str(modifiers_scene(tmp_path).write()), environ=ENVIRON)
    found = by_node(result)
    assert found[("/obj/geo1/file1", "file")].path == f"{tmp_path}/geo/shot.file1.bgeo"
    assert found[("/obj/geo1/file2", "file")].path == f"{tmp_path}/bg.v002.hip/exr"
    assert [output.path for output in result.outputs] == [f"{tmp_path}/render/shot/shot.hip.$F4.exr"]


def test_a_cameras_background_plate_is_a_dependency(tmp_path):
    for frame in range(1, 11):
        touch(tmp_path / "plates" / f"bg.{frame:04d}.jpg")
    hip = HipFile(tmp_path / "shot.hip", frame_range=(1, 12))
    hip.nodes += [Node("/obj/cam1", "cam", {"vm_background": ["$HIP/plates/bg.$F4.jpg"], "resx": [1920]})]
    result = scan_file(str(hip.write()), environ=ENVIRON)
    [plate] = result.dependencies
    assert (plate.node, plate.knob, plate.path) == ("/obj/cam1", "vm_background", f"{tmp_path}/plates/bg.$F4.jpg")
    assert plate.needed and not plate.conditional and plate.missing == "11-12"


def parms_houdini_does_not_read(tmp_path) -> HipFile:
    """A file mode that reads nothing, a TOP network's task graph file (136 real "maybe" dependencies)."""
    hip = HipFile(tmp_path / "shot.hip")
    hip.nodes += [
        Node("/obj/geo1", "geo"),
        Node("/obj/geo1/isooffset1", "isooffset", {"filemode": ["none"], "file": ["$HIP/sdf/iso.$F4.bgeo"]}),
        Node("/obj/geo1/isooffset2", "isooffset", {"filemode": ["read"], "file": ["$HIP/sdf/read.bgeo"]}),
        Node("/obj/geo1/writer", "file", {"filemode": ["write"], "file": ["$HIP/geo/written.bgeo"]}),
        Node("/obj/geo1/reader", "file", {"filemode": ["auto"], "file": ["$HIP/geo/read.bgeo"]}),
        Node("/tasks/topnet1", "topnet", {"taskgraphfile": ["$HIP/pdg/$HIPNAME.$OS.taskgraph.py"]}),
    ]
    return hip


def test_parms_houdini_does_not_read_are_not_maybe_dependencies(tmp_path):
    result = scan_file(str(parms_houdini_does_not_read(tmp_path).write()), environ=ENVIRON)
    found = by_node(result)
    assert set(found) == {("/obj/geo1/isooffset1", "file"), ("/obj/geo1/isooffset2", "file"),
                          ("/obj/geo1/writer", "file"), ("/obj/geo1/reader", "file")}  # fmt: skip
    for node in ("/obj/geo1/isooffset1", "/obj/geo1/writer"):
        assert not found[(node, "file")].needed and "filemode" in found[(node, "file")].condition
    for node in ("/obj/geo1/isooffset2", "/obj/geo1/reader"):
        assert found[(node, "file")].needed and not found[(node, "file")].conditional
    assert [dep.node for dep in result.missing if dep.needed] == ["/obj/geo1/isooffset2", "/obj/geo1/reader"]
