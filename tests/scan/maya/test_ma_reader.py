"""The offline Maya ASCII reader on files written in the forms Maya saves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from ma_files import maya_ascii, must_show_scene, render_globals, texture, write
from maya_scene import Reference, every_kind_scene, write_ma

from accsyn_dcc.scan import scan_scene
from accsyn_dcc.scan.maya.ascii import MayaSceneError, parse_ascii, words
from accsyn_dcc.scan.maya.scanner import scan_file

ENVIRON = {"SHOT_TEX": "", "ACCSYN_API_KEY": "secret-key-value"}


def by_node(result):
    return {(dep.node, dep.knob): dep for dep in result.dependencies}


def test_must_show_mb_reference_relocated_texture_and_three_layers(tmp_path):
    scene = must_show_scene(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "accsyn_dcc", "scan", str(scene), "--json"], capture_output=True, text=True, check=True
    )
    report = json.loads(completed.stdout)
    paths = {dep["path"]: dep for dep in report["dependencies"]}
    assert paths[(tmp_path / "assets" / "chair.mb").as_posix()]["kind"] == "reference"
    texture_found = paths[(tmp_path / "scenes" / "wood.png").as_posix()]
    assert texture_found["exists"] and texture_found["node"] == "woodFile"
    assert report["facts"]["relocated"][0]["saved"].startswith("C:/Users/bob/")
    assert report["facts"]["not_followed"][0]["path"].endswith("chair.mb")
    outputs = {output["node"]: output for output in report["outputs"]}
    assert sorted(outputs) == ["beauty/shotCam", "fx/shotCam", "shadow/shotCam"]
    assert outputs["fx/shotCam"]["range"] == "20-30"
    assert outputs["beauty/shotCam"]["range"] == "1-48"
    assert outputs["fx/shotCam"]["path"] == f"{tmp_path.as_posix()}/images/shot/fx/shotCam/fx.####.exr"


def test_every_node_kind_found_with_tiles_frames_and_variables(tmp_path):
    description = every_kind_scene(tmp_path)
    path = write_ma(description)
    project = path.parent.parent
    result = scan_file(str(path), environ={**ENVIRON, "SHOT_TEX": str(project / "textures")})
    found = by_node(result)
    skin = found[("skinTex", "fileTextureName")]
    assert skin.path.endswith("skin.<UDIM>.exr") and skin.tiles == ["1001", "1002", "1011"]
    flip = found[("flipTex", "fileTextureName")]
    assert flip.path.endswith("flip.####.png") and flip.frames == "1-10" and flip.missing == "4-5"
    assert found[("flipImage", "filename")].missing == "4-5"
    assert found[("relTex", "fileTextureName")].path == f"{project.as_posix()}/textures/bg.exr"
    assert found[("relTex", "fileTextureName")].exists
    assert found[("envTex", "fileTextureName")].exists
    assert not found[("gone", "fileTextureName")].exists
    assert found[("charAbc", "abc_layerFiles")].path.endswith("char_fix.abc")
    assert found[("|rock|rockShape", "cacheFileName")].exists
    assert found[("smokeShape", "filename")].frames == "1-10" and not found[("smokeShape", "filename")].missing
    assert found[("crowdShape", "dso")].path.endswith("crowd.####.ass")
    assert found[("clothCache", "cacheName")].path.endswith("cloth/clothShape.xml")
    for node, attribute in [("dialog", "filename"), ("refPlaneShape", "imageName"), ("treeMesh", "fileName"),
                            ("bushProxy", "fileName"), ("setShape", "filePath"), ("hair", "xgFileName"),
                            ("spotShape", "aiFilename"), ("defaultColorMgtGlobals", "configFilePath")]:  # fmt: skip
        assert found[(node, attribute)].exists, (node, attribute)
    assert found[("furShape", "cacheFileName")].missing == "2-10"
    xgen_data = found[("hair", "xgDataPath")]
    assert xgen_data.path == f"{project.as_posix()}/xgen/collections/hair" and xgen_data.exists
    bifrost = found[("splashShape", "cachePath")]
    assert bifrost.conditional and bifrost.exists
    assert any(dep.path.endswith("luts/log.spi1d") and dep.exists for dep in result.dependencies)
    unresolved = {(item.node, item.knob): item for item in result.unresolved}
    assert "credential" in unresolved[("secretTex", "fileTextureName")].reason
    assert "secret-key-value" not in json.dumps(result.to_dict())
    assert str(result.frame_range) == "1-10"
    assert [output.path for output in result.outputs] == [f"{project.as_posix()}/renders/shot/masterLayer.####.exr"]


def test_ma_reference_chain_followed_with_namespaces_and_cycles_cut(tmp_path):
    tex = tmp_path / "tex"
    tex.mkdir()
    (tex / "leaf.png").write_bytes(b"x")
    leaf = write(tmp_path / "leaf.ma", maya_ascii("leaf.ma", texture("leafFile", (tex / "leaf.png").as_posix())))
    cycle = (
        'file -rdi 1 -ns "back" -rfn "backRN" "{top}";\n' 'file -r -ns "back" -rfn "backRN" "{top}";\n'
        'file -r -ns "leaf" -rfn "leafRN" "{leaf}";\n'
    )  # fmt: skip
    middle = tmp_path / "middle.ma"
    top = tmp_path / "top.ma"
    write(middle, maya_ascii("middle.ma", "", cycle.format(top=top.as_posix(), leaf=leaf.as_posix())))
    refs = (
        f'file -r -ns "mid" -rfn "midRN" "{middle.as_posix()}";\nfile -r -ns "off" -dr 1 -rfn "offRN" "/gone/off.ma";\n'
    )
    write(top, maya_ascii("top.ma", "", refs))
    result = scan_file(str(top), environ={})
    found = by_node(result)
    assert found[("mid:leaf:leafFile", "fileTextureName")].exists
    assert found[("midRN", "reference")].exists and found[("mid:leafRN", "reference")].exists
    assert found[("mid:backRN", "reference")].path == top.as_posix()
    off = found[("offRN", "reference")]
    assert not off.needed and "unloaded" in off.condition


def test_statements_span_lines_and_strings_hold_semicolons_and_quotes():
    text = maya_ascii(
        "a.ma",
        'createNode file -n "odd";\n'
        '\tsetAttr ".ftn" -type "string" "/show/a;b \\"q\\"/\n'
        'tex.exr";\n'
        '/* a block comment; with "quotes" */\n'
        'createNode aiImage -n "img" ;\n\tsetAttr ".filename"\n\t\t-type "string"\n\t\t"/x/y.<f>.exr"  ;\n',
    )
    scene = parse_ascii(text)
    assert scene.node("odd").attributes["ftn"] == '/show/a;b "q"/\ntex.exr'
    assert scene.node("img").attributes["filename"] == "/x/y.<f>.exr"
    assert words('"a\\\\b" -type {"x","y"}') == [("a\\b", True), ("-type", False), ("x", True), ("y", True)]
    bare = parse_ascii('//Maya ASCII 2024 scene\nfile -r "/show/set.ma";\ncreateNode transform -s -n "persp";\n')
    assert [item.raw for item in bare.references] == ["/show/set.ma"]  # -r takes no value: the path is not it
    assert bare.node("persp").type == "transform"


def test_windows_paths_and_crlf_and_bom(tmp_path):
    body = texture("win", "Z:\\\\show\\\\tex\\\\wood.exr") + render_globals("", 1, 5)
    path = tmp_path / "win.ma"
    path.write_bytes(b"\xef\xbb\xbf" + maya_ascii("win.ma", body).replace("\n", "\r\n").encode("utf-8"))
    result = scan_scene(str(path))
    assert by_node(result)[("win", "fileTextureName")].path == "Z:\\show\\tex\\wood.exr"
    assert str(result.frame_range) == "1-5"


def test_not_maya_ascii_and_not_a_regular_file_end_in_one_line(tmp_path):
    (tmp_path / "bad.ma").write_text("createNode file;\n")
    with pytest.raises(MayaSceneError, match=r"bad\.ma:1: not a Maya ASCII file"):
        scan_scene(str(tmp_path / "bad.ma"))
    whole = maya_ascii("cut.ma", texture("wood", "/show/tex/wood.exr"))
    (tmp_path / "cut.ma").write_text(whole[: whole.index("/show/tex/") + 5])
    with pytest.raises(
        MayaSceneError, match=r"cut\.ma:\d+: the file ends inside this statement \(a truncated file\?\)"
    ):
        scan_scene(str(tmp_path / "cut.ma"))
    fifo = tmp_path / "pipe.ma"
    os.mkfifo(fifo)
    with pytest.raises(MayaSceneError, match="not a regular file"):
        scan_scene(str(fifo))


def test_a_file_cut_after_a_backslash_in_a_string_ends_in_one_line_at_once(tmp_path):
    whole = maya_ascii("cut.ma", texture("wood", "C:\\\\show\\\\textures\\\\wood_diffuse_v012.exr"))
    (tmp_path / "cut.ma").write_text(whole[: whole.index("wood_diffuse_v012")] + "\\")

    def backtracking(*_frame: object) -> None:
        raise TimeoutError("the statement reader backtracked for 10 s over a 3 KB file")

    previous = signal.signal(signal.SIGALRM, backtracking)
    signal.alarm(10)
    try:
        with pytest.raises(MayaSceneError, match=r"cut\.ma:\d+: the file ends inside this statement"):
            scan_scene(str(tmp_path / "cut.ma"))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_legacy_layers_renderers_and_animation_off(tmp_path):
    body = (
        'createNode transform -n "cam";\ncreateNode camera -n "camShape" -p "cam";\n'
        'createNode renderLayer -n "defaultRenderLayer";\n\tsetAttr ".g" yes;\n'
        'createNode renderLayer -n "bg";\ncreateNode renderLayer -n "off";\n\tsetAttr ".rndr" no;\n'
        'createNode VRaySettingsNode -s -n "vraySettings";\n\tsetAttr ".fnprx" -type "string" "v/<Layer>_<Camera>";\n'
        '\tsetAttr ".imageFormatStr" -type "string" "exr (multichannel)";\n'
        'select -ne :defaultRenderGlobals;\n\tsetAttr ".ren" -type "string" "vray";\n\tsetAttr ".an" no;\n'
        'select -ne :time1;\n\tsetAttr ".o" 1012;\n'
    )
    result = scan_scene(str(write(tmp_path / "scenes" / "legacy.ma", maya_ascii("legacy.ma", body))))
    assert [(output.node, str(output.range)) for output in result.outputs] == [
        ("masterLayer/cam", "1012"),
        ("bg/cam", "1012"),
    ]
    assert result.outputs[1].path == f"{tmp_path.as_posix()}/images/v/bg_cam.exr"


def test_references_of_the_every_kind_scene_described_to_the_writer(tmp_path):
    description = every_kind_scene(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "prop.mb").write_bytes(b"binary")
    description.references.append(Reference((tmp_path / "lib" / "prop.mb").as_posix(), "prop", "propRN"))
    result = scan_file(str(write_ma(description)), environ=ENVIRON)
    assert by_node(result)[("propRN", "reference")].exists
    assert result.facts["not_followed"][0]["path"].endswith("prop.mb")


@pytest.mark.parametrize(
    ("first", "last", "expected_range"),
    [("1e400", "10", "1-10"), ("nan", "nan", "1-10"), ("1", "999999999", "1-1000000")],
)
def test_strange_ranges_end_in_a_readable_range(tmp_path, first, last, expected_range):
    body = texture("seq", (tmp_path / "seq.0001.exr").as_posix(), '\tsetAttr ".ufe" yes;\n')
    settings = render_globals("", 1, 10).replace('".fs" 1;', f'".fs" {first};').replace('".ef" 10;', f'".ef" {last};')
    body += settings.replace('".pad" 4;', '".pad" 999999999;')
    result = scan_scene(str(write(tmp_path / "odd.ma", maya_ascii("odd.ma", body))))
    assert str(result.frame_range) == expected_range
    if expected_range == "1-1000000":
        assert "cut to 1-1000000" in result.errors[0]
        [too_many] = result.unresolved
        assert "1000000 frames to check" in too_many.reason
    assert result.outputs[0].path.endswith("/images/odd.##########.exr")  # padding capped at 10


def test_a_workspace_mel_that_cannot_be_read_is_said_and_default_rules_stand_in(tmp_path):
    from accsyn_dcc.scan.maya.project import MAX_WORKSPACE_BYTES

    project = tmp_path / "shot"
    (project / "scenes").mkdir(parents=True)
    (project / "workspace.mel").write_text("//" + "x" * MAX_WORKSPACE_BYTES)
    scene = project / "scenes" / "shot.ma"
    scene.write_text(maya_ascii("shot.ma", texture("wood", "sourceimages/wood.exr")))
    result = scan_file(str(scene), environ={})
    [problem] = result.errors
    assert problem.startswith(f"{project}/workspace.mel: not read") and "default file rules" in problem
    assert by_node(result)[("wood", "fileTextureName")].path == f"{project}/sourceimages/wood.exr"
